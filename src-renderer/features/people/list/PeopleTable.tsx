import { createContext, forwardRef, memo, useContext, useEffect, useImperativeHandle, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { PeopleQuery, PersonRow, SortKey } from '../../../../shared/domain/people.ts';
import type { Column } from '../columns.tsx';
import { block, BLOCK, type ListPage } from './blocks.ts';
import { LIST_ID, SEARCH_ID } from '../../../app/shortcuts.tsx';

const ROW = 40;
export type Sort = { key: SortKey; dir: 'asc' | 'desc' };

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
export interface TypingHandle {
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
          // Above the first person is the search box (Arrow Down from there comes back here).
          if (next?.tabIndex === 0) next.focus();
          else if (e.key === 'ArrowUp' && index === 0) document.getElementById(SEARCH_ID)?.focus();
        }
      }}
    >
      <Cells r={r} shown={shown} />
    </tr>
  );
});

interface Props {
  query: PeopleQuery;
  /** The first block of the current query (it carries the total and the index version). */
  first: ListPage | undefined;
  /** The rows on screen are not yet those of the current query. */
  loading: boolean;
  shown: Column[];
  sort: Sort;
  onSort: (key: SortKey) => void;
  onOpen: (id: string) => void;
  /** Marks the rows stale from the first keystroke, without rendering the page. */
  typing: RefObject<TypingHandle | null>;
}

/**
 * The people as a virtual table: only the rows in view (plus a screen's overscan) are in the DOM, and
 * blocks after the first are fetched as they scroll into view. Scrolling renders this table, not the page.
 */
export const PeopleTable = memo(function PeopleTable({ query, first, loading, shown, sort, onSort, onOpen, typing }: Props) {
  const { t } = useTranslation();
  const parent = useRef<HTMLDivElement>(null);
  const total = first?.total ?? 0;
  const version = first?.version ?? 0;

  // A generous overscan (≈ one screen above and below) keeps Page Up/Down and quick scrolls filled;
  // the DOM still holds only ~80 rows whatever the total.
  const virtual = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 60 });
  const items = virtual.getVirtualItems();
  const firstBlock = Math.floor((items[0]?.index ?? 0) / BLOCK);
  const lastBlock = Math.floor((items.at(-1)?.index ?? 0) / BLOCK);
  const blocks: number[] = [];
  for (let b = Math.max(1, firstBlock); b <= lastBlock; b++) blocks.push(b);
  const more = useQueries({
    queries: blocks.map((b) => ({ ...block(query, b, version), staleTime: 30_000 })),
  });
  const rowAt = (i: number): PersonRow | undefined => {
    const b = Math.floor(i / BLOCK);
    const page = b === 0 ? first : more[blocks.indexOf(b)]?.data;
    return page?.rows[i - b * BLOCK];
  };
  useEffect(() => {
    parent.current?.scrollTo({ top: 0 });
  }, [query]);

  const width = shown.reduce((a, c) => a + c.width, 0);
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;

  return (
    <div ref={parent} id={LIST_ID} style={{ height: 'calc(100vh - 400px)', minHeight: 320, overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}>
      <table style={{ width: Math.max(width, 900), borderCollapse: 'collapse', tableLayout: 'fixed', fontSize: 14 }} aria-rowcount={total}>
        <colgroup>
          {shown.map((c) => (
            <col key={c.id} style={{ width: c.width }} />
          ))}
        </colgroup>
        <TableHead shown={shown} sort={sort} onSort={onSort} />
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
  );
});
