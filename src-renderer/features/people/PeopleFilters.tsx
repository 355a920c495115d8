import { memo, useState } from 'react';
import { Button, Chip, Group, Popover, Select, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { driftKinds, type PeopleFilter } from '../../../shared/domain/people.ts';
import { useFormat } from '../../app/format.ts';

export const emptyFilter: PeopleFilter = {
  ou: '',
  adEnabled: 'any',
  adLocked: 'any',
  mustChange: 'any',
  passwordExpired: 'any',
  mitidState: 'any',
  localCredential: 'any',
  signing: 'any',
  mfa: 'any',
  nsisStatus: '',
  drift: '',
  domain: '',
};

export type SetFilter = <K extends keyof PeopleFilter>(k: K, v: PeopleFilter[K]) => void;

function TriSelect({ label, value, onChange }: { label: string; value: 'any' | 'yes' | 'no'; onChange: (v: 'any' | 'yes' | 'no') => void }) {
  const { t } = useTranslation();
  return (
    <Select
      size="xs"
      label={label}
      value={value}
      comboboxProps={{ withinPortal: false }}
      allowDeselect={false}
      onChange={(v) => onChange((v ?? 'any') as 'any' | 'yes' | 'no')}
      data={[
        { value: 'any', label: t('people.any') },
        { value: 'yes', label: t('people.yes') },
        { value: 'no', label: t('people.no') },
      ]}
    />
  );
}

/** A chip sets one filter to one value; unchecked, the filter goes back to "any". */
interface ChipDef {
  id: string;
  on(f: PeopleFilter): boolean;
  set(setF: SetFilter, on: boolean): void;
}
const chips: ChipDef[] = [
  { id: 'locked', on: (f) => f.adLocked === 'yes', set: (s, on) => s('adLocked', on ? 'yes' : 'any') },
  { id: 'disabled', on: (f) => f.adEnabled === 'no', set: (s, on) => s('adEnabled', on ? 'no' : 'any') },
  { id: 'passwordExpired', on: (f) => f.passwordExpired === 'yes', set: (s, on) => s('passwordExpired', on ? 'yes' : 'any') },
  { id: 'mustChange', on: (f) => f.mustChange === 'yes', set: (s, on) => s('mustChange', on ? 'yes' : 'any') },
  { id: 'noMfa', on: (f) => f.mfa === 'none', set: (s, on) => s('mfa', on ? 'none' : 'any') },
  { id: 'noIdentity', on: (f) => f.mitidState === 'none', set: (s, on) => s('mitidState', on ? 'none' : 'any') },
  { id: 'drift', on: (f) => f.drift === 'any-drift', set: (s, on) => s('drift', on ? 'any-drift' : '') },
];

/** How many filters differ from "any" (the OU and the chips' own values count as well). */
export function activeFilterCount(f: PeopleFilter): number {
  return (Object.keys(emptyFilter) as (keyof PeopleFilter)[]).filter((k) => f[k] !== emptyFilter[k]).length;
}

/**
 * One compact bar: the OU, the everyday filters as chips, every filter in a "Flere filtre" popover, and
 * the reset. Memoised: it renders only when a filter changes, never on a keystroke in the search box.
 */
export const PeopleFilters = memo(function PeopleFilters({
  filter,
  setF,
  onClear,
  ous,
  nsisStatuses,
  domains,
}: {
  filter: PeopleFilter;
  setF: SetFilter;
  onClear(): void;
  ous: string[] | undefined;
  nsisStatuses: string[] | undefined;
  /** With several AD domains in the list: each with its people in the operator's view (before filters). */
  domains?: { id: string; name: string; count: number }[] | undefined;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const active = activeFilterCount(filter);
  const [open, setOpen] = useState(false);
  return (
    <Group gap={6} wrap="nowrap" data-testid="people-filters" role="group" aria-label={t('people.quickFilters')}>
      {/* A saved view may name a domain this session holds no grant in: it is still shown, with no count. */}
      {((domains?.length ?? 0) > 1 || filter.domain) && (
        <Select
          size="xs"
          w={190}
          aria-label={t('people.f.domain')}
          clearable
          value={filter.domain || null}
          onChange={(v) => setF('domain', v ?? '')}
          data-testid="people-domain-filter"
          data={[
            ...(domains ?? []).map((d) => ({ value: d.id, label: `${d.name} (${fmt.number(d.count)})` })),
            ...(filter.domain && !(domains ?? []).some((d) => d.id === filter.domain) ? [{ value: filter.domain, label: filter.domain }] : []),
          ]}
          placeholder={`${t('people.f.domain')}: ${t('people.any')}`}
          style={{ flexShrink: 0 }}
        />
      )}
      <Select
        size="xs"
        w={165}
        aria-label={t('people.f.ou')}
        searchable
        clearable
        value={filter.ou || null}
        onChange={(v) => setF('ou', v ?? '')}
        // A saved view may name an OU the index has not listed yet: it is still shown.
        data={filter.ou && !(ous ?? []).includes(filter.ou) ? [filter.ou, ...(ous ?? [])] : (ous ?? [])}
        placeholder={`${t('people.f.ou')}: ${t('people.any')}`}
        style={{ flexShrink: 0 }}
      />
      <Group gap={4} wrap="nowrap" style={{ overflow: 'hidden' }}>
        {chips.map((c) => (
          <Chip key={c.id} size="xs" checked={c.on(filter)} onChange={(on) => c.set(setF, on)} data-testid={`chip-${c.id}`}>
            {t(`people.chip.${c.id}`)}
          </Chip>
        ))}
      </Group>
      <Popover opened={open} onChange={setOpen} position="bottom-end" width={560} trapFocus returnFocus withinPortal shadow="md">
        <Popover.Target>
          <Button size="compact-sm" variant={active ? 'light' : 'default'} onClick={() => setOpen((o) => !o)} data-testid="more-filters" style={{ flexShrink: 0 }}>
            {active ? t('people.moreFiltersCount', { count: active }) : t('people.moreFilters')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown data-testid="more-filters-panel" aria-label={t('people.moreFilters')}>
          <SimpleGrid cols={2} spacing="xs">
            <TriSelect label={t('people.f.adEnabled')} value={filter.adEnabled} onChange={(v) => setF('adEnabled', v)} />
            <TriSelect label={t('people.f.adLocked')} value={filter.adLocked} onChange={(v) => setF('adLocked', v)} />
            <TriSelect label={t('people.f.mustChange')} value={filter.mustChange} onChange={(v) => setF('mustChange', v)} />
            <TriSelect label={t('people.f.passwordExpired')} value={filter.passwordExpired} onChange={(v) => setF('passwordExpired', v)} />
            <Select
              size="xs"
              label={t('people.f.mitidState')}
              value={filter.mitidState}
              allowDeselect={false}
              comboboxProps={{ withinPortal: false }}
              onChange={(v) => setF('mitidState', (v ?? 'any') as PeopleFilter['mitidState'])}
              data={[
                { value: 'any', label: t('people.any') },
                ...(['Active', 'Suspended', 'none', 'unknown'] as const).map((s) => ({ value: s, label: t(`people.mitid.${s}`) })),
              ]}
            />
            <TriSelect label={t('people.f.localCredential')} value={filter.localCredential} onChange={(v) => setF('localCredential', v)} />
            <TriSelect label={t('people.f.signing')} value={filter.signing} onChange={(v) => setF('signing', v)} />
            <Select
              size="xs"
              label={t('people.f.mfa')}
              value={filter.mfa}
              allowDeselect={false}
              comboboxProps={{ withinPortal: false }}
              onChange={(v) => setF('mfa', (v ?? 'any') as PeopleFilter['mfa'])}
              data={[
                { value: 'any', label: t('people.any') },
                { value: 'none', label: t('people.mfaNone') },
                { value: 'some', label: t('people.mfaSome') },
              ]}
            />
            <Select
              size="xs"
              label={t('people.f.nsisStatus')}
              clearable
              comboboxProps={{ withinPortal: false }}
              value={filter.nsisStatus || null}
              onChange={(v) => setF('nsisStatus', v ?? '')}
              placeholder={t('people.any')}
              data={[...new Set([...(nsisStatuses ?? []), ...(filter.nsisStatus ? [filter.nsisStatus] : [])])].map((s) => ({
                value: s,
                label: t(`people.nsis.${s}`, { defaultValue: s }),
              }))}
            />
            <Select
              size="xs"
              label={t('people.f.drift')}
              clearable
              comboboxProps={{ withinPortal: false }}
              value={filter.drift || null}
              onChange={(v) => setF('drift', (v ?? '') as PeopleFilter['drift'])}
              placeholder={t('people.any')}
              data={[{ value: 'any-drift', label: t('people.anyDrift') }, ...driftKinds.map((k) => ({ value: k, label: t(`people.driftKind.${k}`) }))]}
            />
          </SimpleGrid>
        </Popover.Dropdown>
      </Popover>
      {active > 0 && (
        <Button size="compact-sm" variant="subtle" onClick={onClear} style={{ flexShrink: 0 }}>
          {t('people.clearFilters')}
        </Button>
      )}
    </Group>
  );
});
