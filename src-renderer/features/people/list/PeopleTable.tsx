import { createContext, forwardRef, memo, useContext, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { PeopleQuery, PersonRow, SortKey } from '../../../../shared/domain/people.ts';
import type { Column } from '../columns.tsx';
import { block, BLOCK, type ListPage } from './blocks.ts';
import { LIST_ID, SEARCH_ID } from '../../../app/shortcuts.tsx';

/** Dense rows: 15+ people on a 1366×768 screen. */
const ROW = 30;
/** Rows rendered beyond the visible ones, above and below. */
const OVERSCAN = 8;
/** The app's footer (32 px) and the main area's bottom padding. */
const FOOTER_ROOM = 32 + 16 + 2;
export type Sort = { key: SortKey; dir: 'asc' | 'desc' };

const TableHead = memo(function TableHead({ shown, sort, onSort }: { shown: Column[]; sort: Sort; onSort: (key: SortKey) => void }) {
  const { t } = useTranslation();
  return (
    <thead style={{ position: 'sticky', top: 0, background: 'var(--mantine-color-body)', zIndex: 1 }}>
      <tr>
        {shown.map((c, i) => {
          // A narrow column shows its short name; the full one is its tooltip.
          const label = t(`people.colShort.${c.id}`, { defaultValue: t(`people.col.${c.id}`) });
          return (
            <th
              key={c.id}
              title={t(`people.col.${c.id}`)}
              style={{
                textAlign: 'left',
                padding: '4px 6px',
                borderBottom: '1px solid var(--mantine-color-gray-4)',
                whiteSpace: 'nowrap',
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                background: 'var(--mantine-color-body)',
                ...(i === 0 ? stickyCell : null),
                ...(i === 0 ? { zIndex: 2 } : null),
              }}
              aria-sort={c.sort && sort.key === c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {c.sort ? (
                <button type="button" onClick={() => onSort(c.sort!)} style={{ all: 'unset', cursor: 'pointer', fontWeight: 600 }}>
                  {label} {sort.key === c.sort ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                </button>
              ) : (
                <span style={{ fontWeight: 600 }}>{label}</span>
              )}
            </th>
          );
        })}
      </tr>
    </thead>
  );
});

const cellStyle = { padding: '0 6px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;
/** The name column stays in view when the table scrolls sideways (with extra columns chosen). */
const stickyCell = { position: 'sticky', left: 0, zIndex: 1, background: 'inherit', boxShadow: 'inset -1px 0 0 var(--mantine-color-gray-3)' } as const;
const firstCellStyle = { ...cellStyle, ...stickyCell, fontWeight: 500 } as const;

/** A row's cells render again only when the row's data or the columns change (rows keep their identity across polls). */
const Cells = memo(function Cells({ r, shown }: { r: PersonRow; shown: Column[] }) {
  const { t } = useTranslation();
  return shown.map((c, i) => (
    <td key={c.id} style={i === 0 ? firstCellStyle : cellStyle}>
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
  // Marked at once, not in a transition: a click right after a keystroke must never land on a row of the
  // view that is going away.
  useImperativeHandle(ref, () => ({ set: setTyping }), []);
  return (
    <Typing.Provider value={typing}>
      {/* Marked busy as one body, not dimmed: translucent text would fall below WCAG's 4.5:1 contrast. */}
      <tbody aria-busy={typing || loading} style={{ cursor: typing || loading ? 'progress' : undefined }}>
        {children}
      </tbody>
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
      data-person-id={r.id}
      data-testid={stale ? 'person-row-stale' : 'person-row'}
      data-states={`${r.states.account} ${r.states.identity} ${r.states.signing}`}
      aria-busy={stale || undefined}
      style={{ height: ROW, cursor: 'pointer', borderBottom: '1px solid var(--mantine-color-gray-2)', background: index % 2 ? 'var(--mantine-color-gray-0)' : 'var(--mantine-color-body)' }}
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

  // Every row in the DOM is laid out, layerized (its sticky name cell) and painted on each frame the
  // operator types in: a small overscan keeps that to the screen plus a few rows (~30 in all).
  const virtual = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: OVERSCAN });
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
  // The list fills the screen down to the footer: its height is what is left below its top edge.
  const [height, setHeight] = useState<number | null>(null);
  useLayoutEffect(() => {
    const fit = () => {
      const top = parent.current?.getBoundingClientRect().top;
      if (top !== undefined) setHeight(Math.max(240, Math.floor(window.innerHeight - top - FOOTER_ROOM)));
    };
    fit();
    window.addEventListener('resize', fit);
    const observer = new ResizeObserver(fit);
    if (parent.current?.parentElement) observer.observe(parent.current.parentElement);
    return () => {
      window.removeEventListener('resize', fit);
      observer.disconnect();
    };
  }, []);
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;

  return (
    // contain: the table's layout and paint stay inside this box, so a keystroke in the search box (or a
    // status chip ticking) never lays out or repaints the table, and the table's updates never the page.
    <div ref={parent} id={LIST_ID} style={{ height: height ?? 'calc(100vh - 260px)', overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, contain: 'content' }}
      data-testid="people-table"
    >
      {/* Full width; wider than the screen only when more columns are chosen than fit. */}
      <table style={{ width: '100%', minWidth: width, borderCollapse: 'collapse', tableLayout: 'fixed', fontSize: 13 }} aria-rowcount={total}>
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
