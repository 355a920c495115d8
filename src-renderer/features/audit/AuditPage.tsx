import '@mantine/dates/styles.css';
import '@mantine/charts/styles.css';
import 'dayjs/locale/da';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, Badge, Button, Card, Drawer, Group, MultiSelect, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title,
} from '@mantine/core';
import { BarChart, LineChart } from '@mantine/charts';
import { DateInput, DatesProvider } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { auditActionLabel, auditActionLabels, type AuditFilter, type AuditRow, type JournalCheck } from '../../../shared/domain/audit.ts';
import i18n from '../../app/i18n.ts';
import { formatterFor, useFormat, type Formatter } from '../../app/format.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { useOp, useOpMutation, useOpPages } from '../../app/ops.ts';
import { journalFindingText, journalIdpText } from '../../app/server-text.ts';
import { useTexts } from '../../app/texts.ts';
import { useCan, useOperator } from '../session/useOperator.ts';
import da from './locales/da.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import { inBackground } from '../../app/background.ts';
import { EvidenceButton, PackageCheckCard } from './EvidenceDialog.tsx';

i18n.addResourceBundle('da', 'translation', da, true, true);
i18n.addResourceBundle('en', 'translation', en, true, true);

type Draft = { from: string | null; to: string | null; actions: string[]; operator: string; person: string; ou: string; outcome: string | null; text: string; source: 'all' | 'console' | 'idp'; correlationId: string | null; domain?: string | null };
const emptyDraft: Draft = { from: null, to: null, actions: [], operator: '', person: '', ou: '', outcome: null, text: '', source: 'all', correlationId: null, domain: null };
/** Domain ids to names, for the domains main lets this operator pick (none: one domain, or confined to theirs). */
type DomainNames = ReadonlyMap<string, string>;

function toFilter(d: Draft): AuditFilter {
  // One row per action; following one action's correlation id shows each of its records instead.
  const f: AuditFilter = { actions: d.actions, source: d.source, fold: !d.correlationId };
  if (d.from) f.from = d.from;
  if (d.to) f.to = d.to;
  if (d.operator.trim()) f.operator = d.operator.trim();
  if (d.person.trim()) f.person = d.person.trim();
  if (d.ou.trim()) f.ou = d.ou.trim();
  if (d.outcome) f.outcome = d.outcome as AuditFilter['outcome'];
  if (d.text.trim()) f.text = d.text.trim();
  if (d.correlationId) f.correlationId = d.correlationId;
  if (d.domain) f.domain = d.domain;
  return f;
}

/** A typed date in the language's order (day first; also ISO) as Mantine's 'YYYY-MM-DD', or null. */
function dateParserFor(fmt: Formatter) {
  return (text: string): string | null => {
    const d = fmt.parseDate(text);
    return d ? `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}` : null;
  };
}

/** A journal line's moment: date and time with seconds, in the operator's language. */
const fmtTime = (iso: string) => formatterFor(i18n.language).dateTime(iso, { seconds: true });
const ROW = 36;
const cols = '170px 1.3fr 1fr 1fr 110px 1.4fr';

function Timeline({ filter, onPick, domains }: { filter: AuditFilter; onPick: (r: AuditRow) => void; domains: DomainNames }) {
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
                  {auditActionLabel(r.action, i18n.language, r.variant)}
                </span>
                <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{r.operator ?? '–'}</span>
                <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {r.domain && domains.has(r.domain) && <Badge size="xs" variant="outline" color="gray" mr={6} data-testid="audit-domain">{domains.get(r.domain)}</Badge>}
                  {r.person ?? '–'}
                </span>
                <span>
                  {r.outcome ? t(`audit.outcomes.${r.outcome}`) : r.kind === 'intent' ? '…' : ''}
                  {(r.echoes?.length ?? 0) > 0 && <Badge size="xs" variant="light" color="grape" ml={4} data-testid="audit-echo">{t('audit.sources.idp')}</Badge>}
                </span>
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

/** A chart's day (yyyy-mm-dd) as a short tick in the operator's language: "5. dec." / "5 Dec". */
function dayTick(locale: string) {
  const f = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  return (day: string) => {
    const [y, m, d] = day.split('-').map(Number);
    return y && m && d ? f.format(new Date(y, m - 1, d)) : day;
  };
}

function Charts({ filter }: { filter: AuditFilter }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const stats = useOp('audit.stats', { filter });
  const tick = useMemo(() => dayTick(fmt.locale), [fmt.locale]);
  const perDay = useMemo(() => {
    const data = stats.data?.perDay ?? [];
    const totals = new Map<string, number>();
    for (const d of data) totals.set(d.action, (totals.get(d.action) ?? 0) + d.count);
    const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([a]) => a);
    const days = new Map<string, Record<string, number | string>>();
    for (const d of data) {
      if (!top.includes(d.action)) continue;
      // The day is shown (axis and tooltip) as the operator's language writes it.
      const row = days.get(d.day) ?? { day: tick(d.day) };
      row[auditActionLabel(d.action, i18n.language)] = d.count;
      days.set(d.day, row);
    }
    const colors = ['blue.6', 'teal.6', 'orange.6', 'grape.6', 'red.6'];
    return { data: [...days.values()], series: top.map((a, i) => ({ name: auditActionLabel(a, i18n.language), color: colors[i] ?? 'gray.6' })) };
  }, [stats.data, i18n.language, tick]);
  const failed = useMemo(() => (stats.data?.failedLoginsPerDay ?? []).map((d) => ({ day: tick(d.day), count: d.count })), [stats.data, tick]);
  if (!stats.data) return null;
  const count = t('audit.count');
  const number = (n: number) => fmt.number(n);
  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between"><Title order={2} size="h4">{t('audit.charts')}</Title><Text size="sm" c="dimmed">{t('audit.events', { count: stats.data.total })}</Text></Group>
        <SimpleGrid cols={{ base: 1, lg: 3 }}>
          <Stack gap={4} data-testid="chart-per-day"><Text size="sm" fw={600}>{t('audit.perDay')}</Text><BarChart h={220} data={perDay.data} dataKey="day" series={perDay.series} type="stacked" withLegend legendProps={{ verticalAlign: 'bottom', height: 60 }} valueFormatter={number} /></Stack>
          <Stack gap={4} data-testid="chart-per-operator"><Text size="sm" fw={600}>{t('audit.perOperator')}</Text><BarChart h={220} data={stats.data.perOperator} dataKey="operator" series={[{ name: 'count', label: count, color: 'blue.6' }]} withLegend legendProps={{ verticalAlign: 'bottom' }} valueFormatter={number} /></Stack>
          <Stack gap={4} data-testid="chart-failed-logins"><Text size="sm" fw={600}>{t('audit.failedLogins')}</Text><LineChart h={220} data={failed} dataKey="day" series={[{ name: 'count', label: t('audit.failedLoginsSeries'), color: 'red.6' }]} withDots={false} withLegend legendProps={{ verticalAlign: 'bottom' }} valueFormatter={number} /></Stack>
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

/** The result of checking the journal: the chain, the comparison with the IdP, and every break named. */
function JournalCheckResult({ check }: { check: JournalCheck }) {
  const { t } = useTranslation();
  const texts = useTexts();
  const fmt = useFormat();
  const fig = { dateTime: (iso: string) => fmt.dateTime(iso), number: (n: number) => fmt.number(n) };
  const color = check.ok ? 'green' : check.findings.length > 0 || check.findingsOmitted > 0 ? 'red' : 'orange';
  const title = check.ok
    ? t('audit.verifyOk', { count: check.count })
    : check.findings.length > 0 || check.findingsOmitted > 0
      ? t('audit.verifyTampered', { count: check.findings.length + check.findingsOmitted })
      : t('audit.verifyNotCompared', { count: check.count });
  return (
    <Alert color={color} data-testid="verify-result" title={title}>
      <Stack gap={4}>
        <Text size="sm" data-testid="verify-idp">{journalIdpText(check.idpDetail, texts, fig)}</Text>
        {check.findings.length > 0 && (
          <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="verify-findings">
            {check.findings.map((f, i) => {
              // One detail per finding, in order (the contract's findingDetails).
              const d = check.findingDetails[i];
              return d ? <li key={i}><Text size="sm">{journalFindingText(f, d, texts, fig)}</Text></li> : null;
            })}
          </ul>
        )}
        {check.findingsOmitted > 0 && <Text size="sm">{t('audit.verifyMore', { count: check.findingsOmitted })}</Text>}
        <Text size="xs" c="dimmed">{t('audit.verifyJournalId', { id: check.journalId, workstation: check.workstation })}</Text>
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
  const fmt = useFormat();
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
  const actionOptions = Object.keys(auditActionLabels).filter((a) => !a.includes(':')).map((value) => ({ value, label: auditActionLabel(value, i18n.language) }));
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  // The same query the charts make (one request): main says which domains this operator may pick.
  const choices = useOp('audit.stats', { filter }).data?.domains;
  const domains: DomainNames = useMemo(() => new Map((choices ?? []).map((d) => [d.id, d.name])), [choices]);
  const confinedTo = operator?.domain && !operator.domain.primary ? operator.domain.name : null;

  return (
    <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'da', firstDayOfWeek: 1 }}>
      <Stack>
        <Group justify="space-between">
          <Title order={1} size="h2">{t('audit.title')}</Title>
          <Group>
            <EvidenceButton timelinePeriod={{ from: draft.from, to: draft.to }} domains={choices ?? []} />
            <Button variant="default" onClick={() => refresh.mutate({})} loading={refresh.isPending}>{t('audit.refresh')}</Button>
            <Button variant="default" onClick={() => verify.mutate({})} loading={verify.isPending} data-testid="verify-journal">{t('audit.verify')}</Button>
          </Group>
        </Group>
        {confinedTo && <Text size="sm" c="dimmed" data-testid="audit-only-domain">{t('audit.onlyDomain', { domain: confinedTo })}</Text>}
        {verify.data && <JournalCheckResult check={verify.data} />}
        {verify.error && <Alert color="red">{errorText(verify.error)}</Alert>}
        <Card withBorder>
          <Stack gap="xs">
            <SimpleGrid cols={{ base: 1, md: 2, lg: 4 }}>
              <Group grow gap="xs" align="flex-start">
                <DateInput label={t('audit.from')} value={draft.from} onChange={(from) => set({ from })} clearable valueFormat={fmt.dateInputFormat} dateParser={dateParserFor(fmt)} placeholder={fmt.datePlaceholder} data-testid="period-from" />
                <DateInput label={t('audit.to')} value={draft.to} onChange={(to) => set({ to })} clearable valueFormat={fmt.dateInputFormat} dateParser={dateParserFor(fmt)} placeholder={fmt.datePlaceholder} data-testid="period-to" />
              </Group>
              <MultiSelect label={t('audit.actions')} data={actionOptions} value={draft.actions} onChange={(actions) => set({ actions })} searchable clearable />
              <TextInput label={t('audit.operator')} value={draft.operator} onChange={(e) => set({ operator: e.currentTarget.value })} />
              <TextInput label={t('audit.person')} value={draft.person} onChange={(e) => set({ person: e.currentTarget.value })} />
              <TextInput label={t('audit.ou')} value={draft.ou} onChange={(e) => set({ ou: e.currentTarget.value })} />
              <Select label={t('audit.outcome')} value={draft.outcome} onChange={(outcome) => set({ outcome })} clearable
                data={(['success', 'refused', 'failed', 'unknown'] as const).map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))} />
              <TextInput label={t('audit.text')} value={draft.text} onChange={(e) => set({ text: e.currentTarget.value })} data-testid="audit-text" />
              {domains.size > 0 && (
                <Select label={t('audit.domain')} placeholder={t('audit.allDomains')} value={draft.domain ?? null} onChange={(domain) => set({ domain })} clearable
                  data={[...domains].map(([value, label]) => ({ value, label }))} data-testid="audit-domain-filter" />
              )}
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
        <Timeline filter={filter} onPick={setPicked} domains={domains} />
        <Charts filter={filter} />
        <PackageCheckCard />
        <RetentionCard />
      </Stack>
      <Drawer opened={picked !== null} onClose={() => setPicked(null)} position="right" size="lg" title={picked ? auditActionLabel(picked.action, i18n.language, picked.variant) : ''}>
        {picked && (
          <Stack>
            <Table>
              <Table.Tbody>
                {([
                  [t('audit.time'), fmtTime(picked.at)], [t('audit.source'), picked.source === 'console' ? t('audit.sourceConsole') : t('audit.sourceIdp')],
                  [t('audit.action'), `${auditActionLabel(picked.action, i18n.language, picked.variant)} (${picked.action})`], [t('audit.operator'), picked.operator], [t('audit.personCol'), picked.person], [t('audit.ou'), picked.ou],
                  [t('audit.outcome'), picked.outcome ? t(`audit.outcomes.${picked.outcome}`) : picked.kind], [t('audit.reason'), picked.reason], [t('audit.message'), picked.message],
                  [t('audit.correlationId'), picked.correlationId], [t('audit.workstationLabel'), picked.workstation],
                  ...(picked.domain && domains.has(picked.domain) ? [[t('audit.domain'), domains.get(picked.domain) ?? null]] : []),
                  ...(picked.echoes?.length ? [[t('audit.sourceIdp'), (picked.echoes ?? []).map((a) => auditActionLabel(a, i18n.language)).join(', ')]] : []),
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
