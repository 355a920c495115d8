import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Group, PasswordInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LockedField } from '../../../shared/domain/machine-policy.ts';
import type { SecretKey, Settings, SystemName } from '../../../shared/domain/settings.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { TestResult, type TestOutcome } from './TestResult.tsx';
import { useCan, useOperator } from '../session/useOperator.ts';
import { settingsConfinedTo } from '../../../shared/roles.ts';
import './i18n.ts';
import { DomainsSection } from './DomainsSection.tsx';
import { MitIdCreateFields, MitIdEnvironmentField } from './MitIdFields.tsx';
import { inBackground } from '../../app/background.ts';

function TestButton({ system }: { system: SystemName }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; outcome?: TestOutcome }>({ busy: false });
  const test = useOpMutation('settings.testConnection');
  const runTest = async () => {
    setState({ busy: true });
    try {
      setState({ busy: false, outcome: { test: await test.mutateAsync({ system }) } });
    } catch (e) {
      setState({ busy: false, outcome: { error: e } });
    }
  };
  return (
    <Group>
      <Button
        variant="light"
        loading={state.busy}
        onClick={() => inBackground(runTest())}
        data-testid={`test-${system}`}
      >
        {system === 'ad' ? t('settings.domains.testInUse') : t('settings.test')}
      </Button>
      {state.outcome && <TestResult outcome={state.outcome} />}
    </Group>
  );
}

export function SettingsPage() {
  const view = useOp('settings.get', {});
  if (view.error) return <Alert color="red">{errorText(view.error)}</Alert>;
  if (!view.data) return null;
  return <SettingsForm initial={view.data.settings} secrets={view.data.secrets} rebind={view.data.rebind} secretsPersisted={view.data.secretsPersisted} locked={view.data.locked} />;
}

const emptyMitId: NonNullable<Settings['mitid']> = {
  baseUrl: '', p12File: '', caFile: '', timeoutMs: 180_000, invoiceMethodUuid: '', ial: 'Substantial',
  orderPrivateMitIdOnCreate: false, allowQualifiedOnCreate: false, createConfirmation: { absentSearches: 3, windowSeconds: 300 },
};
const emptyIdp = { baseUrl: '', auth: 'api-key' as const, caFile: '', timeoutMs: 30_000 };

function SecretField({ name, label, stored, rebind, unsaved, disabled }: {
  name: SecretKey; label: string; stored: boolean;
  /** Stored for another address: main will not use it until it is entered again. */
  rebind: boolean;
  /** The address on screen is not the saved one: the secret would be bound to the saved address. */
  unsaved: boolean;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const save = useOpMutation('settings.setSecret');
  return (
    <Group align="flex-end">
      <PasswordInput
        label={label}
        description={unsaved ? t('settings.secretSaveAddressFirst') : rebind ? t('settings.secretRebind') : stored ? t('settings.secretStored') : t('settings.secretMissing')}
        value={value}
        disabled={disabled}
        onChange={(e) => setValue(e.currentTarget.value)}
        error={(save.error ? errorText(save.error) : undefined) ?? (rebind && !unsaved ? true : undefined)}
        autoComplete="off"
        style={{ flex: 1 }}
      />
      <Button variant="default" disabled={disabled || !value || unsaved} loading={save.isPending}
        onClick={() => save.mutate({ key: name, value }, { onSuccess: () => setValue('') })}>
        {t('settings.saveSecret')}
      </Button>
    </Group>
  );
}

function Section({ title, system, isAdmin, children }: { title: string; system?: SystemName; isAdmin: boolean; children: React.ReactNode }) {
  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4">
            {title}
          </Title>
          {system && isAdmin && <TestButton system={system} />}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

/**
 * Fields IT's machine policy locks: disabled, with the reason as the field's description (linked to it by
 * aria-describedby, so a screen reader reads why). Main refuses a change to them whatever the page does.
 */
function useLocks(locked: LockedField[]) {
  const { t } = useTranslation();
  const find = (field: string) => locked.find((l) => l.field === field);
  return {
    any: locked.length > 0,
    is: (field: string) => find(field) !== undefined,
    reason: (field: string) => {
      const l = find(field);
      return l ? t('settings.lockedReason', { reason: l.reason, key: l.key }) : undefined;
    },
  };
}

function SettingsForm({ initial, secrets, rebind, secretsPersisted, locked }: { initial: Settings; secrets: Record<SecretKey, boolean>; rebind: SecretKey[]; secretsPersisted: boolean; locked: LockedField[] }) {
  const { t } = useTranslation();
  const isAdmin = useCan()('settings.update');
  const save = useOpMutation('settings.update');
  const [draft, setDraft] = useState<Settings>(initial);
  const mitid = draft.mitid ?? emptyMitId;
  const idp = draft.idp ?? emptyIdp;
  const fields = fieldErrors(save.error);
  const fieldError = (prefix: string) => Object.entries(fields).find(([k]) => k.startsWith(prefix))?.[1];
  const off = !isAdmin;
  const locks = useLocks(locked);
  // An administrator of another domain than the municipality's changes that domain's entry only: main
  // refuses the rest, and here it is disabled, from the same reading.
  const operator = useOperator();
  const confined = settingsConfinedTo(operator);
  const ownDomain = confined?.name ?? null;
  const offShared = off || confined !== null;
  /** Disabled for a reader (or, `shared`, one confined to a domain), and for everyone when IT locks the field; the lock's reason describes it. */
  const lockableIf = (base: boolean) => (field: string, description?: string) => ({
    disabled: base || locks.is(field),
    description: locks.reason(field) ?? description,
    'data-locked': locks.is(field) ? 'true' : undefined,
  });
  const lockable = lockableIf(off);
  const shared = lockableIf(offShared);

  return (
    <Stack maw={860}>
      <Title order={1} size="h2">
        {t('settings.title')}
      </Title>
      {!isAdmin && <Alert color="gray">{t('settings.readOnly')}</Alert>}
      {!secretsPersisted && <Alert color="yellow">{t('settings.secretsNotPersisted')}</Alert>}
      {locks.any && <Alert color="blue" data-testid="managed-note">{t('settings.managedNote')}</Alert>}
      {isAdmin && ownDomain && <Alert color="blue" data-testid="own-domain-note">{t('settings.ownDomainOnly', { domain: ownDomain })}</Alert>}
      <Section title={t('settings.mode')} isAdmin={isAdmin}>
        <SegmentedControl
          disabled={offShared || locks.is('mode')}
          aria-label={t('settings.mode')}
          aria-describedby={locks.is('mode') ? 'locked-mode' : undefined}
          value={draft.mode}
          onChange={(v) => setDraft({ ...draft, mode: v === 'live' ? 'live' : 'training' })}
          data={[
            { value: 'training', label: t('settings.modeTraining') },
            { value: 'live', label: t('settings.modeLive') },
          ]}
        />
        {locks.is('mode') && <Text size="sm" c="dimmed" id="locked-mode" data-testid="locked-mode">{locks.reason('mode')}</Text>}
      </Section>
      <Section title={t('settings.domains.title')} system="ad" isAdmin={isAdmin}>
        <DomainsSection domains={draft.domains} saved={initial.domains} off={off} onlyDomain={confined?.id} canTest={isAdmin} lockable={lockable} isLocked={locks.is} fieldError={fieldError}
          roleMapping={draft.roleMapping} onRoleMappingChange={(roleMapping) => setDraft({ ...draft, roleMapping })}
          onChange={(domains) => setDraft({ ...draft, domains })} />
      </Section>
      <Section title={t('systems.mitid')} system="mitid" isAdmin={isAdmin}>
        <MitIdEnvironmentField value={mitid.baseUrl} disabled={offShared || locks.is('mitid.baseUrl')} lockReason={locks.reason('mitid.baseUrl')} error={fieldError('settings.mitid.baseUrl')}
          onChange={(baseUrl) => setDraft({ ...draft, mitid: { ...mitid, baseUrl } })} />
        <TextInput label={t('settings.p12File')} {...shared('mitid.p12File')} value={mitid.p12File}
          onChange={(e) => setDraft({ ...draft, mitid: { ...mitid, p12File: e.currentTarget.value } })} />
        <TextInput label={t('settings.caFile')} {...shared('mitid.caFile')} value={mitid.caFile}
          onChange={(e) => setDraft({ ...draft, mitid: { ...mitid, caFile: e.currentTarget.value } })} />
        <SecretField name="mitid.p12Passphrase" label={t('settings.p12Passphrase')} stored={secrets['mitid.p12Passphrase']} rebind={rebind.includes('mitid.p12Passphrase')}
          unsaved={!initial.mitid || mitid.baseUrl !== initial.mitid.baseUrl || mitid.p12File !== initial.mitid.p12File || mitid.caFile !== initial.mitid.caFile} disabled={offShared} />
        <MitIdCreateFields value={mitid} disabled={offShared} error={fieldError} onChange={(m) => setDraft({ ...draft, mitid: m })} />
      </Section>
      <Section title={t('systems.idp')} system="idp" isAdmin={isAdmin}>
        <TextInput label={t('settings.baseUrl')} {...shared('idp.baseUrl', t('settings.httpsOnly'))} value={idp.baseUrl} error={fieldError('settings.idp.baseUrl')} placeholder="https://"
          onChange={(e) => setDraft({ ...draft, idp: { ...idp, baseUrl: e.currentTarget.value } })} />
        <TextInput label={t('settings.caFile')} {...shared('idp.caFile')} value={idp.caFile}
          onChange={(e) => setDraft({ ...draft, idp: { ...idp, caFile: e.currentTarget.value } })} />
        <SecretField name="idp.apiKey" label={t('settings.apiKey')} stored={secrets['idp.apiKey']} rebind={rebind.includes('idp.apiKey')}
          unsaved={!initial.idp || idp.baseUrl !== initial.idp.baseUrl || idp.caFile !== initial.idp.caFile} disabled={offShared} />
      </Section>
      <Section title={t('settings.local')} isAdmin={isAdmin}>
        <TextInput label={t('settings.evidenceFolder')} {...shared('evidenceFolder', t('settings.evidenceFolderHelp'))} value={draft.evidenceFolder}
          error={fieldError('settings.evidenceFolder')}
          onChange={(e) => setDraft({ ...draft, evidenceFolder: e.currentTarget.value })} />
        <Checkbox label={t('settings.autoUpdate')} {...shared('autoUpdate')} checked={draft.autoUpdate}
          onChange={(e) => setDraft({ ...draft, autoUpdate: e.currentTarget.checked })} />
      </Section>
      {isAdmin && (
        <Group>
          <Button onClick={() => save.mutate({ settings: draft })} loading={save.isPending}>
            {t('settings.save')}
          </Button>
          {save.isSuccess && <Text c="green">{t('settings.saved')}</Text>}
          {save.error && <Text c="red" role="alert">{Object.keys(fields).length ? t('settings.fixFields') : errorText(save.error)}</Text>}
        </Group>
      )}
    </Stack>
  );
}
