import { useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { Alert, Badge, Button, Card, Checkbox, Group, Modal, Paper, Radio, ScrollArea, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { keepPreviousData } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { addendumProblems, type DiffLine } from '../../../shared/domain/policies.ts';
import type { TermsVersion } from '../../../shared/idp/terms.ts';
import { download } from '../../app/download.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { useOp, useOpMutation, useRefreshAfter } from '../../app/ops.ts';
import { useCan } from '../session/useOperator.ts';
import { Markdown } from './Markdown.tsx';
import { inBackground } from '../../app/background.ts';
import { useFormat } from '../../app/format.ts';

const SHOWN = 500;

function useWhen() {
  const fmt = useFormat();
  return (iso: string | null) => fmt.dateTime(iso) || '–';
}

function PublishModal({ content, basedOn, next, onClose, onDone }: { content: string; basedOn: number | null; next: number; onClose(): void; onDone(v: number): void }) {
  const { t } = useTranslation();
  const [reaccept, setReaccept] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const fmt = useFormat();
  const fromDate = from.trim() ? fmt.parseDateTime(from) : null;
  const fromBad = from.trim() !== '' && fromDate === null;
  const [reason, setReason] = useState('');
  // Not refreshed here: refetching the terms remounts the editor (and this dialog) before a per-call
  // onSuccess could run. onDone refreshes once the result is safely handed over.
  const publish = useOpMutation('terms.publish', { refresh: 'by-caller' });
  const f = fieldErrors(publish.error);
  return (
    <Modal opened onClose={onClose} size="lg" title={t('policies.terms.publishTitle', { version: next })}>
      <Stack>
        <Radio.Group label={t('policies.terms.reaccept')} value={reaccept} onChange={setReaccept} withAsterisk>
          <Stack gap={6} mt={6}>
            <Radio value="yes" label={t('policies.terms.reacceptYes')} />
            <Radio value="no" label={t('policies.terms.reacceptNo')} />
          </Stack>
        </Radio.Group>
        {/* Typed in the language's order (dd.mm.åååå tt.mm in Danish), never the browser's mm/dd/yyyy. */}
        <TextInput label={t('policies.terms.effectiveFrom')} description={t('policies.terms.effectiveHelp')} value={from} placeholder={fmt.dateTimePlaceholder}
          onChange={(e) => setFrom(e.currentTarget.value)} error={f.effectiveFrom ?? (fromBad ? t('policies.terms.effectiveInvalid', { example: fmt.dateTimePlaceholder }) : undefined)} maw={280} data-testid="terms-effective-from" />
        <Textarea label={t('policies.reason')} description={t('policies.reasonHelp')} value={reason} autosize minRows={2} onChange={(e) => setReason(e.currentTarget.value)} error={f.reason} />
        {publish.error && !f.reason && !f.effectiveFrom && <Alert color="red" role="alert">{errorText(publish.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('policies.cancel')}</Button>
          <Button disabled={reaccept === null || fromBad} loading={publish.isPending}
            onClick={() => publish.mutate(
              { content, requiresReacceptance: reaccept === 'yes', basedOnVersion: basedOn, reason, ...(fromDate ? { effectiveFrom: fromDate.toISOString() } : {}) },
              { onSuccess: (r) => onDone(r.version.version) },
            )}>
            {t('policies.terms.publish')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function SideBySide({ lines }: { lines: DiffLine[] }) {
  const bg = (k: DiffLine['kind'], side: 'l' | 'r') =>
    k === 'same' ? undefined : k === 'changed' ? 'var(--mantine-color-yellow-1)' : (k === 'removed') === (side === 'l') ? (side === 'l' ? 'var(--mantine-color-red-1)' : 'var(--mantine-color-green-1)') : undefined;
  return (
    <Table withColumnBorders withTableBorder data-testid="terms-diff" style={{ tableLayout: 'fixed' }}>
      <Table.Tbody>
        {lines.map((l, i) => (
          <Table.Tr key={i} data-kind={l.kind}>
            <Table.Td w={40} c="dimmed" fz="xs">{l.leftNo ?? ''}</Table.Td>
            <Table.Td style={{ background: bg(l.kind, 'l'), whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{l.kind === 'removed' || l.kind === 'changed' ? <del style={{ textDecoration: 'none' }}>{l.left}</del> : l.left}</Table.Td>
            <Table.Td w={40} c="dimmed" fz="xs">{l.rightNo ?? ''}</Table.Td>
            <Table.Td style={{ background: bg(l.kind, 'r'), whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{l.kind === 'added' || l.kind === 'changed' ? <ins style={{ textDecoration: 'none' }}>{l.right}</ins> : l.right}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function History({ versions }: { versions: TermsVersion[] }) {
  const { t } = useTranslation();
  const when = useWhen();
  const [from, setFrom] = useState<string | null>(versions[1] ? String(versions[1].version) : null);
  const [to, setTo] = useState<string | null>(versions[0] ? String(versions[0].version) : null);
  const [shown, setShown] = useState<{ from: number; to: number } | null>(null);
  const diff = useOp('terms.diff', shown ?? { from: 1, to: 1 }, { enabled: shown !== null });
  const opts = versions.map((v) => ({ value: String(v.version), label: `${t('policies.terms.version')} ${v.version}` }));
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h5">{t('policies.terms.history')}</Title>
        <Table striped data-testid="terms-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('policies.terms.version')}</Table.Th>
              <Table.Th>{t('policies.terms.author')}</Table.Th>
              <Table.Th>{t('policies.terms.created')}</Table.Th>
              <Table.Th>{t('policies.terms.effective')}</Table.Th>
              <Table.Th>{t('policies.terms.reacceptCol')}</Table.Th>
              <Table.Th>{t('policies.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td>{v.version}</Table.Td>
                <Table.Td>{v.author}</Table.Td>
                <Table.Td>{when(v.createdAt)}</Table.Td>
                <Table.Td>{when(v.effectiveFrom)}</Table.Td>
                <Table.Td>{v.requiresReacceptance ? t('policies.yes') : t('policies.no')}</Table.Td>
                <Table.Td>{v.reason ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group align="flex-end">
          <Select label={t('policies.terms.compareFrom')} data={opts} value={from} onChange={setFrom} w={160} allowDeselect={false} />
          <Select label={t('policies.terms.compareTo')} data={opts} value={to} onChange={setTo} w={160} allowDeselect={false} />
          <Button variant="light" disabled={!from || !to || from === to} onClick={() => setShown({ from: Number(from), to: Number(to) })}>{t('policies.terms.compare')}</Button>
        </Group>
        {diff.error && <Alert color="red">{errorText(diff.error)}</Alert>}
        {shown && diff.data && (
          <Stack gap="xs">
            <Text fw={600}>{t('policies.terms.diffTitle', { from: diff.data.from.version, to: diff.data.to.version })}</Text>
            <SideBySide lines={diff.data.lines} />
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function Report({ versions, current }: { versions: TermsVersion[]; current: number | null }) {
  const { t, i18n } = useTranslation();
  const when = useWhen();
  const [version, setVersion] = useState<string>('current');
  const [ou, setOu] = useState('');
  const [state, setState] = useState<string>('all');
  const [includeDisabled, setIncludeDisabled] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  // Each report reads every person and acceptance: wait until the operator stops typing.
  const [deferredOu] = useDebouncedValue(ou, 350);
  const input = {
    ...(version === 'current' ? {} : { version: Number(version) }),
    ou: deferredOu,
    state: state as 'all',
    includeDisabled,
  };
  const report = useOp('terms.acceptanceReport', input, { placeholderData: keepPreviousData });
  const exportAcceptances = useOpMutation('terms.exportAcceptances');
  const r = report.data;
  const exportCsv = async () => {
    setExportError(null);
    try {
      const out = await exportAcceptances.mutateAsync({ ...input, language: i18n.language === 'en' ? 'en' : 'da' });
      download(out.filename, 'text/csv;charset=utf-8', { text: out.csv });
    } catch (e) {
      setExportError(errorText(e));
    }
  };
  const states = ['all', 'missing', 'accepted', 'accepted-newer', 'accepted-older-valid', 'stale', 'none'];
  const color = (s: string) => (s === 'accepted' || s === 'accepted-newer' || s === 'accepted-older-valid' ? 'green' : s === 'stale' ? 'orange' : 'gray');
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h5">{t('policies.terms.report')}</Title>
        <Group align="flex-end">
          <Select label={t('policies.terms.reportVersion')} value={version} onChange={(v) => setVersion(v ?? 'current')} allowDeselect={false} w={200}
            data={[{ value: 'current', label: `${t('policies.terms.reportCurrent')}${current ? ` (${current})` : ''}` }, ...versions.map((v) => ({ value: String(v.version), label: `${t('policies.terms.version')} ${v.version}` }))]} />
          <TextInput label={t('policies.terms.ou')} placeholder={t('policies.terms.ouHelp')} value={ou} onChange={(e) => setOu(e.currentTarget.value)} w={260} data-testid="report-ou" />
          <Select label={t('policies.terms.state')} value={state} onChange={(v) => setState(v ?? 'all')} allowDeselect={false} w={260} data-testid="report-state"
            data={states.map((s) => ({ value: s, label: t(`policies.terms.states.${s}`) }))} />
          <Checkbox label={t('policies.terms.includeDisabled')} checked={includeDisabled} onChange={(e) => setIncludeDisabled(e.currentTarget.checked)} mb={8} />
          <Button variant="light" onClick={() => inBackground(exportCsv())} data-testid="report-export">{t('policies.terms.export')}</Button>
        </Group>
        {exportError && <Alert color="red">{exportError}</Alert>}
        {report.error && <Alert color="red">{errorText(report.error)}</Alert>}
        {r && (
          <>
            <Text size="sm" aria-live="polite" data-testid="report-summary">
              {`${t('policies.terms.version')} ${r.version.version}: `}
              {t('policies.terms.summary', {
                total: r.total,
                accepted: (r.counts.accepted ?? 0) + (r.counts['accepted-newer'] ?? 0) + (r.counts['accepted-older-valid'] ?? 0),
                missing: (r.counts.stale ?? 0) + (r.counts.none ?? 0),
              })}
            </Text>
            <Group gap="xs">
              {Object.entries(r.counts).map(([s, n]) => <Badge key={s} color={color(s)} variant="light" data-testid={`count-${s}`}>{t(`policies.terms.states.${s}`)}: {n}</Badge>)}
            </Group>
            {/* Scrolled from the keyboard too: the region takes focus and is named by its table. */}
            <ScrollArea h={420} viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': t('policies.terms.report') }}>
              <Table striped stickyHeader data-testid="report-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('policies.terms.name')}</Table.Th>
                    <Table.Th>{t('policies.terms.username')}</Table.Th>
                    <Table.Th>{t('policies.terms.ouCol')}</Table.Th>
                    <Table.Th>{t('policies.terms.acceptedVersion')}</Table.Th>
                    <Table.Th>{t('policies.terms.acceptedAt')}</Table.Th>
                    <Table.Th>{t('policies.terms.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.rows.slice(0, SHOWN).map((row) => (
                    <Table.Tr key={row.personId} data-testid="report-row">
                      <Table.Td>{row.displayName}</Table.Td>
                      <Table.Td>{row.username}</Table.Td>
                      <Table.Td>{row.ouPath}</Table.Td>
                      <Table.Td>{row.acceptedVersion ?? '–'}</Table.Td>
                      <Table.Td>{when(row.acceptedAt)}</Table.Td>
                      <Table.Td><Badge color={color(row.state)} variant="light">{t(`policies.terms.states.${row.state}`)}</Badge></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
            {r.rows.length > SHOWN && <Text size="sm" c="dimmed">{t('policies.terms.more', { shown: SHOWN, count: r.rows.length })}</Text>}
          </>
        )}
      </Stack>
    </Card>
  );
}

function Addendum({ current, newest, canEdit, published, setPublished }: {
  current: TermsVersion | null; newest: number | null; canEdit: boolean; published: number | null; setPublished(v: number | null): void;
}) {
  const { t } = useTranslation();
  const when = useWhen();
  const [text, setText] = useState(current?.content ?? '');
  const [publishing, setPublishing] = useState(false);
  const problems = addendumProblems(text);
  const unchanged = current !== null && text.trim() === current.content.trim();
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h5">{t('policies.terms.addendum')}</Title>
        <Text size="sm" c="dimmed">{current ? t('policies.terms.current', { version: current.version, at: when(current.effectiveFrom) }) : t('policies.terms.noCurrent')}</Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Textarea label={t('policies.terms.editor')} description={t('policies.terms.editorHelp')} value={text} autosize minRows={10} maxRows={24} readOnly={!canEdit}
            onChange={(e) => {
              setPublished(null);
              setText(e.currentTarget.value);
            }} error={problems[0]} data-testid="addendum-editor" styles={{ input: { fontFamily: 'monospace' } }} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>{t('policies.terms.preview')}</Text>
            <Paper withBorder p="sm" data-testid="addendum-preview" aria-live="polite">
              <Markdown source={text} />
            </Paper>
          </Stack>
        </SimpleGrid>
        {published !== null && <Alert color="green" role="status">{t('policies.terms.published', { version: published })}</Alert>}
        {canEdit && (
          <Group>
            <Button onClick={() => setPublishing(true)} disabled={problems.length > 0 || unchanged || text.trim() === ''} data-testid="publish">{t('policies.terms.publish')}</Button>
            {unchanged && <Text size="sm" c="dimmed">{t('policies.terms.unchanged')}</Text>}
          </Group>
        )}
      </Stack>
      {publishing && (
        <PublishModal content={text} basedOn={newest} next={(newest ?? 0) + 1} onClose={() => setPublishing(false)}
          onDone={(v) => {
            setPublishing(false);
            setPublished(v);
          }} />
      )}
    </Card>
  );
}

export function TermsTab() {
  const { t } = useTranslation();
  const canEdit = useCan()('terms.publish');
  const terms = useOp('terms.get', {}, { refetchOnWindowFocus: false });
  // Kept here: publishing remounts the editor on the new version, and the confirmation must survive that.
  const [published, setPublishedState] = useState<number | null>(null);
  const refreshAfter = useRefreshAfter();
  const setPublished = (v: number | null) => {
    setPublishedState(v);
    if (v !== null) inBackground(refreshAfter('terms.publish'));
  };
  if (terms.error) return <Alert color="red">{errorText(terms.error)}</Alert>;
  if (!terms.data) return <Text>{t('policies.loading')}</Text>;
  const { nsis, current, versions, newest } = terms.data;
  return (
    <Stack>
      <Card withBorder>
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h5">{t('policies.terms.nsisTitle')}</Title>
            <Badge color="gray">{nsis.label}</Badge>
          </Group>
          <Text size="sm" c="dimmed">{t('policies.terms.nsisHelp')}</Text>
          <Paper withBorder p="sm" bg="gray.0" data-testid="nsis-terms">
            <Text style={{ whiteSpace: 'pre-wrap' }}>{nsis.content}</Text>
          </Paper>
        </Stack>
      </Card>
      <Addendum key={newest ?? 0} current={current} newest={newest} canEdit={canEdit} published={published} setPublished={setPublished} />
      <History key={`h${newest ?? 0}`} versions={versions} />
      <Report versions={versions} current={current?.version ?? null} />
    </Stack>
  );
}
