import { memo } from 'react';
import { Button, Select, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { driftKinds, type PeopleFilter } from '../../../shared/domain/people.ts';

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
};

export type SetFilter = <K extends keyof PeopleFilter>(k: K, v: PeopleFilter[K]) => void;

function TriSelect({ label, value, onChange }: { label: string; value: 'any' | 'yes' | 'no'; onChange: (v: 'any' | 'yes' | 'no') => void }) {
  const { t } = useTranslation();
  return (
    <Select
      size="xs"
      label={label}
      value={value}
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

/** Eleven selects are the heaviest part of the page to render: memoised, they render only when a filter changes. */
export const PeopleFilters = memo(function PeopleFilters({
  filter,
  setF,
  onClear,
  ous,
  nsisStatuses,
}: {
  filter: PeopleFilter;
  setF: SetFilter;
  onClear(): void;
  ous: string[] | undefined;
  nsisStatuses: string[] | undefined;
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 3, md: 6 }} spacing="xs" data-testid="people-filters">
      <Select
        size="xs"
        label={t('people.f.ou')}
        searchable
        clearable
        value={filter.ou || null}
        onChange={(v) => setF('ou', v ?? '')}
        // A saved view may name an OU the index has not listed yet: it is still shown.
        data={filter.ou && !(ous ?? []).includes(filter.ou) ? [filter.ou, ...(ous ?? [])] : (ous ?? [])}
        placeholder={t('people.any')}
      />
      <TriSelect label={t('people.f.adEnabled')} value={filter.adEnabled} onChange={(v) => setF('adEnabled', v)} />
      <TriSelect label={t('people.f.adLocked')} value={filter.adLocked} onChange={(v) => setF('adLocked', v)} />
      <TriSelect label={t('people.f.mustChange')} value={filter.mustChange} onChange={(v) => setF('mustChange', v)} />
      <TriSelect label={t('people.f.passwordExpired')} value={filter.passwordExpired} onChange={(v) => setF('passwordExpired', v)} />
      <Select
        size="xs"
        label={t('people.f.mitidState')}
        value={filter.mitidState}
        allowDeselect={false}
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
        value={filter.drift || null}
        onChange={(v) => setF('drift', (v ?? '') as PeopleFilter['drift'])}
        placeholder={t('people.any')}
        data={[{ value: 'any-drift', label: t('people.anyDrift') }, ...driftKinds.map((k) => ({ value: k, label: t(`people.driftKind.${k}`) }))]}
      />
      <Button size="xs" variant="subtle" mt="lg" onClick={onClear}>
        {t('people.clearFilters')}
      </Button>
    </SimpleGrid>
  );
});
