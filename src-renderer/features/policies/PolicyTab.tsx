import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, List, Modal, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { failureText, leakText, mirrorText, weakerText } from '../../app/server-text.ts';
import { useTexts } from '../../app/texts.ts';
import type { OpOutput } from '../../../shared/operations/index.ts';
import { conflictRows, DANISH_WEAK_WORDS, mergeMine, policyGroups, type PolicyDiffRow, type PolicyField } from '../../../shared/domain/policies.ts';
import { FULL_SERVICE_MAX_TRIES_BEFORE_LOCK, FULL_SERVICE_MIN_LENGTH, FULL_SERVICE_MIN_LOCKED_MINUTES, type PasswordPolicy, type PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';
import { useOp, useOpMutation, useRefreshAfter } from '../../app/ops.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { useCan, useOperator } from '../session/useOperator.ts';
import { mayChange } from '../../../shared/access.ts';
import { ConfigCard } from './ConfigCard.tsx';
import { inBackground } from '../../app/background.ts';
import { formatterFor, useFormat } from '../../app/format.ts';

type Settings = PasswordPolicySettings;

const ranges: Partial<Record<PolicyField, [number, number]>> = {
  minLength: [4, 64],
  maxLength: [4, 64],
  forceChangePasswordIntervalDays: [1, 3650],
  forceChangeReminderDays: [0, 365],
  passwordHistoryCount: [1, 50],
  triesBeforeLock: [1, 100],
  lockedMinutes: [1, 1440],
  maxPasswordChangesPerDay: [1, 100],
};

/** A field only matters when its switch is on; it stays visible but greyed out. */
const dependsOn: Partial<Record<PolicyField, PolicyField>> = {
  forceChangePasswordIntervalDays: 'forceChangePassword',
  forceChangeReminderDays: 'forceChangePassword',
  passwordHistoryCount: 'passwordHistoryEnabled',
  maxPasswordChangesPerDay: 'maxPasswordChangesPerDayEnabled',
  bannedWords: 'preventBadPasswords',
};

/** Field → message for everything the draft gets wrong, the Full Service rule included. */
export function draftErrors(d: Settings, t: (k: string, o?: Record<string, unknown>) => string): Partial<Record<PolicyField, string>> {
  const e: Partial<Record<PolicyField, string>> = {};
  for (const [f, [min, max]] of Object.entries(ranges) as [PolicyField, [number, number]][]) {
    const v = d[f] as number;
    if (!Number.isInteger(v) || v < min || v > max) e[f] = t('policies.range', { min, max });
  }
  if (!e.minLength && !e.maxLength && d.minLength > d.maxLength) e.minLength = t('policies.minOverMax');
  if (!e.forceChangeReminderDays && d.forceChangeReminderDays >= d.forceChangePasswordIntervalDays) e.forceChangeReminderDays = t('policies.reminderAfterExpiry');
  if (d.nsis) {
    if (!e.minLength && d.minLength < FULL_SERVICE_MIN_LENGTH) e.minLength = t('policies.nsisMinLength');
    if (!e.triesBeforeLock && d.triesBeforeLock > FULL_SERVICE_MAX_TRIES_BEFORE_LOCK) e.triesBeforeLock = t('policies.nsisTries');
    if (!e.lockedMinutes && d.lockedMinutes < FULL_SERVICE_MIN_LOCKED_MINUTES) e.lockedMinutes = t('policies.nsisMinutes');
  }
  return e;
}

function useFmt() {
  const { t } = useTranslation();
  return (v: unknown): string => {
    if (typeof v === 'boolean') return v ? t('policies.yes') : t('policies.no');
    if (v === null || v === undefined || v === '') return t('policies.none');
    if (Array.isArray(v)) return t('policies.words', { count: v.length });
    return String(v);
  };
}

export function DiffTable({ rows, fromLabel, toLabel, testId }: { rows: PolicyDiffRow[]; fromLabel: string; toLabel: string; testId: string }) {
  const { t } = useTranslation();
  const fmt = useFmt();
  return (
    <Table striped withTableBorder data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('policies.field')}</Table.Th>
          <Table.Th>{fromLabel}</Table.Th>
          <Table.Th>{toLabel}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.field}>
            <Table.Td>{t(`policies.fields.${r.field}.label`)}</Table.Td>
            {r.field === 'bannedWords' ? (
              <Table.Td colSpan={2}>
                {r.added?.length ? <Text size="sm" c="green.9">{t('policies.added', { words: r.added.join(', ') })}</Text> : null}
                {r.removed?.length ? <Text size="sm" c="red.9">{t('policies.removed', { words: r.removed.join(', ') })}</Text> : null}
              </Table.Td>
            ) : (
              <>
                <Table.Td>{fmt(r.from)}</Table.Td>
                <Table.Td fw={600}>{fmt(r.to)}</Table.Td>
              </>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

type Identities = OpOutput<'policy.identities'>;

/**
 * Why the NSIS switch cannot be turned off, or null when it can: main refuses it for a domain that issues
 * MitID Erhverv identities (and, failing closed, while that is unknown or still being asked).
 */
function nsisLockReason(saved: Settings, ids: Identities | undefined, loading: boolean, t: (k: string, o?: Record<string, unknown>) => string): string | null {
  if (!saved.nsis) return null;
  if (loading || !ids) return t('policies.nsisLockChecking');
  if (ids.state === 'issuing') return t('policies.nsisLockIssuing', { count: ids.withIdentity ?? 0 });
  if (ids.state === 'unknown') return t('policies.nsisLockUnknown', { detail: ids.message });
  return null;
}

function FieldInput({ f, draft, set, error, disabled, municipality, isAdmin, nsisLock }: {
  f: PolicyField; draft: Settings; set: (p: Partial<Settings>) => void; error: string | undefined; disabled: boolean; municipality: string; isAdmin: boolean;
  /** Why main would refuse switching NSIS off for this domain (null = it would not). */
  nsisLock: string | null;
}) {
  const { t } = useTranslation();
  const [wordsText, setWordsText] = useState(draft.bannedWords.join('\n'));
  const label = t(`policies.fields.${f}.label`);
  const help = t(`policies.fields.${f}.help`);
  const gate = dependsOn[f];
  const off = disabled || (gate !== undefined && !draft[gate]);
  const v = draft[f];
  if (typeof v === 'boolean') {
    // Main refuses the NSIS flag from anyone but an administrator, and from everyone for a domain that
    // issues MitID Erhverv identities; the switch says which up front (turning NSIS on is always allowed).
    const issuingLock = f === 'nsis' && v && nsisLock !== null;
    const locked = disabled || (f === 'nsis' && !isAdmin) || issuingLock;
    const why = f !== 'nsis' || disabled ? null : !isAdmin ? t('policies.nsisAdminOnly') : issuingLock ? nsisLock : null;
    return (
      <Switch label={label} description={why ? `${help} ${why}` : help} checked={v} disabled={locked} error={error}
        onChange={(e) => set({ [f]: e.currentTarget.checked })} data-testid={`field-${f}`} data-locked={issuingLock || undefined} />
    );
  }
  if (f === 'bannedWords') {
    const setWords = (text: string) => {
      setWordsText(text);
      set({ bannedWords: text.split('\n').map((w) => w.trim()).filter(Boolean) });
    };
    const seed = () => {
      // Adds what is missing, keeps the order and everything the municipality already wrote.
      const have = new Set(draft.bannedWords.map((w) => w.toLocaleLowerCase('da-DK')));
      const extra = [...DANISH_WEAK_WORDS, ...(municipality ? [municipality] : [])].filter((w) => !have.has(w.toLocaleLowerCase('da-DK')));
      setWords([...draft.bannedWords, ...new Set(extra)].join('\n'));
    };
    return (
      <Stack gap={4}>
        <Textarea label={label} description={help} value={wordsText} disabled={off} autosize minRows={3} maxRows={8} error={error} data-testid={`field-${f}`}
          onChange={(e) => setWords(e.currentTarget.value)} />
        {!off && <Button variant="subtle" size="compact-sm" onClick={seed} style={{ alignSelf: 'flex-start' }}>{t('policies.seedWords', { name: municipality })}</Button>}
      </Stack>
    );
  }
  if (f === 'allowedSpecialCharacters' || f === 'canNotChangePasswordGroup') {
    return <TextInput label={label} description={help} value={(v as string | null) ?? ''} disabled={off} error={error} data-testid={`field-${f}`} onChange={(e) => set({ [f]: e.currentTarget.value === '' ? null : e.currentTarget.value })} />;
  }
  const [min, max] = ranges[f] ?? [0, 100_000];
  return (
    <NumberInput label={label} description={help} value={Number.isNaN(v as number) ? '' : (v as number)} min={min} max={max} allowDecimal={false} clampBehavior="none"
      disabled={off} error={error} data-testid={`field-${f}`}
      onChange={(x) => set({ [f]: typeof x === 'number' ? x : x === '' ? Number.NaN : Number(x) })} />
  );
}

function Tester({ domain, draft }: { domain: string; draft: Settings }) {
  const { t } = useTranslation();
  const texts = useTexts();
  const fmt = useFormat();
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<OpOutput<'policy.validatePassword'> | { error: string } | null>(null);
  const validate = useOpMutation('policy.validatePassword');
  const check = async () => {
    setBusy(true);
    try {
      setResult(await validate.mutateAsync( { domain, password, settings: draft, ...(name ? { displayName: name } : {}), ...(username ? { username } : {}) }));
    } catch (e) {
      setResult({ error: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h5">{t('policies.tester')}</Title>
        <Text size="sm" c="dimmed">{t('policies.testerHelp')}</Text>
        <Group align="flex-end" grow>
          <PasswordInput label={t('policies.testerPassword')} value={password} autoComplete="off" onChange={(e) => setPassword(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && inBackground(check())} data-testid="tester-password" />
          <TextInput label={t('policies.testerName')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput label={t('policies.testerUsername')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
          <Button onClick={() => inBackground(check())} loading={busy} disabled={!password} style={{ flexGrow: 0 }}>{t('policies.testerCheck')}</Button>
        </Group>
        {result && 'error' in result && <Alert color="red">{result.error}</Alert>}
        {result && !('error' in result) && (
          <Stack gap={4} role="status" data-testid="tester-result">
            {result.problems.length === 0 ? <Text c="green.9">{t('policies.testerOk')}</Text> : (
              <List size="sm" c="red.9">
                {result.problems.map((p) => <List.Item key={p.code} data-code={p.code}>{t(`codes.password.${p.code}`, p.params ?? {})}</List.Item>)}
              </List>
            )}
            {result.leak.state !== 'off' && <Text size="sm" c={result.leak.state === 'unavailable' ? 'orange.9' : result.leak.state === 'leaked' ? 'red.9' : 'dimmed'} data-testid="tester-leak">{leakText(result.leak, texts, fmt.number)}</Text>}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

interface Conflict {
  theirs: PasswordPolicy;
  mine: { basedOnVersion: number; settings: Settings };
  diff: PolicyDiffRow[];
  message: string;
}

type AdMirror = OpOutput<'policy.mirrorToAd'>;

/** AD's copy of the policy (the PSO): where AD is weaker than the IdP, and a way to write it again. */
function AdPanel({ domain, canEdit }: { domain: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const texts = useTexts();
  // Always asked afresh: the panel is remounted for every saved version.
  const status = useOp('policy.adStatus', { domain }, { staleTime: 0 });
  const mirror = useOpMutation('policy.mirrorToAd');
  const [reason, setReason] = useState('');
  const s = status.data;
  if (!s) return null;
  return (
    <Card withBorder data-testid="ad-panel">
      <Stack gap="xs">
        <Title order={2} size="h5">{t('policies.ad.title')}</Title>
        {s.error && <Alert color="red">{failureText({ message: s.error, error: s.failure }, texts)}</Alert>}
        {!s.groups.length && <Text size="sm">{t('policies.ad.notMapped')}</Text>}
        {s.groups.length > 0 && <Text size="sm">{t('policies.ad.groups', { groups: s.groups.join('; ') })}</Text>}
        {s.weaknesses.length > 0 ? (
          <Alert color="orange" data-testid="ad-weaker">{weakerText(s.weaknesses, texts)}</Alert>
        ) : (
          s.pso && <Text size="sm" c="green.8" data-testid="ad-in-sync">{t('policies.ad.inSync')}</Text>
        )}
        {canEdit && s.groups.length > 0 && (
          <Group align="flex-end">
            <TextInput label={t('policies.ad.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} style={{ flex: 1 }} error={fieldErrors(mirror.error).reason} />
            <Button variant="light" loading={mirror.isPending} onClick={() => mirror.mutate({ domain, reason })}>{t('policies.ad.mirror')}</Button>
          </Group>
        )}
        {mirror.data && <Text size="sm" c={mirror.data.state === 'mirrored' ? 'green.8' : 'red.8'} data-testid="ad-mirror-again">{mirrorText(mirror.data, texts)}</Text>}
      </Stack>
    </Card>
  );
}

function ReviewModal({ policy, basedOn, draft, onClose, onSaved, onConflict }: {
  policy: PasswordPolicy; basedOn: number; draft: Settings; onClose(): void; onSaved(p: PasswordPolicy, ad: AdMirror): void; onConflict(c: Conflict): void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const preview = useOp('policy.preview', { domain: policy.domain, basedOnVersion: basedOn, settings: draft }, { refetchOnWindowFocus: false, gcTime: 0 });
  const save = useOpMutation('policy.update');
  const submit = () =>
    save.mutate({ domain: policy.domain, basedOnVersion: basedOn, settings: draft, reason }, {
      onSuccess: (r) => onSaved(r.policy, r.adMirror),
      onError: (e) => {
        if (e.code === 'conflict' && e.details?.theirs) onConflict({ ...(e.details as unknown as Omit<Conflict, 'message'>), message: e.message });
      },
    });
  const pv = preview.data;
  return (
    <Modal opened onClose={onClose} size="xl" title={t('policies.reviewTitle', { domain: policy.displayName })}>
      <Stack>
        {preview.isLoading && <Text>{t('policies.loading')}</Text>}
        {preview.error && <Alert color="red">{errorText(preview.error)}</Alert>}
        {pv && (
          <>
            {pv.stale && <Alert color="yellow">{t('policies.stale')}</Alert>}
            {pv.violations.length > 0 && <Alert color="red">{pv.violations.map((v) => v.message).join('. ')}</Alert>}
            <DiffTable rows={pv.diff} fromLabel={t('policies.from')} toLabel={t('policies.to')} testId="review-diff" />
            <Title order={2} size="h5">{t('policies.consequences')}</Title>
            <List spacing={4} data-testid="consequences">
              {pv.consequences.map((c) => <List.Item key={c}>{c}</List.Item>)}
            </List>
          </>
        )}
        <Textarea label={t('policies.reason')} description={t('policies.reasonHelp')} value={reason} autosize minRows={2}
          onChange={(e) => setReason(e.currentTarget.value)} error={fieldErrors(save.error).reason} data-autofocus />
        {save.error && !save.error.fields.reason && save.error.code !== 'conflict' && <Alert color="red" role="alert">{errorText(save.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('policies.cancel')}</Button>
          <Button onClick={submit} loading={save.isPending} disabled={!pv || pv.violations.length > 0 || pv.diff.length === 0}>{t('policies.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ConflictModal({ c, base, onTheirs, onMine }: { c: Conflict; base: PasswordPolicy; onTheirs(): void; onMine(): void }) {
  const { t } = useTranslation();
  const fmt = useFmt();
  const rows = conflictRows(base.settings, c.theirs.settings, c.mine.settings);
  return (
    <Modal opened onClose={onTheirs} size="xl" title={t('policies.conflictTitle')}>
      <Stack data-testid="conflict-view">
        <Alert color="orange" role="alert">{errorText({ code: 'conflict', message: c.message })}</Alert>
        <Table striped withTableBorder data-testid="conflict-diff">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('policies.field')}</Table.Th>
              <Table.Th>{t('policies.base', { version: base.version })}</Table.Th>
              <Table.Th>{t('policies.theirs', { version: c.theirs.version })}</Table.Th>
              <Table.Th>{t('policies.mine')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.field} data-clash={r.clash}>
                <Table.Td>
                  {t(`policies.fields.${r.field}.label`)} {r.clash && <Badge color="red" size="xs">{t('policies.clash')}</Badge>}
                </Table.Td>
                <Table.Td c="dimmed">{fmt(r.base)}</Table.Td>
                <Table.Td fw={JSON.stringify(r.base) !== JSON.stringify(r.theirs) ? 700 : undefined}>{fmt(r.theirs)}</Table.Td>
                <Table.Td fw={JSON.stringify(r.base) !== JSON.stringify(r.mine) ? 700 : undefined}>{fmt(r.mine)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm" c="dimmed">{t('policies.mergeHelp')}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onTheirs}>{t('policies.useTheirs')}</Button>
          <Button onClick={onMine}>{t('policies.keepMine')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

type FloorWarning = OpOutput<'policy.floorWarnings'>['warnings'][number];

/**
 * The standing warning of a domain outside the NSIS rule whose people hold MitID Erhverv identities all the
 * same (#19): main counts them from the people list and sends numbers and a code; the words are the
 * operator's language. What to do depends on why the domain is outside the rule.
 */
function FloorWarningAlert({ w, onShow }: { w: FloorWarning; onShow?: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Alert color="red" variant="light" role="alert" data-testid={`floor-warning-${w.domain}`}
      title={t('policies.floor.title', { count: w.withIdentity, n: fmt.number(w.withIdentity), domain: w.displayName })}>
      <Stack gap={4}>
        <Text size="sm">{t(`policies.floor.${w.outside}`, { domain: w.displayName })}</Text>
        <Text size="xs" c="dark.6">{t('policies.floor.scope', { n: fmt.number(w.withIdentity), total: fmt.number(w.peopleInScope) })}</Text>
        {onShow && <Group><Button size="xs" variant="light" color="red" onClick={onShow}>{t('policies.floor.show', { domain: w.displayName })}</Button></Group>}
      </Stack>
    </Alert>
  );
}

function Editor({ initial, canEdit, isAdmin, floor, readOnlyText }: { initial: PasswordPolicy; canEdit: boolean; isAdmin: boolean; floor: FloorWarning | undefined; readOnlyText?: string }) {
  const { t, i18n } = useTranslation();
  const texts = useTexts();
  const refreshAfter = useRefreshAfter();
  const [policy, setPolicy] = useState(initial);
  const [basedOn, setBasedOn] = useState(initial.version);
  const [draft, setDraft] = useState<Settings>(initial.settings);
  const [gen, setGen] = useState(0);
  const [reviewing, setReviewing] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [adMirror, setAdMirror] = useState<AdMirror | null>(null);
  const errors = draftErrors(draft, (k, o) => t(k, o ?? {}));
  // Asked once per domain; main enforces the same answer on save whatever the screen shows.
  const ids = useOp('policy.identities', { domain: policy.domain }, { enabled: canEdit, staleTime: 5 * 60_000, refetchOnWindowFocus: false, retry: false });
  const nsisLock = canEdit ? nsisLockReason(policy.settings, ids.data, ids.isLoading, (k, o) => t(k, o ?? {})) : null;
  const outsideButIssuing = canEdit && !policy.settings.nsis && ids.data !== undefined && ids.data.state !== 'none';
  const hasErrors = Object.keys(errors).length > 0;
  const dirty = JSON.stringify(draft) !== JSON.stringify(policy.settings) || basedOn !== policy.version;
  const set = (p: Partial<Settings>) => {
    setSaved(null);
    setDraft((d) => ({ ...d, ...p }));
  };
  const load = (p: PasswordPolicy) => {
    setPolicy(p);
    setBasedOn(p.version);
    setDraft(p.settings);
    setGen((g) => g + 1); // remount inputs that keep their own text
  };
  // The municipality's own name is the most guessed word: the first label of its main domain.
  const municipality = (policy.parentDomain ?? policy.domain).split('.')[0]!.replace(/^elever$/i, '');
  const when = formatterFor(i18n.language).dateTime(policy.updatedAt);

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="policy-version">
          {t('policies.versionLine', { version: policy.version, at: when, by: policy.updatedBy ? t('policies.by', { name: policy.updatedBy }) : '' })}
        </Text>
        <Badge color={draft.nsis ? 'blue' : 'gray'}>{draft.nsis ? 'NSIS' : t(`policies.kind.${policy.kind}`)}</Badge>
      </Group>
      {!canEdit && <Alert color="gray" data-testid="policy-read-only">{readOnlyText ?? t('policies.readOnly')}</Alert>}
      <Alert color={draft.nsis ? 'blue' : 'gray'} variant="light">{draft.nsis ? t('policies.nsisRule') : t('policies.notNsis')}</Alert>
      {floor && <FloorWarningAlert w={floor} />}
      {outsideButIssuing && <Alert color="orange" data-testid="nsis-outside-issuing">{t('policies.outsideButIssuing', { detail: ids.data?.message ?? '' })}</Alert>}
      <SimpleGrid cols={{ base: 1, md: 2 }} key={gen}>
        {policyGroups.map((g) => (
          <Card withBorder key={g.id} component="fieldset" style={{ minWidth: 0 }}>
            <Stack gap="sm">
              <Title order={2} size="h5" component="legend">{t(`policies.groups.${g.id}`)}</Title>
              {g.fields.map((f) => <FieldInput key={f} f={f} draft={draft} set={set} error={errors[f]} disabled={!canEdit} municipality={municipality} isAdmin={isAdmin} nsisLock={nsisLock} />)}
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      {saved !== null && <Alert color="green" role="status">{t('policies.saved', { version: saved })}</Alert>}
      {canEdit && (
        <Group>
          {hasErrors && <Text c="red.8" role="alert" data-testid="cannot-save">{t('policies.cannotSave')}</Text>}
          <Button onClick={() => setReviewing(true)} disabled={hasErrors || !dirty} data-testid="review">{t('policies.review')}</Button>
          <Button variant="default" disabled={!dirty} onClick={() => load(policy)}>{t('policies.reset')}</Button>
        </Group>
      )}
      {adMirror && (
        <Alert color={adMirror.state === 'mirrored' ? 'green' : adMirror.state === 'failed' ? 'red' : 'yellow'} data-testid="ad-mirror">
          {mirrorText(adMirror, texts)}
        </Alert>
      )}
      <AdPanel key={policy.version} domain={policy.domain} canEdit={canEdit} />
      <Tester domain={policy.domain} draft={draft} />
      {reviewing && (
        <ReviewModal policy={policy} basedOn={basedOn} draft={draft} onClose={() => setReviewing(false)}
          onSaved={(p, ad) => {
            setReviewing(false);
            load(p);
            setSaved(p.version);
            setAdMirror(ad);
          }}
          onConflict={(c) => {
            setReviewing(false);
            setConflict(c);
          }} />
      )}
      {conflict && (
        <ConflictModal c={conflict} base={policy}
          onTheirs={() => {
            load(conflict.theirs);
            setConflict(null);
            // Someone else's save landed: refresh what a save changes.
            inBackground(refreshAfter('policy.update'));
          }}
          onMine={() => {
            // My edits on top of their version; the review then shows exactly what I add to theirs.
            setDraft(mergeMine(policy.settings, conflict.theirs.settings, draft));
            setPolicy(conflict.theirs);
            setBasedOn(conflict.theirs.version);
            setGen((g) => g + 1);
            setConflict(null);
            setReviewing(true);
          }} />
      )}
    </Stack>
  );
}

export function PolicyTab() {
  const { t } = useTranslation();
  const operator = useOperator();
  const may = useCan();
  const list = useOp('policy.list', {}, { refetchOnWindowFocus: false });
  // Counted in main from what the people list holds (no MitID Erhverv call); asked again only while the
  // list has not read MitID Erhverv and the IdP yet.
  const floor = useOp('policy.floorWarnings', {}, { refetchInterval: (q) => (q.state.data && !q.state.data.identitiesKnown ? 10_000 : false) });
  const [domain, setDomain] = useState<string | null>(null);
  const policies = list.data?.policies ?? [];
  // Another AD domain's policies are shown, not changed (main decides whose a policy is); the operator's own come first.
  const otherDomain = list.data?.otherDomain ?? {};
  const selected = policies.find((p) => p.domain === domain) ?? policies.find((p) => !otherDomain[p.domain]) ?? policies[0];
  if (list.error) return <Alert color="red">{errorText(list.error)}</Alert>;
  if (!list.data) return <Text>{t('policies.loading')}</Text>;
  if (!selected) return <Text>{t('policies.noPolicies')}</Text>;
  const warnings = floor.data?.warnings ?? [];
  const warned = new Set(warnings.map((w) => w.domain));
  const others = warnings.filter((w) => w.domain !== selected.domain);
  return (
    <Stack>
      {others.length > 0 && (
        <Stack gap="xs" data-testid="floor-warnings">
          <Text fw={600} size="sm">{t('policies.floor.listTitle')}</Text>
          {others.map((w) => <FloorWarningAlert key={w.domain} w={w} onShow={() => setDomain(w.domain)} />)}
        </Stack>
      )}
      {floor.data && !floor.data.identitiesKnown && <Alert color="gray" variant="light">{t('policies.floor.notKnownYet')}</Alert>}
      <Select label={t('policies.domain')} value={selected.domain} onChange={(v) => v && setDomain(v)} allowDeselect={false} maw={480} data-testid="policy-domain"
        data={policies.map((p) => ({ value: p.domain, label: `${warned.has(p.domain) ? '⚠ ' : ''}${p.displayName} – ${t(`policies.kind.${p.kind}`)}` }))} />
      <Editor key={selected.domain} initial={selected} canEdit={may('policy.update') && !otherDomain[selected.domain]} isAdmin={mayChange(operator, 'policy.nsisFlag')} floor={warnings.find((w) => w.domain === selected.domain)}
        readOnlyText={otherDomain[selected.domain] ? t('policies.otherDomain', { domain: otherDomain[selected.domain], own: operator?.domain?.name ?? '' }) : undefined} />
      {may('policy.updateConfig') && <ConfigCard />}
    </Stack>
  );
}
