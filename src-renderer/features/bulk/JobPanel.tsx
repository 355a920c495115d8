import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Code, Group, NumberInput, Progress, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { keepPreviousData, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type BulkJobView, type BulkRowState, type BulkRowView } from '../../../shared/domain/bulk.ts';
import { ouLabel } from '../../../shared/dn.ts';
import { download } from '../../app/download.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { queryKey, useOp, useOpMutation } from '../../app/ops.ts';
import { OpError } from '../../app/transport.ts';
import { inBackground } from '../../app/background.ts';
import { formatterFor } from '../../app/format.ts';
import i18n from '../../app/i18n.ts';
import { pauseText } from '../../app/server-text.ts';
import { useTexts } from '../../app/texts.ts';

const fmtWhen = (iso: string) => formatterFor(i18n.language).dateTime(iso);

const SHOWN = 500;
type Filter = 'all' | 'todo' | 'failed' | 'skipped' | 'done';
const filterStates: Record<Filter, BulkRowState[]> = {
  all: [],
  todo: ['pending', 'in-flight', 'awaiting'],
  failed: ['failed'],
  skipped: ['skipped'],
  done: ['done'],
};

export const stateColor: Record<BulkJobView['state'], string> = {
  planned: 'blue',
  running: 'teal',
  pausing: 'orange',
  paused: 'orange',
  cancelling: 'gray',
  cancelled: 'gray',
  completed: 'green',
};

const rowColor: Record<BulkRowState, string> = { skipped: 'gray', pending: 'blue', 'in-flight': 'teal', awaiting: 'yellow', done: 'green', failed: 'red', cancelled: 'gray' };

const active = (s: BulkJobView['state']) => s === 'running' || s === 'pausing' || s === 'cancelling';

function ouText(dn: string | null): string {
  return dn ? ouLabel(dn) : '–';
}

function PlanSummary({ job }: { job: BulkJobView }) {
  const { t } = useTranslation();
  const run = job.counts.total - job.counts.skipped;
  const plans = Object.entries(job.plan).filter(([k]) => k !== 'skip');
  const skips = Object.entries(job.skips);
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="bulk-plan-summary">
      <Stack gap={4}>
        <Text fw={600}>{t('bulk.willRun', { count: run })}</Text>
        {plans.map(([k, n]) => (
          <Group key={k} gap="xs">
            <Badge variant="light" color="teal" miw={48}>
              {n}
            </Badge>
            <Text size="sm">{t(`bulk.plans.${k}`)}</Text>
          </Group>
        ))}
      </Stack>
      <Stack gap={4}>
        <Text fw={600}>{t('bulk.willSkip', { count: job.counts.skipped })}</Text>
        {skips.map(([k, n]) => (
          <Group key={k} gap="xs">
            <Badge variant="light" color="gray" miw={48}>
              {n}
            </Badge>
            <Text size="sm">{t(`bulk.skips.${k}`)}</Text>
          </Group>
        ))}
      </Stack>
    </SimpleGrid>
  );
}

function RowsTable({ rows, onRetry, busy }: { rows: BulkRowView[]; onRetry?: (seq: number) => void; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={800} maxHeight={420}>
      <Table striped stickyHeader data-testid="bulk-rows">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('bulk.col.user')}</Table.Th>
            <Table.Th>{t('bulk.col.name')}</Table.Th>
            <Table.Th>{t('bulk.col.ou')}</Table.Th>
            <Table.Th>{t('bulk.col.plan')}</Table.Th>
            <Table.Th>{t('bulk.col.state')}</Table.Th>
            <Table.Th>{t('bulk.col.result')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.seq} data-testid="bulk-row">
              <Table.Td>{r.username}</Table.Td>
              <Table.Td>{r.displayName ?? '–'}</Table.Td>
              <Table.Td>{ouText(r.ou)}</Table.Td>
              <Table.Td>{r.plan === 'skip' && r.skipReason ? t(`bulk.skips.${r.skipReason}`) : t(`bulk.plans.${r.plan}`)}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={rowColor[r.state]}>
                  {t(`bulk.rowStates.${r.state}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                {r.error ? (
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm" c={r.state === 'failed' ? 'red' : 'dimmed'}>
                      {r.error}
                    </Text>
                    {r.state === 'failed' && onRetry && (
                      <Button size="compact-xs" variant="light" disabled={busy} onClick={() => onRetry(r.seq)}>
                        {t('bulk.retryOne')}
                      </Button>
                    )}
                  </Group>
                ) : r.result ? (
                  t(`bulk.results.${r.result}`, { defaultValue: r.result })
                ) : (
                  ''
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

type Command = 'bulk.start' | 'bulk.pause' | 'bulk.resume' | 'bulk.cancel' | 'bulk.retryFailed';

/** Notes added after the fact, and a field to add one (any time after the job was started). */
function JobNotes({ job }: { job: BulkJobView }) {
  const { t } = useTranslation();
  const add = useOpMutation('bulk.addNote', { refresh: 'awaited' });
  const [text, setText] = useState('');
  const errors = add.error instanceof OpError ? fieldErrors(add.error) : {};
  return (
    <Stack gap={4} data-testid="bulk-notes">
      <Title order={3} size="h5">
        {t('bulk.notes')}
      </Title>
      {job.notes.map((n, i) => (
        <Text key={i} size="sm" data-testid="bulk-note">
          {fmtWhen(n.at)} · {n.by}: {n.text}
        </Text>
      ))}
      <Group align="flex-end" gap="xs">
        <Textarea label={t('bulk.noteLabel')} description={t('bulk.noteHelp')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={1} w={480} error={errors['reason']} data-testid="bulk-note-text" />
        <Button
          variant="light"
          loading={add.isPending}
          disabled={text.trim().length === 0}
          data-testid="bulk-note-add"
          onClick={() => inBackground(add.mutateAsync({ jobId: job.id, reason: text }).then(() => setText('')))}
        >
          {t('bulk.addNote')}
        </Button>
      </Group>
      {add.error && !errors['reason'] && (
        <Alert color="red" role="alert">
          {errorText(add.error)}
        </Alert>
      )}
    </Stack>
  );
}

/** One job: the dry-run plan, then start, live progress, pause/resume/cancel, failed rows, result file. */
export function JobPanel({ jobId, onClose }: { jobId: string; onClose(): void }) {
  const { t } = useTranslation();
  const texts = useTexts();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<Filter>('all');
  const [reason, setReason] = useState('');
  const [concurrency, setConcurrency] = useState<number>(4);
  const [error, setError] = useState<OpError | null>(null);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<{ path: string; fileName: string } | null>(null);

  const q = useOp(
    'bulk.get',
    { jobId, states: filterStates[filter], limit: SHOWN },
    { placeholderData: keepPreviousData, refetchInterval: (query) => (query.state.data && active(query.state.data.job.state) ? 500 : false) },
  );
  const job = q.data?.job;
  const state = job?.state;
  // The list of jobs shows states too: refresh it whenever this job's state changes.
  useEffect(() => {
    if (state) inBackground(qc.invalidateQueries({ queryKey: queryKey('bulk.list') }));
  }, [state, qc]);
  // The button stays busy until the job shows its new state.
  const commands = {
    'bulk.start': useOpMutation('bulk.start', { refresh: 'awaited' }),
    'bulk.pause': useOpMutation('bulk.pause', { refresh: 'awaited' }),
    'bulk.resume': useOpMutation('bulk.resume', { refresh: 'awaited' }),
    'bulk.cancel': useOpMutation('bulk.cancel', { refresh: 'awaited' }),
    'bulk.retryFailed': useOpMutation('bulk.retryFailed', { refresh: 'awaited' }),
  } satisfies Record<Command, unknown>;
  const resultFile = useOpMutation('bulk.resultFile');

  const run = async (op: Command, extra: Record<string, unknown> = {}) => {
    setBusy(true);
    setError(null);
    try {
      // Pause and cancel act at once, on the first click: with nothing typed, the job's own reason stands
      // (anything typed is journaled as the note of the pause or cancel).
      const stopping = op === 'bulk.pause' || op === 'bulk.cancel';
      const input = { jobId, reason: stopping && reason.trim().length < 5 && job?.reason ? job.reason : reason, ...extra };
      if (op === 'bulk.start') await commands['bulk.start'].mutateAsync({ ...input, concurrency });
      else if (op === 'bulk.retryFailed') await commands['bulk.retryFailed'].mutateAsync(input);
      else await commands[op].mutateAsync(input);
      // Every action asks for its own reason: the field empties once one was used.
      setReason('');
    } catch (e) {
      setError(e instanceof OpError ? e : new OpError('internal', String(e)));
    } finally {
      setBusy(false);
    }
  };

  const getFile = async () => {
    setError(null);
    try {
      const r = await resultFile.mutateAsync({ jobId });
      setFile({ path: r.path, fileName: r.fileName });
      download(r.fileName, 'text/csv;charset=utf-8', { text: r.csv });
    } catch (e) {
      setError(e instanceof OpError ? e : new OpError('internal', String(e)));
    }
  };

  if (!job) {
    return q.error ? (
      <Alert color="red" role="alert">
        {errorText(q.error)}
      </Alert>
    ) : null;
  }
  const c = job.counts;
  const toRun = c.total - c.skipped;
  const processed = c.done + c.failed + c.cancelled;
  const pct = toRun > 0 ? Math.round((processed / toRun) * 100) : 100;
  const reasonError = fieldErrors(error).reason;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="bulk-job-title" data-testid="bulk-job">
      <Stack>
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={2} size="h4" id="bulk-job-title">
              {t(`bulk.actions.${job.action}`)} – {job.targetLabel}
            </Title>
            <Text size="xs" c="dimmed">
              {t('bulk.created')} {fmtWhen(job.createdAt)} {t('bulk.by', { user: job.createdBy })}
            </Text>
          </Stack>
          <Group gap="xs">
            <Badge size="lg" color={stateColor[job.state]} data-testid="bulk-state">
              {t(`bulk.states.${job.state}`)}
            </Badge>
            <Button variant="subtle" size="xs" onClick={onClose}>
              {t('bulk.back')}
            </Button>
          </Group>
        </Group>

        {job.state === 'planned' && (
          <>
            <Title order={3} size="h5">
              {t('bulk.summary', { total: c.total })}
            </Title>
            <PlanSummary job={job} />
            {(job.plan.create ?? 0) > 0 && (
              <Alert color="yellow" data-testid="bulk-fee">
                {t('bulk.fee', { count: job.plan.create })}
              </Alert>
            )}
            {job.action === 'allow-signing' && toRun > 0 && <Alert color="blue">{t('bulk.signingNote')}</Alert>}
            {toRun === 0 && <Alert color="gray">{t('bulk.nothingToDo')}</Alert>}
          </>
        )}

        {job.state !== 'planned' && (
          <Stack gap={6}>
            <Group justify="space-between">
              <Text fw={600} data-testid="bulk-progress-text">
                {t('bulk.progress', { processed, total: toRun })}
              </Text>
              <Text size="sm">{pct} %</Text>
            </Group>
            <Progress.Root size="xl" aria-label={t('bulk.progress', { processed, total: toRun })}>
              <Progress.Section value={toRun ? (c.done / toRun) * 100 : 0} color="green" />
              <Progress.Section value={toRun ? (c.failed / toRun) * 100 : 0} color="red" />
              <Progress.Section value={toRun ? (c.cancelled / toRun) * 100 : 0} color="gray" />
            </Progress.Root>
            <Text size="sm" c="dimmed" data-testid="bulk-counts">
              {t('bulk.counts', { ...c })}
            </Text>
            {c.awaiting > 0 && (
              <Alert color="yellow" data-testid="bulk-awaiting" title={t('bulk.awaitingTitle', { count: c.awaiting })}>
                {t('bulk.awaitingText')}
              </Alert>
            )}
          </Stack>
        )}

        {job.pause && (job.state === 'paused' || job.state === 'pausing') && (
          <Alert color={job.pause.code === 'operator' ? 'orange' : 'red'} title={t(`bulk.pauseCodes.${job.pause.code}`)} data-testid="bulk-pause-reason">
            {pauseText(job.pause, texts)}
          </Alert>
        )}
        {job.state === 'completed' && (
          <Alert color={c.failed ? 'orange' : 'green'} data-testid="bulk-done">
            {t('bulk.completed', { ...c })}
          </Alert>
        )}
        {job.state === 'cancelled' && <Alert color="gray">{t('bulk.cancelledText', { ...c })}</Alert>}

        {job.state !== 'cancelled' && job.state !== 'cancelling' && !(job.state === 'completed' && c.failed === 0) && (
          <Stack gap="xs">
            <Textarea
              label={t('bulk.reason')}
              description={t('bulk.reasonHelp')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={1}
              maw={640}
              error={reasonError}
              data-testid="bulk-reason"
            />
            {job.state === 'planned' && (
              <NumberInput label={t('bulk.concurrency')} value={concurrency} onChange={(v) => setConcurrency(typeof v === 'number' ? v : 4)} min={1} max={16} maw={260} />
            )}
            <Group>
              {job.state === 'planned' && toRun > 0 && (
                <Button onClick={() => inBackground(run('bulk.start'))} loading={busy} data-testid="bulk-start">
                  {t('bulk.start')}
                </Button>
              )}
              {job.state === 'running' && (
                <Button color="orange" onClick={() => inBackground(run('bulk.pause'))} loading={busy}>
                  {t('bulk.pause')}
                </Button>
              )}
              {job.state === 'paused' && (
                <Button onClick={() => inBackground(run('bulk.resume'))} loading={busy}>
                  {t('bulk.resume')}
                </Button>
              )}
              {c.failed > 0 && (job.state === 'completed' || job.state === 'paused') && (
                <Button variant="light" onClick={() => inBackground(run('bulk.retryFailed'))} loading={busy} data-testid="bulk-retry">
                  {t('bulk.retryFailed', { count: c.failed })}
                </Button>
              )}
              {(job.state === 'planned' || job.state === 'running' || job.state === 'paused' || job.state === 'pausing') && (
                <Button variant="default" color="red" onClick={() => inBackground(run('bulk.cancel'))} loading={busy}>
                  {job.state === 'planned' ? t('bulk.discard') : t('bulk.cancel')}
                </Button>
              )}
            </Group>
          </Stack>
        )}
        {error && !reasonError && (
          <Alert color="red" role="alert">
            {errorText(error)}
          </Alert>
        )}

        {job.state !== 'planned' && <JobNotes job={job} />}

        {job.state !== 'planned' && (
          <Group>
            <Button variant="light" onClick={() => inBackground(getFile())} data-testid="bulk-download">
              {t('bulk.download')}
            </Button>
            {(file?.path ?? job.resultFile) && (
              <Text size="sm" data-testid="bulk-file-path">
                {t('bulk.savedAt')} <Code>{file?.path ?? job.resultFile}</Code>
              </Text>
            )}
          </Group>
        )}

        <Group justify="space-between">
          <Title order={3} size="h5">
            {t('bulk.rows')}
          </Title>
          <SegmentedControl
            size="xs"
            value={filter}
            onChange={(v) => setFilter(v as Filter)}
            data={(['all', 'todo', 'failed', 'skipped', 'done'] as const).map((f) => ({ value: f, label: t(`bulk.filter.${f}`) }))}
            aria-label={t('bulk.rows')}
            data-testid="bulk-filter"
          />
        </Group>
        <RowsTable rows={q.data?.rows ?? []} busy={busy} onRetry={job.state === 'completed' || job.state === 'paused' ? (seq) => inBackground(run('bulk.retryFailed', { seqs: [seq] })) : undefined} />
        {(q.data?.matching ?? 0) > SHOWN && (
          <Text size="xs" c="dimmed">
            {t('bulk.shown', { shown: SHOWN, total: q.data?.matching })}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
