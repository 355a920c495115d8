import { Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RoleMapping } from '../../../shared/domain/settings.ts';
import { roles } from '../../../shared/roles.ts';

export const emptyRoleMapping: RoleMapping = { administrator: [], useradmin: [], helpdesk: [], auditor: [], helpdeskScopes: [] };
const lines = (v: string) => v.split('\n').map((l) => l.trim()).filter(Boolean);

/** "Gruppe: OU=…;OU=…" per line, as IT's RoleHelpdeskScopes policy lines read. */
function scopesFrom(text: string): RoleMapping['helpdeskScopes'] {
  return lines(text).map((l) => {
    const [group = '', ous = ''] = l.split(/:(.*)/s);
    return { group: group.trim(), ous: ous.split(';').map((o) => o.trim()).filter(Boolean) };
  });
}

export interface RoleMappingFieldsProps {
  /** The domain's name, for the legend: the groups are that domain's. */
  domainName: string;
  /** The first domain: its groups are the console's shared mapping unless it has its own. */
  primary: boolean;
  /** True when the first domain shows the shared mapping (it has none of its own). */
  shared: boolean;
  value: RoleMapping;
  onChange(value: RoleMapping): void;
  /** Props of a field by its settings path (disabled for a reader or when IT locks it, with the reason). */
  lockable(field: string, description?: string): { disabled: boolean; description: string | undefined; 'data-locked': string | undefined };
  /** Where the fields are in the settings, for locks and main's field errors ("roleMapping" or "domains.2.roleMapping"). */
  path: string;
  error: string | undefined;
}

/**
 * One domain's role mapping: the groups that grant each role and the scoped helpdesk groups, in a fieldset
 * named after the domain, since only accounts of that domain are matched against its groups.
 */
export function RoleMappingFields({ domainName, primary, shared, value, onChange, lockable, path, error }: RoleMappingFieldsProps) {
  const { t } = useTranslation();
  return (
    <Stack component="fieldset" gap="sm" data-testid="role-mapping" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, padding: 'var(--mantine-spacing-sm)' }}>
      <Title component="legend" order={4} size="h6" px={4}>{t('settings.roleMap.title', { name: domainName })}</Title>
      <Text size="sm" c="dimmed" data-testid="role-mapping-note">
        {t('settings.rolesHelp')} {primary && shared ? t('settings.roleMap.primaryShared') : primary ? t('settings.roleMap.primaryOwn') : t('settings.roleMap.other')}
      </Text>
      {roles.map((role) => (
        <Textarea key={role} label={t(`roles.${role}`)} {...lockable(`${path}.${role}`)} autosize value={value[role].join('\n')}
          onChange={(e) => onChange({ ...value, [role]: lines(e.currentTarget.value) })} />
      ))}
      <Textarea label={t('settings.helpdeskScopes')} {...lockable(`${path}.helpdeskScopes`, t('settings.helpdeskScopesHelp'))} autosize
        value={value.helpdeskScopes.map((sc) => `${sc.group}: ${sc.ous.join(' ; ')}`).join('\n')}
        error={error}
        onChange={(e) => onChange({ ...value, helpdeskScopes: scopesFrom(e.currentTarget.value) })} />
    </Stack>
  );
}
