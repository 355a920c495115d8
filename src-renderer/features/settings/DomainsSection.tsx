import { Fragment, useRef, useState } from 'react';
import { Badge, Button, Checkbox, Group, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { domainIdFor, type AdDomain, type RoleMapping } from '../../../shared/domain/settings.ts';
import { inBackground } from '../../app/background.ts';
import { useOpMutation } from '../../app/ops.ts';
import { emptyRoleMapping, RoleMappingFields } from './RoleMappingFields.tsx';
import { TestResult, type TestOutcome } from './TestResult.tsx';

const emptyDomain = (id: string): AdDomain => ({
  id, name: '', urls: [''], startTls: true, caFile: '', baseDn: '', upnSuffix: '', timeoutMs: 10_000, allowUnencryptedBindLabOnly: false,
  linkRule: { kind: 'samaccountname-suffix', suffix: '', lowercase: false }, signingGroupDn: '', idpDomain: '',
});

/** The same domain whatever the order of its keys (the draft's and main's differ). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}

export interface DomainsSectionProps {
  domains: AdDomain[];
  /** The domains as saved: a domain's id may follow its name only until it is saved. */
  saved: AdDomain[];
  onChange(domains: AdDomain[]): void;
  /** Disabled for a reader. */
  off: boolean;
  /** An administrator of another domain than the municipality's changes this domain's entry only (its id). */
  onlyDomain?: string | undefined;
  lockable(field: string, description?: string): { disabled: boolean; description: string | undefined; 'data-locked': string | undefined };
  isLocked(field: string): boolean;
  fieldError(prefix: string): string | undefined;
  /** Offer "Test forbindelse" per domain (administrators). */
  canTest: boolean;
  /** The settings' shared role mapping: the first domain's while it has none of its own. */
  roleMapping: RoleMapping;
  onRoleMappingChange(roleMapping: RoleMapping): void;
}

/**
 * The AD domains: a table with one row per domain (the first is the municipality's own) and the fields of
 * the one being edited below it. Add, edit and remove change the draft; Gem saves it with the rest.
 */
export function DomainsSection({ domains, saved, onChange, off, onlyDomain, lockable, isLocked, fieldError, canTest, roleMapping, onRoleMappingChange }: DomainsSectionProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(domains[0]?.id ?? null);
  const nameRef = useRef<HTMLInputElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const index = domains.findIndex((d) => d.id === open);
  const d = index >= 0 ? domains[index]! : null;
  const savedIds = saved.map((s) => s.id);
  // Adding or removing a domain changes the console's settings, not one domain's: not for a confined administrator.
  const structural = !off && !onlyDomain;
  const firstLocked = ['urls', 'baseDn', 'upnSuffix', 'startTls', 'caFile'].some((f) => isLocked(`domains.0.${f}`));

  const update = (i: number, patch: Partial<AdDomain>) => {
    const next = domains.map((x, j) => (j === i ? { ...x, ...patch } : x));
    const cur = next[i]!;
    // A domain not saved yet takes its id from its name; once saved the id never changes.
    if (patch.name !== undefined && !savedIds.includes(domains[i]!.id)) {
      const id = domainIdFor(cur.name, next.filter((_, j) => j !== i).map((x) => x.id).concat(savedIds));
      next[i] = { ...cur, id };
      if (open === domains[i]!.id) setOpen(id);
    }
    onChange(next);
  };
  const add = () => {
    const id = domainIdFor('', domains.map((x) => x.id).concat(savedIds));
    onChange([...domains, emptyDomain(id)]);
    setOpen(id);
    setTimeout(() => nameRef.current?.focus(), 0);
  };
  const remove = (i: number) => {
    const gone = domains[i]!;
    onChange(domains.filter((_, j) => j !== i));
    if (open === gone.id) setOpen(null);
    addRef.current?.focus();
  };
  const p = (field: string) => `domains.${index}.${field}`;

  // "Test forbindelse" tries the saved domain in main; a domain changed on screen is saved first.
  const test = useOpMutation('settings.testConnection');
  const [results, setResults] = useState<Record<string, { busy: boolean; outcome?: TestOutcome }>>({});
  const runTest = async (x: AdDomain) => {
    const stored = saved.find((s) => s.id === x.id);
    if (!stored || canonical(stored) !== canonical(x)) {
      setResults((r) => ({ ...r, [x.id]: { busy: false, outcome: { saveFirst: true } } }));
      return;
    }
    setResults((r) => ({ ...r, [x.id]: { busy: true } }));
    let outcome: TestOutcome;
    try {
      outcome = { test: await test.mutateAsync({ system: 'ad', domainId: x.id }) };
    } catch (e) {
      outcome = { error: e };
    }
    setResults((r) => ({ ...r, [x.id]: { busy: false, outcome } }));
  };

  return (
    <Stack>
      <Text size="sm" c="dimmed">{t('settings.domains.help')}</Text>
      {domains.length === 0 ? (
        <Text size="sm" data-testid="domains-none">{t('settings.domains.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="xs" data-testid="domains-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('settings.domains.name')}</Table.Th>
                <Table.Th scope="col">{t('settings.upnSuffixShort')}</Table.Th>
                <Table.Th scope="col">{t('settings.baseDn')}</Table.Th>
                <Table.Th scope="col">{t('settings.domains.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {domains.map((x, i) => {
                const label = x.name || t('settings.domains.unnamed');
                const hasError = fieldError(`settings.domains.${i}.`) !== undefined;
                return (
                  <Fragment key={x.id}>
                  <Table.Tr data-testid={`domain-row-${x.id}`}>
                    <Table.Td>
                      <Group gap={4}>
                        <Text size="sm" fw={500}>{label}</Text>
                        {i === 0 && <Badge size="sm" variant="light">{t('settings.domains.primary')}</Badge>}
                        {hasError && <Badge size="sm" color="red" variant="light">{t('settings.domains.hasErrors')}</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td><Text size="sm">{x.upnSuffix || '–'}</Text></Table.Td>
                    <Table.Td><Text size="sm" style={{ wordBreak: 'break-all' }}>{x.baseDn || '–'}</Text></Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant={open === x.id ? 'filled' : 'default'} aria-expanded={open === x.id} aria-controls="domain-editor"
                          aria-label={t('settings.domains.editNamed', { name: label })} data-testid={`domain-edit-${x.id}`}
                          onClick={() => setOpen(open === x.id ? null : x.id)}>
                          {t('settings.domains.edit')}
                        </Button>
                        {canTest && (
                          <Button size="xs" variant="light" loading={results[x.id]?.busy} aria-label={t('settings.domains.testNamed', { name: label })}
                            data-testid={`test-domain-${x.id}`} onClick={() => inBackground(runTest(x))}>
                            {t('settings.test')}
                          </Button>
                        )}
                        {structural && (
                          <Button size="xs" variant="subtle" color="red" disabled={i === 0 && firstLocked}
                            aria-label={t('settings.domains.removeNamed', { name: label })} data-testid={`domain-remove-${x.id}`}
                            onClick={() => remove(i)}>
                            {t('settings.domains.remove')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                  {results[x.id]?.outcome && (
                    <Table.Tr>
                      <Table.Td colSpan={4}>
                        <TestResult outcome={results[x.id]!.outcome!} testId={`test-result-${x.id}`} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {structural && (
        <Group>
          <Button ref={addRef} variant="light" onClick={add} data-testid="domain-add">{t('settings.domains.add')}</Button>
        </Group>
      )}
      {d && (
        <Stack renderRoot={(props) => <fieldset {...props} disabled={!off && !!onlyDomain && d.id !== onlyDomain} />} id="domain-editor" data-testid="domain-editor" gap="sm" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, padding: 'var(--mantine-spacing-md)' }}>
          <Title component="legend" order={3} size="h5" px={4}>{t('settings.domains.editing', { name: d.name || t('settings.domains.unnamed') })}</Title>
          <Group grow align="flex-start">
            <TextInput ref={nameRef} label={t('settings.domains.name')} disabled={off} value={d.name} error={fieldError(`settings.${p('name')}`)}
              onChange={(e) => update(index, { name: e.currentTarget.value })} />
            <TextInput label={t('settings.domains.id')} description={t('settings.domains.idHelp')} readOnly value={d.id} data-testid="domain-id" />
          </Group>
          <Textarea label={t('settings.adUrls')} {...lockable(p('urls'))} value={d.urls.join('\n')} autosize error={fieldError(`settings.${p('urls')}`)}
            onChange={(e) => update(index, { urls: e.currentTarget.value.split('\n') })} />
          <TextInput label={t('settings.baseDn')} {...lockable(p('baseDn'))} value={d.baseDn} error={fieldError(`settings.${p('baseDn')}`)}
            onChange={(e) => update(index, { baseDn: e.currentTarget.value })} />
          <Group grow align="flex-start">
            <TextInput label={t('settings.upnSuffix')} {...lockable(p('upnSuffix'))} value={d.upnSuffix} error={fieldError(`settings.${p('upnSuffix')}`)}
              onChange={(e) => update(index, { upnSuffix: e.currentTarget.value })} />
            <TextInput label={t('settings.domains.idpDomain')} description={t('settings.domains.idpDomainHelp')} disabled={off} value={d.idpDomain}
              error={fieldError(`settings.${p('idpDomain')}`)} onChange={(e) => update(index, { idpDomain: e.currentTarget.value })} />
          </Group>
          <TextInput label={t('settings.caFile')} {...lockable(p('caFile'))} value={d.caFile} error={fieldError(`settings.${p('caFile')}`)}
            onChange={(e) => update(index, { caFile: e.currentTarget.value })} />
          <TextInput label={t('settings.signingGroupDn')} description={t('settings.signingGroupDnHelp')} disabled={off} value={d.signingGroupDn ?? ''}
            error={fieldError(`settings.${p('signingGroupDn')}`)} onChange={(e) => update(index, { signingGroupDn: e.currentTarget.value })} />
          <Checkbox label={t('settings.startTls')} {...lockable(p('startTls'))} checked={d.startTls}
            onChange={(e) => update(index, { startTls: e.currentTarget.checked })} />
          {/* The first domain shows (and edits) the shared mapping until it has its own; IT's Role* locks are
              its fields either way. Any other domain has only its own: empty grants no role. */}
          <RoleMappingFields key={d.id} domainName={d.name || t('settings.domains.unnamed')} primary={index === 0} shared={index === 0 && !d.roleMapping}
            value={d.roleMapping ?? (index === 0 ? roleMapping : emptyRoleMapping)}
            onChange={(rm) => (index === 0 && !d.roleMapping ? onRoleMappingChange(rm) : update(index, { roleMapping: rm }))}
            lockable={lockable}
            path={index === 0 ? 'roleMapping' : p('roleMapping')}
            error={fieldError(index === 0 && !d.roleMapping ? 'settings.roleMapping' : `settings.${p('roleMapping')}`)} />
        </Stack>
      )}
    </Stack>
  );
}
