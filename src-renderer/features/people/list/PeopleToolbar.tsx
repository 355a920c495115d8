import { memo, useCallback, useState } from 'react';
import { Button, Checkbox, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PeopleColumnId, PeopleQuery } from '../../../../shared/domain/people.ts';
import { download } from '../../../app/download.ts';
import { errorText } from '../../../app/errors.ts';
import { useOpMutation } from '../../../app/ops.ts';
import { allColumns } from '../columns.tsx';
import { inBackground } from '../../../app/background.ts';
import { formatterFor } from '../../../app/format.ts';

export const ColumnChooser = memo(function ColumnChooser({
  cols,
  setCols,
  offerDomain,
}: {
  cols: PeopleColumnId[];
  setCols: (next: PeopleColumnId[]) => void;
  /** The domain column is offered only while the list holds several domains' people. */
  offerDomain: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Menu closeOnItemClick={false} position="bottom-end">
      <Menu.Target>
        <Button variant="default">{t('people.columns')}</Button>
      </Menu.Target>
      <Menu.Dropdown data-testid="column-chooser">
        {allColumns.filter((c) => offerDomain || c.id !== 'domain').map((c) => (
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

export const ExportMenu = memo(function ExportMenu({ busy, onExport }: { busy: boolean; onExport: (format: 'csv' | 'xlsx') => void }) {
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

/** Exports the list as shown (query and columns) and says how it went; `onExport` keeps its identity while they do. */
export function usePeopleExport(query: PeopleQuery, cols: PeopleColumnId[]) {
  const { t, i18n } = useTranslation();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const exportList = useOpMutation('people.export').mutateAsync;
  const run = useCallback(
    async (format: 'csv' | 'xlsx') => {
      setBusy(true);
      setError(null);
      setMessage(null);
      try {
        const r = await exportList({ ...query, format, columns: cols, language: i18n.language === 'en' ? 'en' : 'da' });
        download(r.filename, r.mime, { base64: r.base64 });
        setMessage(t('people.exported', { rows: formatterFor(i18n.language).number(r.rows), file: r.filename }));
      } catch (e) {
        setError(errorText(e));
      } finally {
        setBusy(false);
      }
    },
    [query, cols, t, i18n, exportList],
  );
  const onExport = useCallback((format: 'csv' | 'xlsx') => inBackground(run(format)), [run]);
  return { busy, message, error, onExport, clearMessage: () => setMessage(null) };
}
