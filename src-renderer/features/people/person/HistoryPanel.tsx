import { Alert, Badge, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import '../../actions/i18n.ts';
import { auditActionLabel, hasAuditActionLabel } from '../../../../shared/domain/audit.ts';
import { peopleOps } from '../../../../shared/operations/people.ts';
import { errorText } from '../../../app/errors.ts';
import { useOp } from '../../../app/ops.ts';
import { fmtDate } from '../ActionModal.tsx';
import { Panel } from './Panel.tsx';

/** The journal's label for an action in the operator's language: the shared labels, else the operation's own (Danish) summary. */
const actionLabel = (action: string, language: string, variant?: string | null) =>
  hasAuditActionLabel(action) ? auditActionLabel(action, language, variant) : ((peopleOps as Record<string, { summary: string }>)[action]?.summary ?? action);

/** A console action's outcome; none recorded means it is still running (or was cut off). */
function outcomeText(t: TFunction, outcome: string | null): string {
  switch (outcome) {
    case 'success':
      return t('actions.outcome.success');
    case 'refused':
      return t('actions.outcome.refused');
    case 'failed':
      return t('actions.outcome.failed');
    case 'unknown':
      return t('actions.outcome.unknown');
    default:
      return t('actions.outcome.pending');
  }
}

const outcomeColor = (r: { outcome: string | null }) =>
  r.outcome === 'success' ? 'green' : r.outcome === 'refused' ? 'orange' : r.outcome === 'failed' ? 'red' : 'gray';

/** What was done to the person, from the console's journal and the IdP's log, newest first. */
export function HistoryPanel({ personId }: { personId: string }) {
  const { t, i18n } = useTranslation();
  // Read afresh on every opening and every 30 s while open: the IdP's events of an action arrive with the
  // console's next read of its log, and fold into the action's row then.
  const h = useOp('people.history', { personId }, { staleTime: 0, refetchInterval: 30_000 });
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
                  <span data-testid="history-action">{actionLabel(r.action, i18n.language, r.variant)}</span>
                  {r.source === 'console' && (
                    <Badge size="xs" ml={6} variant="light" color={outcomeColor(r)} data-testid="history-outcome">
                      {outcomeText(t, r.outcome)}
                    </Badge>
                  )}
                  {(r.echoes?.length ?? 0) > 0 && (
                    <Text size="xs" c="dimmed" data-testid="history-echo">
                      {t('actions.historyEcho', { actions: (r.echoes ?? []).map((a) => auditActionLabel(a, i18n.language)).join(', ') })}
                    </Text>
                  )}
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
