import { useState } from 'react';
import { Alert, Badge, Button, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { auditActionLabel } from '../../../shared/domain/audit.ts';
import type { FailedTransfer } from '../../../shared/operations/transfers.ts';
import { errorText } from '../../app/errors.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { useFormat } from '../../app/format.ts';
import { outcomeText } from '../../app/server-text.ts';
import { useTexts } from '../../app/texts.ts';
import type { WriteOutcome } from '../../../shared/operations/people.ts';
import { ActionModal, fmtDate, type ActionRequest } from '../people/ActionModal.tsx';
import '../people/i18n.ts';
import { useCan } from '../session/useOperator.ts';
import './i18n.ts';

const kindColor: Record<FailedTransfer['kind'], string> = { failed: 'red', unknown: 'orange', 'pending-confirmation': 'yellow' };

/**
 * Fejlede overførsler: every MitID Erhverv write that ended failed or unknown and is not settled, and
 * every create awaiting confirmation, with "Genkør" (audited; it looks before it acts and never creates twice).
 */
export function TransfersPage() {
  const { t, i18n } = useTranslation();
  const may = useCan();
  const list = useOp('transfers.list', {}, { refetchInterval: 15_000 });
  const retry = useOpMutation('transfers.retry');
  const [request, setRequest] = useState<ActionRequest | null>(null);
  const [result, setResult] = useState<{ person: string; said: WriteOutcome } | null>(null);
  const texts = useTexts();
  const fmt = useFormat();
  const said = (s: WriteOutcome) => outcomeText(s, texts, (iso) => fmt.dateTime(iso));
  const kindText = (k: FailedTransfer['kind']) =>
    k === 'failed' ? t('actions.transfers.kind.failed') : k === 'unknown' ? t('actions.transfers.kind.unknown') : t('actions.transfers.kind.pending');
  const ask = (x: FailedTransfer) =>
    setRequest({
      title: `${t('actions.transfers.retry')}: ${x.person ?? x.subjectNameId ?? ''}`,
      explain: t('actions.transfers.retryExplain'),
      run: async (reason) => {
        const r = await retry.mutateAsync({ key: x.key, personId: x.personId ?? '', reason });
        setResult({ person: x.person ?? '', said: r.said });
        return said(r.said);
      },
    });
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">{t('actions.transfers.title')}</Title>
      <Text size="sm" c="dimmed" maw={900}>{t('actions.transfers.intro')}</Text>
      {result && (
        <Alert color="green" withCloseButton onClose={() => setResult(null)} data-testid="transfer-result" title={result.person}>
          {said(result.said)}
        </Alert>
      )}
      {list.error && <Alert color="red">{errorText(list.error)}</Alert>}
      <Card withBorder padding="md" component="section" aria-label={t('actions.transfers.title')}>
        {list.isSuccess && items.length === 0 ? (
          <Text size="sm" data-testid="transfers-empty">{t('actions.transfers.none')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table highlightOnHover data-testid="transfers">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('actions.transfers.at')}</Table.Th>
                  <Table.Th>{t('actions.transfers.person')}</Table.Th>
                  <Table.Th>{t('actions.transfers.action')}</Table.Th>
                  <Table.Th>{t('actions.transfers.state')}</Table.Th>
                  <Table.Th>{t('actions.transfers.message')}</Table.Th>
                  <Table.Th>{t('actions.transfers.operator')}</Table.Th>
                  <Table.Th>{t('actions.transfers.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((x) => (
                  <Table.Tr key={x.key} data-testid="transfer-row">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmtDate(x.at)}</Table.Td>
                    <Table.Td>{x.person ?? x.subjectNameId ?? '–'}</Table.Td>
                    <Table.Td>{auditActionLabel(x.operation, i18n.language, x.variant)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge color={kindColor[x.kind]} variant="light" styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible', textOverflow: 'clip' } }}>
                        {kindText(x.kind)}
                      </Badge>
                    </Table.Td>
                    <Table.Td><Text size="sm" lineClamp={3}>{x.message ?? '–'}</Text></Table.Td>
                    <Table.Td>{x.operator ?? '–'}</Table.Td>
                    <Table.Td>
                      {may('transfers.retry') && x.retryable && x.personId ? (
                        <Button size="compact-sm" variant="light" onClick={() => ask(x)}>{t('actions.transfers.retry')}</Button>
                      ) : (
                        <Text size="xs" c="dimmed">{x.retryable ? '–' : t('actions.transfers.notRetryable')}</Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <ActionModal request={request} onClose={() => setRequest(null)} onDone={() => setRequest(null)} />
    </Stack>
  );
}
