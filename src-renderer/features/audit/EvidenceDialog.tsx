import { useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, FileButton, Group, Modal, Progress, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import type { PackageCheck } from '../../../shared/domain/audit.ts';
import { PACKAGE_CHUNK_BYTES } from '../../../shared/operations/audit.ts';
import { inBackground } from '../../app/background.ts';
import { download } from '../../app/download.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { useFormat, type Formatter } from '../../app/format.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { OpError } from '../../app/transport.ts';

/** A calendar day as the contract wants it (yyyy-mm-dd), in local time. */
const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** A typed date in the language's order (day first; also ISO) as Mantine's 'YYYY-MM-DD', or null. */
export function dateParserFor(fmt: Formatter) {
  return (text: string): string | null => {
    const d = fmt.parseDate(text);
    return d ? isoDay(d) : null;
  };
}

/** The package's default period: the last 30 days up to and including today. */
function defaultPeriod(): { from: string; to: string } {
  const to = new Date();
  const from = new Date(to);
  from.setDate(from.getDate() - 29);
  return { from: isoDay(from), to: isoDay(to) };
}

type Scope = 'all' | 'admin' | 'person' | 'ou' | 'policy';
type ExportResult = { folder: string; rows: number; attestation: { signed: true; fingerprintSha256: string } | { signed: false; reason: string } };

/**
 * Revision → Revisionspakke: the package's own period and scope, shown and set here (never taken
 * silently from the timeline's filters), and a download of the finished package as one zip — a browser
 * download in the web host, a save dialog in Electron.
 */
type Period = { from: string | null; to: string | null };
/** The domains main lets this operator pick (none: one domain, or an operator confined to theirs, whose package is theirs). */
type DomainChoices = ReadonlyArray<{ id: string; name: string }>;

export function EvidenceButton({ timelinePeriod, domains }: { timelinePeriod: Period; domains: DomainChoices }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button onClick={() => setOpened(true)} data-testid="export-open">{t('audit.exportOpen')}</Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('audit.export')} size="lg">
        <EvidenceForm timelinePeriod={timelinePeriod} domains={domains} />
      </Modal>
    </>
  );
}

function EvidenceForm({ timelinePeriod, domains }: { timelinePeriod: Period; domains: DomainChoices }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const [period, setPeriod] = useState<{ from: string | null; to: string | null }>(defaultPeriod);
  const [scope, setScope] = useState<Scope>('all');
  const [person, setPerson] = useState('');
  const [ou, setOu] = useState('');
  const [domain, setDomain] = useState<string | null>(null);
  const [fullCpr, setFullCpr] = useState(false);
  const [reason, setReason] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<OpError | null>(null);
  const job = useOp('jobs.get', { id: jobId ?? '00000000-0000-4000-8000-000000000000' }, {
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data?.job.state === 'running' ? 400 : false),
  });
  const j = job.data?.job;
  const result = j?.state === 'succeeded' ? (j.result as ExportResult) : null;
  const exportEvidence = useOpMutation('audit.exportEvidence');
  const fetchZip = useOpMutation('audit.downloadEvidence');
  const cancel = useOpMutation('jobs.cancel');
  const fields = fieldErrors(error);
  const timelineHasPeriod = Boolean(timelinePeriod.from && timelinePeriod.to);

  const start = async () => {
    setError(null);
    if (!period.from || !period.to) {
      setError(new OpError('validation', t('audit.needPeriod')));
      return;
    }
    const s = scope === 'person' ? { kind: 'person' as const, person } : scope === 'ou' ? { kind: 'ou' as const, ou } : { kind: scope };
    try {
      // The package is written in the operator's console language.
      const language = i18n.language === 'en' ? ('en' as const) : ('da' as const);
      const r = await exportEvidence.mutateAsync({ from: period.from, to: period.to, scope: s, fullCpr, language, ...(fullCpr ? { reason } : {}), ...(domain ? { domain } : {}) });
      setJobId(r.job.id);
    } catch (e) {
      setError(e instanceof OpError ? e : new OpError('internal', String(e)));
    }
  };
  const save = async () => {
    if (!jobId) return;
    const z = await fetchZip.mutateAsync({ job: jobId });
    download(z.fileName, 'application/zip', { base64: z.base64 });
  };
  const packageName = result ? result.folder.split(/[\\/]/).at(-1) ?? '' : '';

  return (
    <Stack>
      <Text size="sm" c="dimmed">{t('audit.exportHelp')}</Text>
      <Group grow align="flex-start">
        <DateInput label={t('audit.exportFrom')} value={period.from} onChange={(from) => setPeriod((p) => ({ ...p, from }))} valueFormat={fmt.dateInputFormat} dateParser={dateParserFor(fmt)} placeholder={fmt.datePlaceholder} data-testid="export-from" error={fields.from} />
        <DateInput label={t('audit.exportTo')} value={period.to} onChange={(to) => setPeriod((p) => ({ ...p, to }))} valueFormat={fmt.dateInputFormat} dateParser={dateParserFor(fmt)} placeholder={fmt.datePlaceholder} data-testid="export-to" error={fields.to} />
      </Group>
      {timelineHasPeriod && (
        <Button variant="subtle" size="compact-sm" w="fit-content" onClick={() => setPeriod({ from: timelinePeriod.from, to: timelinePeriod.to })} data-testid="export-use-timeline">
          {t('audit.useTimelinePeriod', { from: fmt.date(`${timelinePeriod.from}T12:00:00`), to: fmt.date(`${timelinePeriod.to}T12:00:00`) })}
        </Button>
      )}
      <Select label={t('audit.scope')} value={scope} onChange={(v) => setScope((v ?? 'all') as Scope)} allowDeselect={false} data-testid="export-scope"
        data={[{ value: 'all', label: t('audit.scopeAll') }, { value: 'admin', label: t('audit.scopeAdmin') }, { value: 'person', label: t('audit.scopePerson') }, { value: 'ou', label: t('audit.scopeOu') }, { value: 'policy', label: t('audit.scopePolicy') }]} />
      {scope === 'person' && <TextInput label={t('audit.person')} value={person} onChange={(e) => setPerson(e.currentTarget.value)} error={fields['scope.person']} />}
      {scope === 'ou' && <TextInput label={t('audit.ou')} value={ou} onChange={(e) => setOu(e.currentTarget.value)} error={fields['scope.ou']} />}
      {domains.length > 0 && (
        <Select label={t('audit.domain')} placeholder={t('audit.allDomains')} value={domain} onChange={setDomain} clearable
          data={domains.map((d) => ({ value: d.id, label: d.name }))} data-testid="export-domain" />
      )}
      <Checkbox label={t('audit.fullCpr')} checked={fullCpr} onChange={(e) => setFullCpr(e.currentTarget.checked)} />
      {fullCpr && <Textarea label={t('audit.fullCprReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fields.reason} autosize />}
      {error && !error.fields.reason && !error.fields.from && !error.fields.to && <Alert color="red" role="alert">{errorText(error)}</Alert>}
      {j?.state === 'running' ? (
        <Stack gap={4}>
          <Text size="sm">{t(`audit.jobPhase.${j.progress.phase}`)}: {fmt.number(j.progress.done)}{j.progress.total !== null ? ` / ${fmt.number(j.progress.total)}` : ''}</Text>
          <Progress value={j.progress.total ? (100 * j.progress.done) / j.progress.total : 5} animated aria-label={t(`audit.jobPhase.${j.progress.phase}`)} />
          <Button variant="default" onClick={() => jobId && cancel.mutate({ id: jobId })} w="fit-content">{t('audit.cancel')}</Button>
        </Stack>
      ) : (
        <Button onClick={() => inBackground(start())} w="fit-content" loading={exportEvidence.isPending} data-testid="export-start">{t('audit.start')}</Button>
      )}
      {result && (
        <Alert color={result.attestation.signed ? 'green' : 'orange'} data-testid="export-done" style={{ overflowWrap: 'anywhere' }} title={t('audit.doneName', { name: packageName, count: result.rows })}>
          <Stack gap="xs">
            <Text size="sm">{result.attestation.signed ? t('audit.doneSigned', { fingerprint: result.attestation.fingerprintSha256 }) : t('audit.doneUnsigned', { reason: result.attestation.reason })}</Text>
            <Button onClick={() => inBackground(save())} loading={fetchZip.isPending} w="fit-content" data-testid="export-download">{t('audit.downloadZip')}</Button>
          </Stack>
        </Alert>
      )}
      {fetchZip.error && <Alert color="red">{errorText(fetchZip.error)}</Alert>}
      {j?.state === 'cancelled' && <Alert color="gray">{t('audit.cancelled')}</Alert>}
      {j?.state === 'failed' && <Alert color="red">{j.error ? errorText(j.error) : null}</Alert>}
    </Stack>
  );
}

/** Bytes as base64, a slice at a time (String.fromCharCode takes a bounded argument list). */
function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * "Kontrollér en pakke": the auditor picks the package — its folder, or the zip the console handed out —
 * and the files are sent to main in chunks; the check itself (hashes, manifest, signature, certificate)
 * runs in main, as for a package on disk.
 */
export function PackageCheckCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const cert = useOp('audit.attestationCertificate', {});
  const [busy, setBusy] = useState<{ sent: number; total: number } | null>(null);
  const [picked, setPicked] = useState<{ name: string; files: number | null } | null>(null);
  const [check, setCheck] = useState<PackageCheck | null>(null);
  const [error, setError] = useState<OpError | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const send = useOpMutation('audit.uploadPackageFile');
  const verify = useOpMutation('audit.verifyPackage');

  const run = async (files: File[]) => {
    setCheck(null);
    setError(null);
    if (!files.length) return;
    const first = files[0] as File & { webkitRelativePath?: string };
    // Worded when shown, so a language switch afterwards rewords it too.
    setPicked({ name: files.length === 1 ? first.name : first.webkitRelativePath?.split('/')[0] || first.name, files: files.length === 1 ? null : files.length });
    const total = files.reduce((n, f) => n + f.size, 0);
    setBusy({ sent: 0, total });
    try {
      let upload: string | undefined;
      let sent = 0;
      for (const f of files) {
        const bytes = new Uint8Array(await f.arrayBuffer());
        for (let offset = 0; offset === 0 || offset < bytes.length; offset += PACKAGE_CHUNK_BYTES) {
          const r = await send.mutateAsync({ upload, name: f.name, offset, data: toBase64(bytes.subarray(offset, offset + PACKAGE_CHUNK_BYTES)) });
          upload = r.upload;
          sent += Math.min(PACKAGE_CHUNK_BYTES, bytes.length - offset);
          setBusy({ sent, total });
        }
      }
      setCheck(await verify.mutateAsync({ upload: upload! }));
    } catch (e) {
      setError(e instanceof OpError ? e : new OpError('internal', String(e)));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">{t('audit.verifyPackage')}</Title>
        <Text size="sm" c="dimmed">{t('audit.verifyPackageHelp')}</Text>
        <Group>
          {/* A folder picker: every file of the package folder, as the auditor keeps it. */}
          <input
            ref={folderInput}
            type="file"
            multiple
            hidden
            data-testid="package-folder-input"
            {...({ webkitdirectory: '' } as Record<string, string>)}
            onChange={(e) => { const f = [...(e.currentTarget.files ?? [])]; e.currentTarget.value = ''; inBackground(run(f)); }}
          />
          <Button variant="light" onClick={() => folderInput.current?.click()} disabled={busy !== null} data-testid="package-pick-folder">{t('audit.pickFolder')}</Button>
          <FileButton accept=".zip,application/zip" onChange={(f) => f && inBackground(run([f]))}>
            {(props) => <Button variant="light" {...props} disabled={busy !== null} data-testid="package-pick-zip">{t('audit.pickZip')}</Button>}
          </FileButton>
          {picked && <Text size="sm" data-testid="package-picked">{picked.files === null ? picked.name : `${picked.name} (${t('audit.files', { count: picked.files })})`}</Text>}
        </Group>
        {busy && <Progress value={busy.total ? (100 * busy.sent) / busy.total : 5} animated aria-label={t('audit.uploading', { sent: fmt.number(busy.sent), total: fmt.number(busy.total) })} />}
        {check && <PackageCheckResult check={check} />}
        {error && <Alert color="red" role="alert">{errorText(error)}</Alert>}
        <Text size="xs" c="dimmed" data-testid="idp-certificate">
          {cert.data?.certificate ? t('audit.idpCertificate', { fingerprint: cert.data.certificate.fingerprintSha256, subject: cert.data.certificate.subject }) : cert.data?.message ?? ''}
        </Text>
      </Stack>
    </Card>
  );
}

/** The outcome of "Kontrollér en pakke": files, and who signed the manifest (by certificate fingerprint). */
function PackageCheckResult({ check }: { check: PackageCheck }) {
  const { t } = useTranslation();
  const sig = check.signature;
  return (
    <Alert style={{ overflowWrap: 'anywhere' }} color={check.ok ? 'green' : sig.state === 'unsigned' && check.problems.length === 0 ? 'orange' : 'red'} data-testid={check.ok ? 'package-ok' : 'package-bad'}
      title={check.ok ? t('audit.packageOk', { count: check.checked }) : sig.state === 'unsigned' && check.problems.length === 0 ? t('audit.packageUnsigned') : t('audit.packageBad')}>
      <Stack gap={4}>
        <Text size="sm" data-testid="package-signature">{t(`audit.packageSignature.${sig.finding.code}`, sig.finding.params)}</Text>
        {check.findings.length > 0 && (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {check.findings.map((f, i) => <li key={i}><Text size="sm">{t(`audit.packageProblem.${f.code}`, f.params)}</Text></li>)}
          </ul>
        )}
      </Stack>
    </Alert>
  );
}
