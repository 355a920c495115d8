import { useState } from 'react';
import { Alert, Button, Card, Group, SimpleGrid, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { keepPreviousData } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { driftKinds, type DriftKind, type FixableDriftKind, type PersonRow } from '../../../shared/domain/people.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { errorText } from '../../app/errors.ts';
import { useCan } from '../session/useOperator.ts';
import { ActionModal, type ActionRequest } from './ActionModal.tsx';
import { MitIdBadges, AdBadges } from './columns.tsx';
import { Freshness } from './Freshness.tsx';
import { DriftBulkButton } from '../actions/DriftBulk.tsx';
import { useFormat } from '../../app/format.ts';
import { writeText } from '../../app/server-text.ts';
import { useTexts } from '../../app/texts.ts';

/** Mismatches between AD and MitID Erhverv, a count per kind, and each row's one-click (audited) fix. */
export function DriftView({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const texts = useTexts();
  // Per row, main checks the person too; the rows shown are already only those the operator may see.
  const mayFix = useCan()('people.fixDrift');
  const [picked, setKind] = useState<DriftKind | null>(null);
  const counts = useOp('people.list', { limit: 1 }, { refetchInterval: (q) => (q.state.data?.sources.some((s) => s.state === 'loading') ? 1500 : false) });
  // Until the operator picks a kind, show the first kind that has any rows.
  const kind: DriftKind = picked ?? driftKinds.find((k) => (counts.data?.drift[k] ?? 0) > 0) ?? 'identity-missing';
  // Keyed by the list's version too: when MitID Erhverv's read lands, the rows follow the counts.
  const rows = useOp('people.list', { filter: { drift: kind }, limit: 500 }, { placeholderData: keepPreviousData, ...(counts.data ? { qualifier: counts.data.version } : {}) });
  const fix = useOpMutation('people.fixDrift');
  const [request, setRequest] = useState<ActionRequest | null>(null);
  const [done, setDone] = useState<string | null>(null);

  // Fixed where the row says (in AD), not here: the category shows why instead of a fix button.
  const fixable = kind !== 'identity-blocked';
  const ask = (r: PersonRow, k: FixableDriftKind) =>
    setRequest({
      title: `${t(`people.driftFix.${kind}`)}: ${r.displayName}`,
      explain: kind === 'identity-missing' ? t('people.assignCreateFee', { id: r.username }) : t(`people.driftKind.${kind}`),
      run: async (reason) => writeText(await fix.mutateAsync({ personId: r.id, kind: k, reason }), texts, (iso) => fmt.dateTime(iso)),
    });

  return (
    <Stack>
      <Group justify="space-between">
        <Text fw={600}>{t('people.driftTitle')}</Text>
        {counts.data && <Freshness sources={counts.data.sources} />}
      </Group>
      <Text size="sm" c="dimmed">
        {t('people.driftHint')}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="xs">
        {driftKinds.map((k) => (
          <Card
            key={k}
            withBorder
            padding="xs"
            component="button"
            onClick={() => setKind(k)}
            data-testid={`drift-${k}`}
            style={{ textAlign: 'left', cursor: 'pointer', outline: k === kind ? '2px solid var(--mantine-color-blue-5)' : undefined }}
          >
            <Text size="xl" fw={700}>
              {counts.data?.drift[k] !== undefined ? fmt.number(counts.data.drift[k]) : '…'}
            </Text>
            <Text size="xs">{t(`people.driftKind.${k}`)}</Text>
          </Card>
        ))}
      </SimpleGrid>
      {done && (
        <Alert color="green" withCloseButton onClose={() => setDone(null)} data-testid="drift-outcome">
          {done}
        </Alert>
      )}
      {fixable ? (
        <DriftBulkButton kind={kind} count={rows.data?.total ?? 0} />
      ) : (
        <Alert color="yellow" data-testid="drift-blocked-hint">
          {t('people.driftBlockedHint')}
        </Alert>
      )}
      {rows.error && <Alert color="red">{errorText(rows.error)}</Alert>}
      {rows.data && rows.data.total === 0 && <Text>{t('people.driftNone')}</Text>}
      {rows.data && rows.data.total > 0 && (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('people.col.displayName')}</Table.Th>
              <Table.Th>{t('people.col.username')}</Table.Th>
              <Table.Th>{t('people.col.ouPath')}</Table.Th>
              <Table.Th>{t('people.col.adState')}</Table.Th>
              <Table.Th>{t('people.col.mitidState')}</Table.Th>
              <Table.Th>{fixable ? <VisuallyHidden>{t('people.driftFixColumn')}</VisuallyHidden> : t('people.driftWhy')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.data.rows.map((r) => (
              <Table.Tr key={r.id} data-testid="drift-row">
                <Table.Td>
                  {r.source === 'ad' ? (
                    <Button variant="subtle" size="compact-sm" data-person-id={r.id} onClick={() => onOpen(r.id)}>
                      {r.displayName}
                    </Button>
                  ) : (
                    r.displayName
                  )}
                </Table.Td>
                <Table.Td ff="monospace">{r.username}</Table.Td>
                <Table.Td>{r.ouPath || '–'}</Table.Td>
                <Table.Td>
                  <AdBadges r={r} t={t} />
                </Table.Td>
                <Table.Td>
                  <MitIdBadges r={r} t={t} />
                </Table.Td>
                <Table.Td>
                  {!fixable ? (
                    <Text size="sm" data-testid="drift-why">
                      {r.identityBlocker ? t(`people.blocker.${r.identityBlocker}`) : '–'}
                    </Text>
                  ) : (
                    mayFix && (
                      <Button size="compact-sm" onClick={() => ask(r, kind)}>
                        {t(`people.driftFix.${kind}`)}
                      </Button>
                    )
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {rows.data && rows.data.total > rows.data.rows.length && (
        <Text size="sm" c="dimmed">
          {t('people.results', { shown: rows.data.rows.length, total: rows.data.total })}
        </Text>
      )}
      <ActionModal
        request={request}
        onClose={() => setRequest(null)}
        onDone={(m) => {
          setRequest(null);
          setDone(m);
        }}
      />
    </Stack>
  );
}
