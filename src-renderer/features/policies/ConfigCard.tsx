import { useState } from 'react';
import { Alert, Button, Card, Group, NumberInput, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PoliciesConfig } from '../../../shared/operations/policies.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';

const toText = (m: PoliciesConfig['domainOus']) => Object.entries(m).flatMap(([d, ous]) => ous.map((ou) => `${d} = ${ou}`)).join('\n');

function fromText(text: string): PoliciesConfig['domainOus'] {
  const out: PoliciesConfig['domainOus'] = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const d = line.slice(0, i).trim().toLowerCase();
    const ou = line.slice(i + 1).trim();
    if (d && ou) (out[d] ??= []).push(ou);
  }
  return out;
}

function ConfigForm({ initial }: { initial: PoliciesConfig }) {
  const { t } = useTranslation();
  const [endpoint, setEndpoint] = useState(initial.leakedPasswordEndpoint);
  const [timeout, setTimeoutMs] = useState<number>(initial.leakedPasswordTimeoutMs);
  const [ous, setOus] = useState(toText(initial.domainOus));
  const [reason, setReason] = useState('');
  const save = useOpMutation('policy.updateConfig');
  const f = fieldErrors(save.error);
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h5">{t('policies.config')}</Title>
        <TextInput label={t('policies.leakedEndpoint')} description={t('policies.leakedEndpointHelp')} value={endpoint} onChange={(e) => setEndpoint(e.currentTarget.value)} error={f['config.leakedPasswordEndpoint']} />
        <NumberInput label={t('policies.leakedTimeout')} value={timeout} min={500} max={30_000} onChange={(v) => setTimeoutMs(Number(v))} error={f['config.leakedPasswordTimeoutMs']} maw={200} />
        <Textarea label={t('policies.domainOus')} description={t('policies.domainOusHelp')} value={ous} autosize minRows={2} onChange={(e) => setOus(e.currentTarget.value)} error={Object.entries(f).find(([k]) => k.startsWith('config.domainOus'))?.[1]} />
        <Textarea label={t('policies.reason')} value={reason} autosize onChange={(e) => setReason(e.currentTarget.value)} error={f.reason} />
        {save.error && Object.keys(f).length === 0 && <Alert color="red">{errorText(save.error)}</Alert>}
        {save.isSuccess && <Alert color="green" role="status">{t('policies.configSaved')}</Alert>}
        <Group>
          <Button variant="light" loading={save.isPending}
            onClick={() => save.mutate({ config: { leakedPasswordEndpoint: endpoint, leakedPasswordTimeoutMs: timeout, domainOus: fromText(ous) }, reason }, { onSuccess: () => setReason('') })}>
            {t('policies.saveConfig')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function ConfigCard() {
  const cfg = useOp('policy.getConfig', {});
  if (!cfg.data) return null;
  return <ConfigForm initial={cfg.data.config} />;
}
