import { Alert, Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { auditActionLabel, auditActionLabels } from '../../../../shared/domain/audit.ts';
import { peopleOps } from '../../../../shared/operations/people.ts';
import { errorText } from '../../../app/errors.ts';
import { useOp } from '../../../app/ops.ts';
import { fmtDate } from '../ActionModal.tsx';
import { Panel } from './Panel.tsx';

/** The journal's label for an action in the operator's language: the shared labels, else the operation's own (Danish) summary. */
const actionLabel = (action: string, language: string) =>
  Object.hasOwn(auditActionLabels, action) ? auditActionLabel(action, language) : ((peopleOps as Record<string, { summary: string }>)[action]?.summary ?? action);

/** What was done to the person, from the console's journal and the IdP's log, newest first. */
export function HistoryPanel({ personId }: { personId: string }) {
  const { t, i18n } = useTranslation();
  const h = useOp('people.history', { personId });
  return (
    <Panel title={t('people.panelHistory')} testId="panel-history">
      {h.error && <Alert color="red">{errorText(h.error)}</Alert>}
      {h.data && h.data.items.length === 0 && <Text size="sm">{t('people.historyNone')}</Text>}
      {h.data && h.data.items.length > 0 && (
        <Table>
          <Table.Tbody>
            {h.data.items.slice(0, 100).map((r) => (
              <Table.Tr key={r.key} data-testid="history-row">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmtDate(r.at)}</Table.Td>
                <Table.Td>
                  <Badge size="xs" variant="outline">
                    {t(`people.history.${r.source}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {actionLabel(r.action, i18n.language)}
                  {r.kind === 'intent' ? ' …' : r.outcome && r.outcome !== 'success' ? ` (${r.outcome})` : ''}
                </Table.Td>
                <Table.Td>{r.operator ?? '–'}</Table.Td>
                <Table.Td>{r.reason ?? r.message ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Panel>
  );
}
