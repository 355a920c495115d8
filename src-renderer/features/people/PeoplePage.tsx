import './i18n.ts';
import { createContext, forwardRef, memo, useCallback, useContext, useDeferredValue, useEffect, useImperativeHandle, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Checkbox, Group, Menu, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { PeopleColumnId, PeopleFilter, PeopleQuery, PeopleViewSettings, PersonRow, SavedPeopleView, SortKey } from '../../../shared/domain/people.ts';
import type { OpOutput } from '../../../shared/operations/index.ts';
import { download } from '../../app/download.ts';
import { opQuery, useOpMutation } from '../../app/ops.ts';
import type { OpError } from '../../app/transport.ts';
import { useOperator } from '../session/useOperator.ts';
import { can, scopeLabel } from '../../../shared/access.ts';
import { allColumns, defaultColumns, type Column } from './columns.tsx';
import { DriftView } from './DriftView.tsx';
import { Freshness } from './Freshness.tsx';
import { PeopleFilters, emptyFilter, type SetFilter } from './PeopleFilters.tsx';
import { PersonDrawer } from './person/PersonDrawer.tsx';
import { SavedViews, useSavedViews, type CurrentView } from './SavedViews.tsx';
import { SearchBox, type SearchBoxHandle } from './SearchBox.tsx';

const BLOCK = 100;
const ROW = 40;
type ListPage = OpOutput<'people.list'>;
type Sort = { key: SortKey; dir: 'asc' | 'desc' };

/** One block of the list: the same key wherever it is asked for, so a prefetch is found again. */
const block = (query: PeopleQuery, b: number, version?: number) => opQuery('people.list', { ...query, offset: b * BLOCK, limit: BLOCK }, version);
const plainQuery: PeopleQuery = { text: '', filter: emptyFilter, sort: 'displayName', dir: 'asc' };

/** The last column choice, per operator on this workstation; a default saved view's columns win over it. */
function useColumns(operator: string | undefined, fromView: PeopleColumnId[] | undefined) {
  const key = `lia.people.columns.${operator ?? ''}`;
  const [cols, setCols] = useState<PeopleColumnId[]>(() => {
    if (fromView?.length) return fromView;
    try {
      const saved = JSON.parse(localStorage.getItem(key) ?? '[]') as string[];
      const list = allColumns.map((c) => c.id).filter((id) => saved.includes(id));
      return list.length ? list : defaultColumns;
    } catch {
      // A broken saved choice falls back to the default columns.
      return defaultColumns;
    }
  });
  const save = useCallback(
    (next: PeopleColumnId[]) => {
      // Name stays first: it is what the rows are found by.
      const ordered = allColumns.map((c) => c.id).filter((id) => next.includes(id) || id === 'displayName');
      setCols(ordered);
      localStorage.setItem(key, JSON.stringify(ordered));
    },
    [key],
  );
  return [cols, save] as const;
}

export function PeoplePage() {
  const { t } = useTranslation();
  const operator = useOperator();
  const [tab, setTab] = useState<'list' | 'drift'>('list');
  const [selected, setSelected] = useState<string | null>(null);
  // A helpdesk agent limited to OUs sees only their people, and is told so.
  const decision = can(operator, 'people.list');
  const scope = decision.allowed ? decision.scope : null;
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
      {scope && (
        <Text size="sm" data-testid="people-scope">
          {t('people.scopedTo', { ous: scopeLabel(scope) })}
        </Text>
      )}
      {tab === 'list' ? <PeopleList key={operator?.username ?? ''} onOpen={setSelected} operator={operator?.username} /> : <DriftView onOpen={setSelected} />}
      <PersonDrawer personId={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}

/** Waits for the operator's saved views (one small local read), so the list opens straight in the default view. */
function PeopleList({ onOpen, operator }: { onOpen: (id: string) => void; operator: string | undefined }) {
  const { t } = useTranslation();
  const views = useSavedViews(operator);
  const qc = useQueryClient();
  // Most operators have no default view: ask for the plain list at the same time, not after.
  useEffect(() => {
    void qc.prefetchQuery({ ...block(plainQuery, 0), staleTime: 10_000 });
  }, [qc]);
  if (views.isPending) {
    return (
      <Text size="sm" c="dimmed">
        {t('people.loadingRows')}
      </Text>
    );
  }
  // Views that cannot be read must not keep the list away: it opens plain, and the menu says why.
  const list = views.data?.views ?? [];
  return <PeopleListView onOpen={onOpen} operator={operator} views={list} viewsError={views.error} initial={list.find((v) => v.isDefault) ?? null} />;
}

const MemoFreshness = memo(Freshness, (a, b) => JSON.stringify(a.sources) === JSON.stringify(b.sources));

/** Each result brings the OU and status lists anew; the same content keeps the same array, so the filters need not render again. */
function useSameArray(next: string[] | undefined): string[] | undefined {
  const [kept, setKept] = useState(next);
  if (next !== kept && (next === undefined || kept === undefined || next.length !== kept.length || next.some((x, i) => x !== kept[i]))) {
    setKept(next);
    return next;
  }
  return kept;
}

const ColumnChooser = memo(function ColumnChooser({ cols, setCols }: { cols: PeopleColumnId[]; setCols: (next: PeopleColumnId[]) => void }) {
  const { t } = useTranslation();
  return (
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
  );
});

const ExportMenu = memo(function ExportMenu({ busy, onExport }: { busy: boolean; onExport: (format: 'csv' | 'xlsx') => void }) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" loading={busy}>
          {t('people.export')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => onExport('csv')}>{t('people.exportCsv')}</Menu.Item>
        <Menu.Item onClick={() => onExport('xlsx')}>{t('people.exportXlsx')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
});

const TableHead = memo(function TableHead({ shown, sort, onSort }: { shown: Column[]; sort: Sort; onSort: (key: SortKey) => void }) {
  const { t } = useTranslation();
  return (
    <thead style={{ position: 'sticky', top: 0, background: 'var(--mantine-color-body)', zIndex: 1 }}>
      <tr>
        {shown.map((c) => (
          <th
            key={c.id}
            style={{ textAlign: 'left', padding: '6px 8px', borderBottom: '1px solid var(--mantine-color-gray-4)', whiteSpace: 'nowrap' }}
            aria-sort={c.sort && sort.key === c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
          >
            {c.sort ? (
              <button type="button" onClick={() => onSort(c.sort!)} style={{ all: 'unset', cursor: 'pointer', fontWeight: 600 }}>
                {t(`people.col.${c.id}`)} {sort.key === c.sort ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
              </button>
            ) : (
              <span style={{ fontWeight: 600 }}>{t(`people.col.${c.id}`)}</span>
            )}
          </th>
        ))}
      </tr>
    </thead>
  );
});

const cellStyle = { padding: '0 8px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

/** A row's cells render again only when the row's data or the columns change (rows keep their identity across polls). */
const Cells = memo(function Cells({ r, shown }: { r: PersonRow; shown: Column[] }) {
  const { t } = useTranslation();
  return shown.map((c) => (
    <td key={c.id} style={cellStyle}>
      {c.cell(r, t)}
    </td>
  ));
});

/** True from the first keystroke until the list has the box's text. */
const Typing = createContext(false);
interface TypingHandle {
  set(typing: boolean): void;
}

/**
 * The table body, holding only whether the box is ahead of the list. Flipping it re-renders the rows
 * that read it (to mark them stale at once), not the page: its children are the same elements as before.
 */
const StaleBody = forwardRef<TypingHandle, { loading: boolean; children: ReactNode }>(function StaleBody({ loading, children }, ref) {
  const [typing, setTyping] = useState(false);
  useImperativeHandle(ref, () => ({ set: setTyping }), []);
  return (
    <Typing.Provider value={typing}>
      {/* Dimmed as one: a single translucent body is cheaper to paint than one per row. */}
      <tbody style={{ opacity: typing || loading ? 0.55 : 1 }}>{children}</tbody>
    </Typing.Provider>
  );
});

/** Marking rows stale (or not) touches only the row element, never its cells. */
const Row = memo(function Row({ r, index, shown, loading, onOpen }: { r: PersonRow; index: number; shown: Column[]; loading: boolean; onOpen: (id: string) => void }) {
  // Rows of an earlier search or filter stay on screen while the new ones come, but dimmed and not
  // offered as results: a click or a test never lands on a row of a view that is gone.
  const stale = useContext(Typing) || loading;
  return (
    <tr
      tabIndex={0}
      aria-rowindex={index + 1}
      data-testid={stale ? 'person-row-stale' : 'person-row'}
      aria-busy={stale || undefined}
      style={{ height: ROW, cursor: 'pointer', borderBottom: '1px solid var(--mantine-color-gray-2)', background: index % 2 ? 'var(--mantine-color-gray-0)' : undefined }}
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
      <Cells r={r} shown={shown} />
    </tr>
  );
});

function PeopleListView({
  onOpen,
  operator,
  views,
  viewsError,
  initial,
}: {
  onOpen: (id: string) => void;
  operator: string | undefined;
  views: SavedPeopleView[];
  viewsError: OpError | null;
  initial: SavedPeopleView | null;
}) {
  const { t } = useTranslation();
  // The box owns what is typed; the list gets the text after a pause, in a transition. A keystroke
  // re-renders nothing; the first of a burst only marks the rows stale.
  const [text, setText] = useState(initial?.settings.text ?? '');
  const typing = useRef<TypingHandle>(null);
  const [filter, setFilter] = useState<PeopleFilter>(initial?.settings.filter ?? emptyFilter);
  const [sort, setSort] = useState<Sort>({ key: initial?.settings.sort ?? 'displayName', dir: initial?.settings.dir ?? 'asc' });
  const [cols, setCols] = useColumns(operator, initial?.settings.columns);
  const [exportMsg, setExportMsg] = useState<string | null>(null);
  const [exportErr, setExportErr] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const search = useRef<SearchBoxHandle>(null);
  const parent = useRef<HTMLDivElement>(null);

  const query: PeopleQuery = useMemo(() => ({ text, filter, sort: sort.key, dir: sort.dir }), [text, filter, sort]);
  const onTyping = useCallback(() => typing.current?.set(true), []);
  const onCommit = useCallback((v: string) => {
    setText(v);
    typing.current?.set(false);
  }, []);
  const setF = useCallback<SetFilter>((k, v) => setFilter((f) => ({ ...f, [k]: v })), []);
  const clearFilters = useCallback(() => setFilter(emptyFilter), []);
  const sortBy = useCallback((key: SortKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' })), []);
  const getText = useCallback(() => search.current?.value() ?? '', []);
  const applyView = useCallback(
    (s: PeopleViewSettings) => {
      setFilter(s.filter);
      setSort({ key: s.sort, dir: s.dir });
      setCols(s.columns);
      // A view without search text narrows whatever is being searched for.
      if (s.text) search.current?.set(s.text);
    },
    [setCols],
  );
  const current: CurrentView = useMemo(() => ({ text, filter, sort: sort.key, dir: sort.dir, columns: cols }), [text, filter, sort, cols]);

  const first = useQuery<ListPage, OpError>({
    ...block(query, 0),
    // The old rows stay until the new ones arrive (typing never waits), dimmed and marked stale, so a
    // click or a test never lands on a row of a view that is gone.
    placeholderData: keepPreviousData,
    // While a source is still being read, look again so the columns fill in.
    refetchInterval: (q) => (q.state.data?.sources.some((s) => s.state === 'loading') ? 1500 : false),
  });
  // New results arrive as a store update, which React renders synchronously; rendering them from a
  // deferred copy lets React build the new rows in slices, so a keystroke never waits behind them.
  const d = useDeferredValue(first.data);
  const total = d?.total ?? 0;
  const version = d?.version ?? 0;
  const ous = useSameArray(d?.ous);
  const nsisStatuses = useSameArray(d?.nsisStatuses);

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
    // Keyed by the index version too: a block fetched before the index changed is not shown after.
    queries: blocks.map((b) => ({ ...block(query, b, version), staleTime: 30_000 })),
  });
  const rowAt = (i: number): PersonRow | undefined => {
    const b = Math.floor(i / BLOCK);
    const page = b === 0 ? d : more[blocks.indexOf(b)]?.data;
    return page?.rows[i - b * BLOCK];
  };
  useEffect(() => {
    parent.current?.scrollTo({ top: 0 });
  }, [query]);

  const shown = useMemo(() => allColumns.filter((c) => cols.includes(c.id)), [cols]);
  const width = shown.reduce((a, c) => a + c.width, 0);
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  // The rows on screen are not yet those of the current query.
  const loading = first.isPlaceholderData || d !== first.data;

  const exportList = useOpMutation('people.export').mutateAsync;
  const refresh = useOpMutation('people.refresh');
  const doExport = useCallback(
    async (format: 'csv' | 'xlsx') => {
      setExporting(true);
      setExportErr(null);
      setExportMsg(null);
      try {
        const r = await exportList({ ...query, format, columns: cols });
        download(r.filename, r.mime, { base64: r.base64 });
        setExportMsg(t('people.exported', { rows: r.rows.toLocaleString('da-DK'), file: r.filename }));
      } catch (e) {
        setExportErr((e as OpError).message);
      } finally {
        setExporting(false);
      }
    },
    [query, cols, t, exportList],
  );
  const onExport = useCallback((format: 'csv' | 'xlsx') => void doExport(format), [doExport]);

  return (
    <Stack gap="xs">
      <Group align="flex-end" wrap="nowrap">
        <SearchBox ref={search} label={t('people.search')} initial={initial?.settings.text ?? ''} onTyping={onTyping} onCommit={onCommit} />
        <SavedViews operator={operator} views={views} initialActive={initial?.name ?? null} current={current} getText={getText} onApply={applyView} />
        <ColumnChooser cols={cols} setCols={setCols} />
        <ExportMenu busy={exporting} onExport={onExport} />
      </Group>
      {viewsError && (
        <Alert color="orange" variant="light">
          {t('people.views.unavailable', { message: viewsError.message })}
        </Alert>
      )}
      <PeopleFilters filter={filter} setF={setF} onClear={clearFilters} ous={ous} nsisStatuses={nsisStatuses} />
      <Group justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="people-count">
          {d ? t('people.view', { count: d.total, total: d.total.toLocaleString('da-DK'), indexed: d.indexed.toLocaleString('da-DK') }) : t('people.loadingRows')}
        </Text>
        {d && (
          <Group gap="xs">
            <MemoFreshness sources={d.sources} />
            <Button size="compact-xs" variant="subtle" onClick={() => refresh.mutate({})}>
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
          <TableHead shown={shown} sort={sort} onSort={sortBy} />
          <StaleBody ref={typing} loading={loading}>
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
              return <Row key={r.id} r={r} index={v.index} shown={shown} loading={loading} onOpen={onOpen} />;
            })}
            {padBottom > 0 && (
              <tr aria-hidden>
                <td style={{ height: padBottom, padding: 0 }} colSpan={shown.length} />
              </tr>
            )}
          </StaleBody>
        </table>
      </div>
    </Stack>
  );
}
