import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Group, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { systems, type Settings, type SystemName } from '../../../shared/domain/settings.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { invoke, OpError } from '../../app/transport.ts';
import { useOperator } from '../session/useOperator.ts';

function TestButton({ system }: { system: SystemName }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; result?: { ok: boolean; message: string } }>({ busy: false });
  return (
    <Group>
      <Button
        variant="light"
        loading={state.busy}
        onClick={async () => {
          setState({ busy: true });
          try {
            setState({ busy: false, result: await invoke('settings.testConnection', { system }) });
          } catch (e) {
            setState({ busy: false, result: { ok: false, message: e instanceof OpError ? e.message : String(e) } });
          }
        }}
        data-testid={`test-${system}`}
      >
        {t('settings.test')}
      </Button>
      {state.result && (
        <Text size="sm" c={state.result.ok ? 'green' : 'red'} role="status">
          {state.result.ok ? t('settings.testOk') : t('settings.testFailed')}: {state.result.message}
        </Text>
      )}
    </Group>
  );
}

export function SettingsPage() {
  const view = useOp('settings.get', {});
  if (view.error) return <Alert color="red">{view.error.message}</Alert>;
  if (!view.data) return null;
  return <SettingsForm initial={view.data.settings} secretsPersisted={view.data.secretsPersisted} />;
}

function SettingsForm({ initial, secretsPersisted }: { initial: Settings; secretsPersisted: boolean }) {
  const { t } = useTranslation();
  const operator = useOperator();
  const isAdmin = operator?.roles.includes('administrator') ?? false;
  const save = useOpMutation('settings.update', ['settings.get', 'system.status', 'app.info']);
  const [draft, setDraft] = useState<Settings>(initial);
  const ad = draft.ad ?? { urls: [''], startTls: true, caFile: '', baseDn: '', upnSuffix: '', timeoutMs: 10_000, allowUnencryptedBindLabOnly: false };
  const fields = save.error?.fields ?? {};

  return (
    <Stack maw={760}>
      <Title order={1} size="h2">
        {t('settings.title')}
      </Title>
      {!isAdmin && <Alert color="gray">{t('settings.readOnly')}</Alert>}
      {!secretsPersisted && <Alert color="yellow">{t('settings.secretsNotPersisted')}</Alert>}
      <Card withBorder>
        <Stack>
          <Text fw={600}>{t('settings.mode')}</Text>
          <SegmentedControl
            disabled={!isAdmin}
            value={draft.mode}
            onChange={(v) => setDraft({ ...draft, mode: v === 'live' ? 'live' : 'training' })}
            data={[
              { value: 'training', label: t('settings.modeTraining') },
              { value: 'live', label: t('settings.modeLive') },
            ]}
          />
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={2} size="h4">
            {t('systems.ad')}
          </Title>
          <Textarea
            label={t('settings.adUrls')}
            disabled={!isAdmin}
            value={ad.urls.join('\n')}
            onChange={(e) => setDraft({ ...draft, ad: { ...ad, urls: e.currentTarget.value.split('\n') } })}
            error={Object.entries(fields).find(([k]) => k.startsWith('settings.ad.urls'))?.[1]}
            autosize
          />
          <TextInput label={t('settings.baseDn')} disabled={!isAdmin} value={ad.baseDn} error={fields['settings.ad.baseDn']}
            onChange={(e) => setDraft({ ...draft, ad: { ...ad, baseDn: e.currentTarget.value } })} />
          <TextInput label={t('settings.caFile')} disabled={!isAdmin} value={ad.caFile}
            onChange={(e) => setDraft({ ...draft, ad: { ...ad, caFile: e.currentTarget.value } })} />
          <Checkbox label={t('settings.startTls')} disabled={!isAdmin} checked={ad.startTls}
            onChange={(e) => setDraft({ ...draft, ad: { ...ad, startTls: e.currentTarget.checked } })} />
        </Stack>
      </Card>
      {isAdmin && (
        <Group>
          <Button onClick={() => save.mutate({ settings: draft })} loading={save.isPending}>
            {t('settings.save')}
          </Button>
          {save.isSuccess && <Text c="green">{t('settings.saved')}</Text>}
          {save.error && <Text c="red">{save.error.message}</Text>}
        </Group>
      )}
      {isAdmin && (
        <Card withBorder>
          <Stack>
            {systems.map((s) => (
              <Group key={s} justify="space-between">
                <Text fw={600}>{t(`systems.${s}`)}</Text>
                <TestButton system={s} />
              </Group>
            ))}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
