// The MitID Erhverv part of the settings that concerns creates: the environment (test/production base
// URLs as choices), the organisation-level create fields and the confirmation window for unknown outcomes.
import { Checkbox, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { mitIdEnvironments, type Settings } from '../../../shared/domain/settings.ts';
import './mitid-i18n.ts';

type MitId = NonNullable<Settings['mitid']>;

export function MitIdEnvironmentField({ value, disabled, error, lockReason, onChange }: { value: string; disabled: boolean; error: string | undefined; lockReason?: string | undefined; onChange(baseUrl: string): void }) {
  const { t } = useTranslation();
  const known = mitIdEnvironments.find((e) => e.baseUrl === value.replace(/\/+$/, ''));
  const choice = known?.id ?? 'custom';
  return (
    <Stack gap="xs">
      <Select
        label={t('settings.mitidCreate.environment')}
        description={lockReason ?? t('settings.mitidCreate.environmentHelp')}
        disabled={disabled}
        data-locked={lockReason ? 'true' : undefined}
        allowDeselect={false}
        data-testid="mitid-environment"
        data={[...mitIdEnvironments.map((e) => ({ value: e.id, label: `${e.label} – ${e.baseUrl}` })), { value: 'custom', label: t('settings.mitidCreate.custom') }]}
        value={choice}
        onChange={(id) => {
          const env = mitIdEnvironments.find((e) => e.id === id);
          onChange(env ? env.baseUrl : known ? '' : value);
        }}
      />
      {choice === 'custom' && (
        <TextInput label={t('settings.mitidCreate.baseUrl')} disabled={disabled} description={lockReason} value={value} error={error} placeholder="https://…"
          onChange={(e) => onChange(e.currentTarget.value)} />
      )}
    </Stack>
  );
}

export function MitIdCreateFields({ value, disabled, error, onChange }: { value: MitId; disabled: boolean; error: (prefix: string) => string | undefined; onChange(m: MitId): void }) {
  const { t } = useTranslation();
  const c = value.createConfirmation;
  return (
    <Stack gap="xs" data-testid="mitid-create-settings">
      <Text fw={600} size="sm">{t('settings.mitidCreate.heading')}</Text>
      <TextInput label={t('settings.mitidCreate.invoiceMethodUuid')} description={t('settings.mitidCreate.invoiceMethodUuidHelp')} disabled={disabled}
        value={value.invoiceMethodUuid} error={error('settings.mitid.invoiceMethodUuid')}
        onChange={(e) => onChange({ ...value, invoiceMethodUuid: e.currentTarget.value.trim() })} />
      <Select label={t('settings.mitidCreate.ial')} disabled={disabled} allowDeselect={false} data={['Substantial', 'High', 'Low']} value={value.ial}
        onChange={(v) => onChange({ ...value, ial: (v ?? 'Substantial') as MitId['ial'] })} />
      <Checkbox label={t('settings.mitidCreate.orderPrivateMitId')} disabled={disabled} checked={value.orderPrivateMitIdOnCreate}
        onChange={(e) => onChange({ ...value, orderPrivateMitIdOnCreate: e.currentTarget.checked })} />
      <Checkbox label={t('settings.mitidCreate.allowQualified')} disabled={disabled} checked={value.allowQualifiedOnCreate}
        onChange={(e) => onChange({ ...value, allowQualifiedOnCreate: e.currentTarget.checked })} />
      <Text fw={600} size="sm">{t('settings.mitidCreate.confirmHeading')}</Text>
      <Text size="xs" c="dimmed">{t('settings.mitidCreate.confirmHelp')}</Text>
      <Group grow>
        <NumberInput label={t('settings.mitidCreate.absentSearches')} disabled={disabled} min={1} max={20} value={c.absentSearches}
          onChange={(v) => onChange({ ...value, createConfirmation: { ...c, absentSearches: typeof v === 'number' ? v : 3 } })} />
        <NumberInput label={t('settings.mitidCreate.windowSeconds')} disabled={disabled} min={1} max={86_400} value={c.windowSeconds}
          onChange={(v) => onChange({ ...value, createConfirmation: { ...c, windowSeconds: typeof v === 'number' ? v : 300 } })} />
      </Group>
    </Stack>
  );
}
