import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOp } from '../../app/ops.ts';
import { pauseText } from '../../app/server-text.ts';
import { useTexts } from '../../app/texts.ts';
import './i18n.ts';
import { JobPanel, stateColor } from './JobPanel.tsx';
import { NewJob } from './NewJob.tsx';
import { formatterFor } from '../../app/format.ts';

function History({ onOpen, current }: { onOpen(id: string): void; current: string | null }) {
  const { t, i18n } = useTranslation();
  const list = useOp('bulk.list', { limit: 50 }, { refetchInterval: 3_000 });
  const jobs = list.data?.jobs ?? [];
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="bulk-history">
      <Stack>
        <Title order={2} size="h4" id="bulk-history">
          {t('bulk.history')}
        </Title>
        {jobs.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('bulk.noHistory')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={700} maxHeight={320}>
            <Table highlightOnHover data-testid="bulk-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('bulk.created')}</Table.Th>
                  <Table.Th>{t('bulk.action')}</Table.Th>
                  <Table.Th>{t('bulk.target')}</Table.Th>
                  <Table.Th>{t('bulk.col.state')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {jobs.map((j) => (
                  <Table.Tr key={j.id} bg={j.id === current ? 'var(--mantine-color-blue-light)' : undefined}>
                    <Table.Td>
                      {formatterFor(i18n.language).dateTime(j.createdAt)} {t('bulk.by', { user: j.createdBy })}
                    </Table.Td>
                    <Table.Td>{t(`bulk.actions.${j.action}`)}</Table.Td>
                    <Table.Td>{j.targetLabel}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={stateColor[j.state]}>
                        {t(`bulk.states.${j.state}`)}
                      </Badge>{' '}
                      <Text span size="xs" c="dimmed">
                        {j.counts.done}/{j.counts.total - j.counts.skipped}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button size="compact-xs" variant="light" onClick={() => onOpen(j.id)}>
                        {t('bulk.open')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}

/** Jobs that wait for someone: paused by an outage, or interrupted when the console stopped. */
function Waiting({ onOpen, current }: { onOpen(id: string): void; current: string | null }) {
  const { t } = useTranslation();
  const texts = useTexts();
  const list = useOp('bulk.list', { limit: 50 }, { refetchInterval: 3_000 });
  const waiting = (list.data?.jobs ?? []).filter((j) => j.state === 'paused' && j.pause && j.pause.code !== 'operator' && j.id !== current);
  if (waiting.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="bulk-waiting">
      {waiting.map((j) => (
        <Alert key={j.id} color="orange" title={`${t(`bulk.pauseCodes.${j.pause?.code ?? 'interrupted'}`)}: ${t(`bulk.actions.${j.action}`)} – ${j.targetLabel}`}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Text size="sm">{j.pause ? pauseText(j.pause, texts) : null}</Text>
            <Button size="xs" variant="light" style={{ flexShrink: 0 }} onClick={() => onOpen(j.id)}>
              {t('bulk.open')}
            </Button>
          </Group>
        </Alert>
      ))}
    </Stack>
  );
}

export function BulkPage() {
  const { t } = useTranslation();
  // A job named in the address (#/masseopgaver/<id>), e.g. planned from the drift view, opens at once.
  const [jobId, setJobId] = useState<string | null>(() => decodeURIComponent(window.location.hash.split('/')[2] ?? '') || null);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('bulk.title')}
      </Title>
      <Text size="sm" c="dimmed" maw={900}>
        {t('bulk.intro')}
      </Text>
      <Waiting onOpen={setJobId} current={jobId} />
      {jobId ? <JobPanel key={jobId} jobId={jobId} onClose={() => setJobId(null)} /> : <NewJob onPlanned={setJobId} />}
      <History onOpen={setJobId} current={jobId} />
    </Stack>
  );
}
