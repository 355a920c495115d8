import './i18n.ts';
import { forwardRef, useEffect, useMemo, useRef, useState, useTransition } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Menu, Select, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { driftKinds, type PeopleFilter, type PeopleQuery, type PersonRow, type SortKey} from '../../../shared/domain/people.ts';
import type { OpOutput } from '../../../shared/operations/index.ts';
import { invoke, type OpError } from '../../app/transport.ts';
import { useOperator } from '../session/useOperator.ts';
import { allColumns, defaultColumns } from './columns.tsx';
import { DriftView } from './DriftView.tsx';
import { Freshness } from './Freshness.tsx';
import { PersonDrawer } from './PersonDrawer.tsx';

/** Kept for other screens that show a person's AD state from a directory summary. */
export function AdState({ p }: { p: Pick<PersonSummary, 'enabled' | 'locked'> }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {p.enabled ? <Badge color="green" variant="light">{t('people.enabled')}</Badge> : <Badge color="gray">{t('people.disabled')}</Badge>}
      {p.locked && <Badge color="red">{t('people.locked')}</Badge>}
    </Group>
  );
}

const BLOCK = 100;
const ROW = 40;
type ListPage = OpOutput<'people.list'>;

const emptyFilter: PeopleFilter = {
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

function useColumns(operator: string | undefined) {
  const key = `lia.people.columns.${operator ?? ''}`;
  const [cols, setCols] = useState<string[]>(() => {
    try {
      const list = (JSON.parse(localStorage.getItem(key) ?? '[]') as string[]).filter((c) => allColumns.some((x) => x.id === c));
      return list.length ? list : defaultColumns;
    } catch {
      // A broken saved choice falls back to the default columns.
      return defaultColumns;
    }
  });
  const save = (next: string[]) => {
    // Name stays first: it is what the rows are found by.
    const ordered = allColumns.map((c) => c.id).filter((id) => next.includes(id) || id === 'displayName');
    setCols(ordered);
    localStorage.setItem(key, JSON.stringify(ordered));
  };
  return [cols, save] as const;
}

function download(name: string, mime: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PeoplePage() {
  const { t } = useTranslation();
  const operator = useOperator();
  const [tab, setTab] = useState<'list' | 'drift'>('list');
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('people.title')}
        </Title>
        <SegmentedControl
          data-testid="people-tabs"
          value={tab}
          onChange={(v) => setTab(v as 'list' | 'drift')}
          data={[
            { value: 'list', label: t('people.tabList') },
            { value: 'drift', label: t('people.tabDrift') },
          ]}
        />
      </Group>
      {tab === 'list' ? <PeopleList key={operator?.username ?? ''} onOpen={setSelected} operator={operator?.username} /> : <DriftView onOpen={setSelected} />}
      <PersonDrawer personId={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}

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

/** The search field keeps its own state: typing never waits for the list to re-render. */
const SearchBox = forwardRef<HTMLInputElement, { label: string; onText(v: string): void }>(function SearchBox({ label, onText }, ref) {
  const [text, setText] = useState('');
  return (
    <TextInput
      ref={ref}
      style={{ flex: 1 }}
      aria-label={label}
      placeholder={label}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onText(e.currentTarget.value);
      }}
      autoFocus
      rightSection={<Text size="xs" c="dimmed">Ctrl K</Text>}
      rightSectionWidth={60}
      data-testid="people-search"
    />
  );
});

function PeopleList({ onOpen, operator }: { onOpen: (id: string) => void; operator: string | undefined }) {
  const { t } = useTranslation();
  // The box owns what is typed; the list follows in a transition, so a keystroke re-renders only the box.
  const [deferredText, setDeferredText] = useState('');
  const [typing, startTyping] = useTransition();
  const [filter, setFilter] = useState<PeopleFilter>(emptyFilter);
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'displayName', dir: 'asc' });
  const [cols, setCols] = useColumns(operator);
  const [exportMsg, setExportMsg] = useState<string | null>(null);
  const [exportErr, setExportErr] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const parent = useRef<HTMLDivElement>(null);
  useHotkeys([['mod+K', () => input.current?.focus()]]);

  const query: PeopleQuery = useMemo(() => ({ text: deferredText, filter, sort: sort.key, dir: sort.dir }), [deferredText, filter, sort]);
  const setF = <K extends keyof PeopleFilter>(k: K, v: PeopleFilter[K]) => setFilter((f) => ({ ...f, [k]: v }));

  const first = useQuery<ListPage, OpError>({
    queryKey: ['people.list', { ...query, offset: 0, limit: BLOCK }],
    queryFn: () => invoke('people.list', { ...query, offset: 0, limit: BLOCK }),
    // Filters, sorting and polling keep the old rows until the new ones arrive; a new search text does
    // not, so a row on screen always belongs to the text in the box.
    placeholderData: (prev, prevQuery) => ((prevQuery?.queryKey[1] as { text?: string } | undefined)?.text === query.text ? keepPreviousData(prev) : undefined),
    // While a source is still being read, look again so the columns fill in.
    refetchInterval: (q) => (q.state.data?.sources.some((s) => s.state === 'loading') ? 1500 : false),
  });
  const total = first.data?.total ?? 0;
  const version = first.data?.version ?? 0;

  // A generous overscan (≈ one screen above and below) keeps Page Up/Down and quick scrolls filled;
  // the DOM still holds only ~80 rows whatever the total.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 60 });
  const items = virtual.getVirtualItems();
  const firstBlock = Math.floor((items[0]?.index ?? 0) / BLOCK);
  const lastBlock = Math.floor((items.at(-1)?.index ?? 0) / BLOCK);
  const blocks: number[] = [];
  for (let b = Math.max(1, firstBlock); b <= lastBlock; b++) blocks.push(b);
  const more = useQueries({
    queries: blocks.map((b) => ({
      queryKey: ['people.list', { ...query, offset: b * BLOCK, limit: BLOCK }, version],
      queryFn: () => invoke('people.list', { ...query, offset: b * BLOCK, limit: BLOCK }),
      staleTime: 30_000,
    })),
  });
  const rowAt = (i: number): PersonRow | undefined => {
    const b = Math.floor(i / BLOCK);
    const page = b === 0 ? first.data : more[blocks.indexOf(b)]?.data;
    return page?.rows[i - b * BLOCK];
  };
  useEffect(() => {
    parent.current?.scrollTo({ top: 0 });
  }, [query]);

  const shown = allColumns.filter((c) => cols.includes(c.id));
  const width = shown.reduce((a, c) => a + c.width, 0);
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const sortBy = (key: SortKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));
  const d = first.data;
  // Rows of an earlier search or filter stay on screen while the new ones come (typing never waits), but
  // dimmed and not offered as results: a click or a test never lands on a row of a view that is gone.
  const stale = typing || first.isPlaceholderData;

  const doExport = async (format: 'csv' | 'xlsx') => {
    setExporting(true);
    setExportErr(null);
    setExportMsg(null);
    try {
      const r = await invoke('people.export', { ...query, format, columns: cols });
      download(r.filename, r.mime, r.base64);
      setExportMsg(t('people.exported', { rows: r.rows.toLocaleString('da-DK'), file: r.filename }));
    } catch (e) {
      setExportErr((e as OpError).message);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Stack gap="xs">
      <Group align="flex-end" wrap="nowrap">
        <SearchBox ref={input} label={t('people.search')} onText={(v) => startTyping(() => setDeferredText(v))} />
        <Menu closeOnItemClick={false} position="bottom-end">
          <Menu.Target>
            <Button variant="default">{t('people.columns')}</Button>
          </Menu.Target>
          <Menu.Dropdown data-testid="column-chooser">
            {allColumns.map((c) => (
              <Menu.Item key={c.id} disabled={c.id === 'displayName'}>
                <Checkbox
                  label={t(`people.col.${c.id}`)}
                  checked={cols.includes(c.id)}
                  disabled={c.id === 'displayName'}
                  onChange={(e) => setCols(e.currentTarget.checked ? [...cols, c.id] : cols.filter((x) => x !== c.id))}
                />
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Menu position="bottom-end">
          <Menu.Target>
            <Button variant="default" loading={exporting}>
              {t('people.export')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => void doExport('csv')}>{t('people.exportCsv')}</Menu.Item>
            <Menu.Item onClick={() => void doExport('xlsx')}>{t('people.exportXlsx')}</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <SimpleGrid cols={{ base: 3, md: 6 }} spacing="xs" data-testid="people-filters">
        <Select
          size="xs"
          label={t('people.f.ou')}
          searchable
          clearable
          value={filter.ou || null}
          onChange={(v) => setF('ou', v ?? '')}
          data={d?.ous ?? []}
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
          data={(d?.nsisStatuses ?? []).map((s) => ({ value: s, label: t(`people.nsis.${s}`, { defaultValue: s }) }))}
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
        <Button size="xs" variant="subtle" mt="lg" onClick={() => setFilter(emptyFilter)}>
          {t('people.clearFilters')}
        </Button>
      </SimpleGrid>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="people-count">
          {d ? t('people.view', { total: d.total.toLocaleString('da-DK'), indexed: d.indexed.toLocaleString('da-DK') }) : t('people.loadingRows')}
        </Text>
        {d && (
          <Group gap="xs">
            <Freshness sources={d.sources} />
            <Button size="compact-xs" variant="subtle" onClick={() => void invoke('people.refresh', {}).then(() => first.refetch())}>
              {t('people.refresh')}
            </Button>
          </Group>
        )}
      </Group>
      {first.error && <Alert color="red">{first.error.message}</Alert>}
      {exportMsg && (
        <Alert color="green" withCloseButton onClose={() => setExportMsg(null)}>
          {exportMsg}
        </Alert>
      )}
      {exportErr && <Alert color="red">{exportErr}</Alert>}
      {d && d.total === 0 && <Text>{t('people.none')}</Text>}
      <div ref={parent} style={{ height: 'calc(100vh - 400px)', minHeight: 320, overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}>
        <table style={{ width: Math.max(width, 900), borderCollapse: 'collapse', tableLayout: 'fixed', fontSize: 14 }} aria-rowcount={total}>
          <colgroup>
            {shown.map((c) => (
              <col key={c.id} style={{ width: c.width }} />
            ))}
          </colgroup>
          <thead style={{ position: 'sticky', top: 0, background: 'var(--mantine-color-body)', zIndex: 1 }}>
            <tr>
              {shown.map((c) => (
                <th key={c.id} style={{ textAlign: 'left', padding: '6px 8px', borderBottom: '1px solid var(--mantine-color-gray-4)', whiteSpace: 'nowrap' }}
                  aria-sort={c.sort && sort.key === c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {c.sort ? (
                    <button type="button" onClick={() => sortBy(c.sort!)} style={{ all: 'unset', cursor: 'pointer', fontWeight: 600 }}>
                      {t(`people.col.${c.id}`)} {sort.key === c.sort ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                    </button>
                  ) : (
                    <span style={{ fontWeight: 600 }}>{t(`people.col.${c.id}`)}</span>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && (
              <tr aria-hidden>
                <td style={{ height: padTop, padding: 0 }} colSpan={shown.length} />
              </tr>
            )}
            {items.map((v) => {
              const r = rowAt(v.index);
              if (!r) {
                return (
                  <tr key={`p${v.index}`} style={{ height: ROW }}>
                    <td colSpan={shown.length} style={{ padding: '0 8px', color: 'var(--mantine-color-dimmed)' }}>
                      {t('people.loadingRows')}
                    </td>
                  </tr>
                );
              }
              return (
                <tr
                  key={r.id}
                  tabIndex={0}
                  aria-rowindex={v.index + 1}
                  data-testid={stale ? 'person-row-stale' : 'person-row'}
                  aria-busy={stale || undefined}
                  style={{ height: ROW, cursor: 'pointer', opacity: stale ? 0.55 : 1, borderBottom: '1px solid var(--mantine-color-gray-2)', background: v.index % 2 ? 'var(--mantine-color-gray-0)' : undefined }}
                  onClick={() => r.source === 'ad' && onOpen(r.id)}
                  onKeyDown={(e) => {
                    if ((e.key === 'Enter' || e.key === ' ') && r.source === 'ad') {
                      e.preventDefault();
                      onOpen(r.id);
                    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                      e.preventDefault();
                      const next = (e.currentTarget as HTMLElement)[e.key === 'ArrowDown' ? 'nextElementSibling' : 'previousElementSibling'] as HTMLElement | null;
                      next?.focus();
                    }
                  }}
                >
                  {shown.map((c) => (
                    <td key={c.id} style={{ padding: '0 8px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                      {c.cell(r, t)}
                    </td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 && (
              <tr aria-hidden>
                <td style={{ height: padBottom, padding: 0 }} colSpan={shown.length} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </Stack>
  );
}
