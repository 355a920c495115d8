import '@mantine/dates/styles.css';
import '@mantine/charts/styles.css';
import 'dayjs/locale/da';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, Badge, Button, Card, Checkbox, Drawer, Group, MultiSelect, NumberInput, Progress, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title,
} from '@mantine/core';
import { BarChart, LineChart } from '@mantine/charts';
import { DateInput, DatesProvider } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { auditActionLabel, auditActionLabels, type AuditFilter, type AuditRow, type JournalCheck, type PackageCheck } from '../../../shared/domain/audit.ts';
import i18n from '../../app/i18n.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { useOp, useOpMutation, useOpPages } from '../../app/ops.ts';
import { OpError } from '../../app/transport.ts';
import { useCan, useOperator } from '../session/useOperator.ts';
import da from './locales/da.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import { inBackground } from '../../app/background.ts';

i18n.addResourceBundle('da', 'translation', da, true, true);
i18n.addResourceBundle('en', 'translation', en, true, true);

type Draft = { from: string | null; to: string | null; actions: string[]; operator: string; person: string; ou: string; outcome: string | null; text: string; source: 'all' | 'console' | 'idp'; correlationId: string | null };
const emptyDraft: Draft = { from: null, to: null, actions: [], operator: '', person: '', ou: '', outcome: null, text: '', source: 'all', correlationId: null };

function toFilter(d: Draft): AuditFilter {
  const f: AuditFilter = { actions: d.actions, source: d.source };
  if (d.from) f.from = d.from;
  if (d.to) f.to = d.to;
  if (d.operator.trim()) f.operator = d.operator.trim();
  if (d.person.trim()) f.person = d.person.trim();
  if (d.ou.trim()) f.ou = d.ou.trim();
  if (d.outcome) f.outcome = d.outcome as AuditFilter['outcome'];
  if (d.text.trim()) f.text = d.text.trim();
  if (d.correlationId) f.correlationId = d.correlationId;
  return f;
}

/** Typed dates as Danes write them: 23-11-2026, 23.11.2026 or 23/11/2026 (also ISO). */
function parseDanishDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (iso) return text.trim();
  const m = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [, d, mo, y] = m as unknown as [string, string, string, string];
  const date = new Date(Number(y), Number(mo) - 1, Number(d));
  if (date.getMonth() !== Number(mo) - 1) return null;
  return `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

const fmtTime = (iso: string) => new Date(iso).toLocaleString('da-DK', { dateStyle: 'short', timeStyle: 'medium' });
const ROW = 36;
const cols = '170px 1.3fr 1fr 1fr 110px 1.4fr';

function Timeline({ filter, onPick }: { filter: AuditFilter; onPick: (r: AuditRow) => void }) {
  const { t, i18n } = useTranslation();
  const q = useOpPages('audit.search', { filter, limit: 200 });
  const rows = useMemo(() => q.data?.pages.flatMap((p) => p.rows) ?? [], [q.data]);
  const parent = useRef<HTMLDivElement>(null);
  // Only the visible rows are in the DOM; more pages load as the auditor scrolls.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 10 });
  const items = virtual.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = q;
  // An effect cannot wait; the rows appear when the page arrives, and the query holds its own error.
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 20) inBackground(fetchNextPage());
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (q.error) return <Alert color="red">{errorText(q.error)}</Alert>;
  return (
    <Stack gap={4}>
      <div style={{ display: 'grid', gridTemplateColumns: cols, fontWeight: 600, fontSize: 13, padding: '6px 8px', borderBottom: '1px solid var(--mantine-color-gray-4)' }} aria-hidden="true">
        <span>{t('audit.time')}</span><span>{t('audit.action')}</span><span>{t('audit.operator')}</span><span>{t('audit.personCol')}</span><span>{t('audit.outcome')}</span><span>{t('audit.reason')}</span>
      </div>
      <div ref={parent} style={{ height: '55vh', overflow: 'auto' }} data-testid="audit-rows" tabIndex={0} aria-label={t('audit.title')}>
        {q.isSuccess && rows.length === 0 && <Text p="md">{t('audit.none')}</Text>}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const r = rows[v.index] as AuditRow;
            return (
              <div
                key={r.key}
                role="button"
                tabIndex={0}
                data-testid="audit-row"
                onClick={() => onPick(r)}
                onKeyDown={(e) => e.key === 'Enter' && onPick(r)}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)`, display: 'grid', gridTemplateColumns: cols, alignItems: 'center', padding: '0 8px', fontSize: 13, cursor: 'pointer', borderBottom: '1px solid var(--mantine-color-gray-2)', whiteSpace: 'nowrap', overflow: 'hidden' }}
              >
                <span>{fmtTime(r.at)}</span>
                <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  <Badge size="xs" variant="light" color={r.source === 'console' ? 'blue' : 'grape'} mr={6}>{t(`audit.sources.${r.source}`)}</Badge>
                  {auditActionLabel(r.action, i18n.language)}
                </span>
                <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{r.operator ?? '–'}</span>
                <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{r.person ?? '–'}</span>
                <span>{r.outcome ? t(`audit.outcomes.${r.outcome}`) : r.kind === 'intent' ? '…' : ''}</span>
                <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{r.reason ?? r.message ?? ''}</span>
              </div>
            );
          })}
        </div>
        {isFetchingNextPage && <Text size="xs" c="dimmed" p="xs">{t('audit.loadingMore')}</Text>}
      </div>
    </Stack>
  );
}

function Charts({ filter }: { filter: AuditFilter }) {
  const { t, i18n } = useTranslation();
  const stats = useOp('audit.stats', { filter });
  const perDay = useMemo(() => {
    const data = stats.data?.perDay ?? [];
    const totals = new Map<string, number>();
    for (const d of data) totals.set(d.action, (totals.get(d.action) ?? 0) + d.count);
    const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([a]) => a);
    const days = new Map<string, Record<string, number | string>>();
    for (const d of data) {
      if (!top.includes(d.action)) continue;
      const row = days.get(d.day) ?? { day: d.day };
      row[auditActionLabel(d.action, i18n.language)] = d.count;
      days.set(d.day, row);
    }
    const colors = ['blue.6', 'teal.6', 'orange.6', 'grape.6', 'red.6'];
    return { data: [...days.values()], series: top.map((a, i) => ({ name: auditActionLabel(a, i18n.language), color: colors[i] ?? 'gray.6' })) };
  }, [stats.data, i18n.language]);
  if (!stats.data) return null;
  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between"><Title order={2} size="h4">{t('audit.charts')}</Title><Text size="sm" c="dimmed">{t('audit.events', { count: stats.data.total })}</Text></Group>
        <SimpleGrid cols={{ base: 1, lg: 3 }}>
          <Stack gap={4}><Text size="sm" fw={600}>{t('audit.perDay')}</Text><BarChart h={180} data={perDay.data} dataKey="day" series={perDay.series} type="stacked" withLegend={false} /></Stack>
          <Stack gap={4}><Text size="sm" fw={600}>{t('audit.perOperator')}</Text><BarChart h={180} data={stats.data.perOperator} dataKey="operator" series={[{ name: 'count', label: 'Antal', color: 'blue.6' }]} /></Stack>
          <Stack gap={4}><Text size="sm" fw={600}>{t('audit.failedLogins')}</Text><LineChart h={180} data={stats.data.failedLoginsPerDay} dataKey="day" series={[{ name: 'count', label: 'Antal', color: 'red.6' }]} withDots={false} /></Stack>
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

function ExportPanel({ draft }: { draft: Draft }) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<'all' | 'admin' | 'person' | 'ou' | 'policy'>('all');
  const [fullCpr, setFullCpr] = useState(false);
  const [reason, setReason] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<OpError | null>(null);
  const job = useOp('jobs.get', { id: jobId ?? '00000000-0000-4000-8000-000000000000' }, {
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data?.job.state === 'running' ? 400 : false),
  });
  const [folder, setFolder] = useState('');
  const verify = useOpMutation('audit.verifyPackage');
  const j = job.data?.job;
  const result = j?.state === 'succeeded' ? (j.result as { folder: string; rows: number; attestation: { signed: true; fingerprintSha256: string } | { signed: false; reason: string } }) : null;
  const cert = useOp('audit.attestationCertificate', {});
  const exportEvidence = useOpMutation('audit.exportEvidence');
  const cancel = useOpMutation('jobs.cancel');

  const start = async () => {
    setError(null);
    if (!draft.from || !draft.to) {
      setError(new OpError('validation', t('audit.needPeriod')));
      return;
    }
    const s = scope === 'person' ? { kind: 'person' as const, person: draft.person } : scope === 'ou' ? { kind: 'ou' as const, ou: draft.ou } : { kind: scope };
    try {
      // The package is written in the operator's console language.
      const language = i18n.language === 'en' ? ('en' as const) : ('da' as const);
      const r = await exportEvidence.mutateAsync({ from: draft.from, to: draft.to, scope: s, fullCpr, language, ...(fullCpr ? { reason } : {}) });
      setJobId(r.job.id);
    } catch (e) {
      setError(e instanceof OpError ? e : new OpError('internal', String(e)));
    }
  };

  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">{t('audit.export')}</Title>
        <Text size="sm" c="dimmed">{t('audit.exportHelp')}</Text>
        <Select label={t('audit.scope')} value={scope} onChange={(v) => setScope((v ?? 'all') as typeof scope)} allowDeselect={false}
          data={[{ value: 'all', label: t('audit.scopeAll') }, { value: 'admin', label: t('audit.scopeAdmin') }, { value: 'person', label: t('audit.scopePerson') }, { value: 'ou', label: t('audit.scopeOu') }, { value: 'policy', label: t('audit.scopePolicy') }]} />
        <Checkbox label={t('audit.fullCpr')} checked={fullCpr} onChange={(e) => setFullCpr(e.currentTarget.checked)} />
        {fullCpr && <Textarea label={t('audit.fullCprReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldErrors(error).reason} autosize />}
        {error && !error.fields.reason && <Alert color="red" role="alert">{errorText(error)}</Alert>}
        {j?.state === 'running' ? (
          <Stack gap={4}>
            <Text size="sm">{j.progress.phase}: {j.progress.done.toLocaleString('da-DK')}{j.progress.total !== null ? ` / ${j.progress.total.toLocaleString('da-DK')}` : ''}</Text>
            <Progress value={j.progress.total ? (100 * j.progress.done) / j.progress.total : 5} animated aria-label={j.progress.phase} />
            <Button variant="default" onClick={() => jobId && cancel.mutate({ id: jobId })} w="fit-content">{t('audit.cancel')}</Button>
          </Stack>
        ) : (
          <Button onClick={() => inBackground(start())} w="fit-content" data-testid="export-start">{t('audit.start')}</Button>
        )}
        {result && (
          <Alert color={result.attestation.signed ? 'green' : 'orange'} data-testid="export-done" title={t('audit.done', { folder: result.folder })}>
            {result.attestation.signed ? t('audit.doneSigned', { fingerprint: result.attestation.fingerprintSha256 }) : t('audit.doneUnsigned', { reason: result.attestation.reason })}
          </Alert>
        )}
        {j?.state === 'cancelled' && <Alert color="gray">{t('audit.cancelled')}</Alert>}
        {j?.state === 'failed' && <Alert color="red">{j.error ? errorText(j.error) : null}</Alert>}
        <Group align="flex-end">
          <TextInput label={t('audit.verifyPackage')} placeholder={t('audit.folder')} value={folder || result?.folder || ''} onChange={(e) => setFolder(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button variant="light" onClick={() => verify.mutate({ folder: folder || result?.folder || '' })} loading={verify.isPending}>{t('audit.check')}</Button>
        </Group>
        {verify.data && <PackageCheckResult check={verify.data} />}
        <Text size="xs" c="dimmed" data-testid="idp-certificate">
          {cert.data?.certificate ? t('audit.idpCertificate', { fingerprint: cert.data.certificate.fingerprintSha256, subject: cert.data.certificate.subject }) : cert.data?.message ?? ''}
        </Text>
        {verify.error && <Alert color="red">{errorText(verify.error)}</Alert>}
      </Stack>
    </Card>
  );
}

/** The result of checking the journal: the chain, the comparison with the IdP, and every break named. */
function JournalCheckResult({ check }: { check: JournalCheck }) {
  const { t } = useTranslation();
  const color = check.ok ? 'green' : check.findings.length > 0 || check.findingsOmitted > 0 ? 'red' : 'orange';
  const title = check.ok
    ? t('audit.verifyOk', { count: check.count })
    : check.findings.length > 0 || check.findingsOmitted > 0
      ? t('audit.verifyTampered', { count: check.findings.length + check.findingsOmitted })
      : t('audit.verifyNotCompared', { count: check.count });
  return (
    <Alert color={color} data-testid="verify-result" title={title}>
      <Stack gap={4}>
        <Text size="sm" data-testid="verify-idp">{check.idp.message}</Text>
        {check.findings.length > 0 && (
          <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="verify-findings">
            {check.findings.map((f, i) => <li key={i}><Text size="sm">{f.message}</Text></li>)}
          </ul>
        )}
        {check.findingsOmitted > 0 && <Text size="sm">{t('audit.verifyMore', { count: check.findingsOmitted })}</Text>}
        <Text size="xs" c="dimmed">{t('audit.verifyJournalId', { id: check.journalId, workstation: check.workstation })}</Text>
      </Stack>
    </Alert>
  );
}

/** The outcome of "Kontrollér en pakke": files, and who signed the manifest (by certificate fingerprint). */
function PackageCheckResult({ check }: { check: PackageCheck }) {
  const { t } = useTranslation();
  const sig = check.signature;
  return (
    <Alert color={check.ok ? 'green' : sig.state === 'unsigned' && check.problems.length === 0 ? 'orange' : 'red'} data-testid={check.ok ? 'package-ok' : 'package-bad'}
      title={check.ok ? t('audit.packageOk', { count: check.checked }) : sig.state === 'unsigned' && check.problems.length === 0 ? t('audit.packageUnsigned') : t('audit.packageBad')}>
      <Stack gap={4}>
        <Text size="sm" data-testid="package-signature">{sig.message}</Text>
        {check.problems.length > 0 && (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {check.problems.map((p, i) => <li key={i}><Text size="sm">{p}</Text></li>)}
          </ul>
        )}
      </Stack>
    </Alert>
  );
}

function RetentionCard() {
  const { t } = useTranslation();
  const isAdmin = useCan()('audit.setRetention');
  const current = useOp('audit.getRetention', {});
  const save = useOpMutation('audit.setRetention');
  const purge = useOpMutation('audit.purgeNow');
  const [draft, setDraft] = useState<{ consoleMonths: number; idpLoginMonths: number; idpOtherMonths: number } | null>(null);
  const [reason, setReason] = useState('');
  if (!current.data) return null;
  const v = draft ?? current.data.settings;
  const field = (key: keyof typeof v, label: string, why: string) => (
    <NumberInput key={key} label={label} description={why} value={v[key]} min={1} max={120} suffix={` ${t('audit.months')}`} disabled={!isAdmin}
      onChange={(n) => setDraft({ ...v, [key]: Number(n) || 0 })} error={fieldErrors(save.error)[`settings.${key}`]} />
  );
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">{t('audit.retention')}</Title>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          {field('consoleMonths', t('audit.retConsole'), t('audit.retConsoleWhy'))}
          {field('idpLoginMonths', t('audit.retLogins'), t('audit.retLoginsWhy'))}
          {field('idpOtherMonths', t('audit.retOther'), t('audit.retOtherWhy'))}
        </SimpleGrid>
        <Text size="sm" c="dimmed">{t('audit.retUnshipped', { count: current.data.pendingShipment })}</Text>
        {isAdmin && (
          <Group align="flex-end">
            <TextInput label={t('audit.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} style={{ flex: 1 }} error={fieldErrors(save.error).reason ?? fieldErrors(purge.error).reason} />
            <Button variant="default" disabled={!draft} loading={save.isPending} onClick={() => save.mutate({ settings: v, reason }, { onSuccess: () => setDraft(null) })}>{t('audit.retSave')}</Button>
            <Button variant="light" color="red" loading={purge.isPending} onClick={() => purge.mutate({ reason })}>{t('audit.retPurge')}</Button>
          </Group>
        )}
        {purge.data && <Alert color="green">{t('audit.retPurged', { journal: purge.data.journalRemoved, idp: purge.data.idpRemoved })}</Alert>}
      </Stack>
    </Card>
  );
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const operator = useOperator();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [debounced] = useDebouncedValue(draft, 300);
  const filter = useMemo(() => toFilter(debounced), [debounced]);
  const [picked, setPicked] = useState<AuditRow | null>(null);
  const verify = useOpMutation('audit.verifyJournal');
  const refresh = useOpMutation('audit.refresh');
  const savedKey = `lia.audit.saved.${operator?.username ?? ''}`;
  const [saved, setSaved] = useState<Record<string, Draft>>(() => JSON.parse(localStorage.getItem(savedKey) ?? '{}') as Record<string, Draft>);
  const [saveName, setSaveName] = useState('');
  const actionOptions = Object.keys(auditActionLabels).map((value) => ({ value, label: auditActionLabel(value, i18n.language) }));
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'da', firstDayOfWeek: 1 }}>
      <Stack>
        <Group justify="space-between">
          <Title order={1} size="h2">{t('audit.title')}</Title>
          <Group>
            <Button variant="default" onClick={() => refresh.mutate({})} loading={refresh.isPending}>{t('audit.refresh')}</Button>
            <Button variant="default" onClick={() => verify.mutate({})} loading={verify.isPending} data-testid="verify-journal">{t('audit.verify')}</Button>
          </Group>
        </Group>
        {verify.data && <JournalCheckResult check={verify.data} />}
        {verify.error && <Alert color="red">{errorText(verify.error)}</Alert>}
        <Card withBorder>
          <Stack gap="xs">
            <SimpleGrid cols={{ base: 1, md: 2, lg: 4 }}>
              <Group grow gap="xs" align="flex-start">
                <DateInput label={t('audit.from')} value={draft.from} onChange={(from) => set({ from })} clearable valueFormat="DD-MM-YYYY" dateParser={parseDanishDate} placeholder={t('audit.datePlaceholder')} data-testid="period-from" />
                <DateInput label={t('audit.to')} value={draft.to} onChange={(to) => set({ to })} clearable valueFormat="DD-MM-YYYY" dateParser={parseDanishDate} placeholder={t('audit.datePlaceholder')} data-testid="period-to" />
              </Group>
              <MultiSelect label={t('audit.actions')} data={actionOptions} value={draft.actions} onChange={(actions) => set({ actions })} searchable clearable />
              <TextInput label={t('audit.operator')} value={draft.operator} onChange={(e) => set({ operator: e.currentTarget.value })} />
              <TextInput label={t('audit.person')} value={draft.person} onChange={(e) => set({ person: e.currentTarget.value })} />
              <TextInput label={t('audit.ou')} value={draft.ou} onChange={(e) => set({ ou: e.currentTarget.value })} />
              <Select label={t('audit.outcome')} value={draft.outcome} onChange={(outcome) => set({ outcome })} clearable
                data={(['success', 'refused', 'failed', 'unknown'] as const).map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))} />
              <TextInput label={t('audit.text')} value={draft.text} onChange={(e) => set({ text: e.currentTarget.value })} data-testid="audit-text" />
              <Stack gap={2}>
                <Text size="sm" fw={500}>{t('audit.source')}</Text>
                <SegmentedControl value={draft.source} onChange={(v) => set({ source: v as Draft['source'] })}
                  data={[{ value: 'all', label: t('audit.sourceAll') }, { value: 'console', label: t('audit.sourceConsole') }, { value: 'idp', label: t('audit.sourceIdp') }]} />
              </Stack>
            </SimpleGrid>
            <Group>
              <Button variant="subtle" onClick={() => setDraft(emptyDraft)}>{t('audit.clear')}</Button>
              {draft.correlationId && <Badge color="orange" variant="light">{t('audit.correlationActive', { id: draft.correlationId })}</Badge>}
              <Select placeholder={t('audit.saved')} data={Object.keys(saved)} value={null} onChange={(name) => name && saved[name] && setDraft(saved[name])} w={220} aria-label={t('audit.saved')} />
              <TextInput placeholder={t('audit.searchName')} value={saveName} onChange={(e) => setSaveName(e.currentTarget.value)} w={200} aria-label={t('audit.searchName')} />
              <Button variant="default" disabled={!saveName.trim()} onClick={() => {
                const next = { ...saved, [saveName.trim()]: draft };
                setSaved(next);
                localStorage.setItem(savedKey, JSON.stringify(next));
                setSaveName('');
              }}>{t('audit.saveSearch')}</Button>
            </Group>
          </Stack>
        </Card>
        <Timeline filter={filter} onPick={setPicked} />
        <Charts filter={filter} />
        <ExportPanel draft={draft} />
        <RetentionCard />
      </Stack>
      <Drawer opened={picked !== null} onClose={() => setPicked(null)} position="right" size="lg" title={picked ? auditActionLabel(picked.action, i18n.language) : ''}>
        {picked && (
          <Stack>
            <Table>
              <Table.Tbody>
                {([
                  [t('audit.time'), fmtTime(picked.at)], [t('audit.source'), picked.source === 'console' ? t('audit.sourceConsole') : t('audit.sourceIdp')],
                  [t('audit.action'), `${auditActionLabel(picked.action, i18n.language)} (${picked.action})`], [t('audit.operator'), picked.operator], [t('audit.personCol'), picked.person], [t('audit.ou'), picked.ou],
                  [t('audit.outcome'), picked.outcome ? t(`audit.outcomes.${picked.outcome}`) : picked.kind], [t('audit.reason'), picked.reason], [t('audit.message'), picked.message],
                  ['Korrelations-id', picked.correlationId], ['Arbejdsstation', picked.workstation],
                ] as Array<[string, string | null]>).map(([k, v]) => (
                  <Table.Tr key={k}><Table.Th w={160}>{k}</Table.Th><Table.Td style={{ wordBreak: 'break-word' }}>{v ?? '–'}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {picked.correlationId && (
              <Button variant="light" onClick={() => { setDraft({ ...emptyDraft, correlationId: picked.correlationId }); setPicked(null); }}>
                {t('audit.correlation')}
              </Button>
            )}
          </Stack>
        )}
      </Drawer>
    </DatesProvider>
  );
}
