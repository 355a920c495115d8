import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, Group, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PeopleFilter, PeopleQuery, PeopleViewSettings, SavedPeopleView, SortKey } from '../../../../shared/domain/people.ts';
import { useOp } from '../../../app/ops.ts';
import { errorText } from '../../../app/errors.ts';
import type { OpError } from '../../../app/transport.ts';
import { allColumns } from '../columns.tsx';
import { PeopleFilters, emptyFilter, type SetFilter } from '../PeopleFilters.tsx';
import { SavedViews, useSavedViews, type CurrentView } from '../SavedViews.tsx';
import { SearchBox, type SearchBoxHandle } from '../SearchBox.tsx';
import { block, blockInput, plainQuery } from './blocks.ts';
import { PeopleCount } from './PeopleCount.tsx';
import { PeopleTable, type Sort, type TypingHandle } from './PeopleTable.tsx';
import { ColumnChooser, ExportMenu, usePeopleExport } from './PeopleToolbar.tsx';
import { useColumns } from './useColumns.ts';
import { inBackground } from '../../../app/background.ts';

/** Waits for the operator's saved views (one small local read), so the list opens straight in the default view. */
export function PeopleList({
  onOpen,
  operator,
  scopeText,
  lead,
  trail,
}: {
  onOpen: (id: string) => void;
  operator: string | undefined;
  scopeText?: string | null;
  /** Shown first and last in the toolbar row (the page's title and tabs). */
  lead?: ReactNode;
  trail?: ReactNode;
}) {
  const { t } = useTranslation();
  const views = useSavedViews(operator);
  const qc = useQueryClient();
  // Most operators have no default view: ask for the plain list at the same time, not after.
  useEffect(() => {
    inBackground(qc.prefetchQuery({ ...block(plainQuery, 0), staleTime: 10_000 }));
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
  return <PeopleListView onOpen={onOpen} operator={operator} scopeText={scopeText ?? null} lead={lead} trail={trail} views={list} viewsError={views.error} initial={list.find((v) => v.isDefault) ?? null} />;
}

/** Each result brings the OU and status lists anew; the same content keeps the same array, so the filters need not render again. */
function useSameArray<T>(next: T[] | undefined, key: (x: T) => string = String): T[] | undefined {
  const [kept, setKept] = useState(next);
  if (next !== kept && (next === undefined || kept === undefined || next.length !== kept.length || next.some((x, i) => key(x) !== key(kept[i] as T)))) {
    setKept(next);
    return next;
  }
  return kept;
}

/** The list's state (search text, filters, sort, columns) and its parts: toolbar, filters, count line, table. */
function PeopleListView({
  onOpen,
  operator,
  scopeText,
  lead,
  trail,
  views,
  viewsError,
  initial,
}: {
  onOpen: (id: string) => void;
  operator: string | undefined;
  scopeText: string | null;
  lead: ReactNode;
  trail: ReactNode;
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
  const search = useRef<SearchBoxHandle>(null);

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

  const first = useOp('people.list', blockInput(query, 0), {
    // The old rows stay until the new ones arrive (typing never waits), dimmed and marked stale, so a
    // click or a test never lands on a row of a view that is gone.
    placeholderData: keepPreviousData,
    // While a source is still being read, look again so the columns fill in.
    refetchInterval: (q) => (q.state.data?.sources.some((s) => s.state === 'loading') ? 1500 : false),
  });
  // New results arrive as a store update, which React renders synchronously; rendering them from a
  // deferred copy lets React build the new rows in slices, so a keystroke never waits behind them.
  const d = useDeferredValue(first.data);
  const ous = useSameArray(d?.ous);
  const nsisStatuses = useSameArray(d?.nsisStatuses);
  const domains = useSameArray(d?.domains, (x) => `${x.id}\u0000${x.name}\u0000${x.count}`);
  // The domain column says something only while the list holds several domains' people.
  const several = (domains?.length ?? 0) > 1;
  const shown = useMemo(() => allColumns.filter((c) => cols.includes(c.id) && (c.id !== 'domain' || several)), [cols, several]);
  // The rows on screen are not yet those of the current query.
  const loading = first.isPlaceholderData || d !== first.data;
  // The export holds the columns on screen, so a one-domain list exports no empty domain column.
  const shownIds = useMemo(() => shown.map((c) => c.id), [shown]);
  const exported = usePeopleExport(query, shownIds);

  return (
    <Stack gap={6}>
      <Group align="center" wrap="nowrap" gap="sm">
        {lead}
        <SearchBox ref={search} label={t('people.search')} initial={initial?.settings.text ?? ''} onTyping={onTyping} onCommit={onCommit} />
        <SavedViews operator={operator} views={views} initialActive={initial?.name ?? null} current={current} getText={getText} onApply={applyView} />
        <ColumnChooser cols={cols} setCols={setCols} offerDomain={several} />
        <ExportMenu busy={exported.busy} onExport={exported.onExport} />
        {trail}
      </Group>
      {viewsError && (
        <Alert color="orange" variant="light">
          {t('people.views.unavailable', { message: errorText(viewsError) })}
        </Alert>
      )}
      <PeopleFilters filter={filter} setF={setF} onClear={clearFilters} ous={ous} nsisStatuses={nsisStatuses} domains={domains} />
      <PeopleCount page={d} scopeText={scopeText} />
      {first.error && <Alert color="red">{errorText(first.error)}</Alert>}
      {exported.message && (
        <Alert color="green" withCloseButton onClose={exported.clearMessage}>
          {exported.message}
        </Alert>
      )}
      {exported.error && <Alert color="red">{exported.error}</Alert>}
      {d && d.total === 0 && <Text>{t('people.none')}</Text>}
      <PeopleTable query={query} first={d} loading={loading} shown={shown} sort={sort} onSort={sortBy} onOpen={onOpen} typing={typing} />
    </Stack>
  );
}
