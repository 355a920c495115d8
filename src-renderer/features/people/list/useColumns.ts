import { useCallback, useState } from 'react';
import type { PeopleColumnId } from '../../../../shared/domain/people.ts';
import { allColumns, defaultColumns } from '../columns.tsx';

/** The last column choice, per operator on this workstation; a default saved view's columns win over it. */
export function useColumns(operator: string | undefined, fromView: PeopleColumnId[] | undefined) {
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
