import './i18n.ts';
import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Card, Drawer, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { OpName, OpOutput } from '../../../shared/operations/index.ts';
import { auditActionLabel, auditActionLabels } from '../../../shared/domain/audit.ts';
import type { Person } from '../../../shared/domain/person.ts';
import { peopleOps, type IdpPanel, type MitIdPanel } from '../../../shared/operations/people.ts';
import { can } from '../../../shared/access.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { useOperator } from '../session/useOperator.ts';
import { ActionModal, fmtDate, type ActionRequest } from './ActionModal.tsx';
import { ResetPasswordModal } from './ResetPasswordModal.tsx';

/** The journal's label for an action: the shared labels, else the operation's own Danish summary. */
const actionLabel = (action: string) =>
  Object.hasOwn(auditActionLabels, action) ? auditActionLabel(action) : ((peopleOps as Record<string, { summary: string }>)[action]?.summary ?? action);

function Row({ k, v }: { k: string; v: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={200}>
        <Text size="sm" fw={600}>
          {k}
        </Text>
      </Table.Th>
      <Table.Td>{v}</Table.Td>
    </Table.Tr>
  );
}

function Panel({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

export function PersonDrawer({ personId, onClose }: { personId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const operator = useOperator();
  const overview = useOp('people.overview', { personId: personId ?? '' }, { enabled: personId !== null });
  const [request, setRequest] = useState<ActionRequest | null>(null);
  // Outcome and revealed CPR belong to the person they were shown for.
  const [outcomeFor, setOutcomeFor] = useState<{ personId: string | null; message: string } | null>(null);
  const [resetting, setResetting] = useState(false);
  const [cprFor, setCprFor] = useState<{ personId: string | null; cpr: string } | null>(null);
  const outcome = outcomeFor?.personId === personId ? outcomeFor.message : null;
  const setOutcome = (message: string | null) => setOutcomeFor(message === null ? null : { personId, message });
  const cpr = cprFor?.personId === personId ? cprFor.cpr : null;
  const setCpr = (c: string) => setCprFor({ personId, cpr: c });

  const p = overview.data?.person;
  // The same decision main makes on every call, asked for this person.
  const may: May = (op) => !!p && can(operator, op, { dn: p.dn }).allowed;

  const done = (message: string) => {
    setRequest(null);
    setOutcome(message);
  };

  return (
    <Drawer opened={personId !== null} onClose={onClose} position="right" size="xl" title={p?.displayName ?? ''}>
      {overview.isLoading && <Loader size="sm" />}
      {overview.error && <Alert color="red">{overview.error.message}</Alert>}
      {p && overview.data && (
        <Stack>
          {outcome && (
            <Alert color="green" withCloseButton onClose={() => setOutcome(null)} data-testid="person-outcome">
              {outcome}
            </Alert>
          )}
          {!personWrites.some(may) && (
            <Text size="sm" c="dimmed">
              {t('people.noWrite')}
            </Text>
          )}
          <AdPanel p={p} policy={overview.data.adPolicy} may={may} ask={setRequest} onReset={() => setResetting(true)} />
          <MitIdPanelView
            p={p}
            panel={overview.data.mitid}
            may={may}
            ask={setRequest}
            cpr={cpr}
            onCpr={setCpr}
          />
          <IdpPanelView p={p} panel={overview.data.idp} may={may} ask={setRequest} />
          <HistoryPanel personId={p.id} />
        </Stack>
      )}
      <ActionModal request={request} onClose={() => setRequest(null)} onDone={done} />
      {p && <ResetPasswordModal personId={p.id} name={p.displayName} opened={resetting} onClose={() => setResetting(false)} onDone={setOutcome} />}
    </Drawer>
  );
}

type Ask = (r: ActionRequest) => void;
/** May the operator call this operation on the person shown? */
type May = (op: OpName) => boolean;

/** The writes the person page offers; with none of them allowed it says the page is read-only. */
const mitidWrites: OpName[] = ['people.assignLocalAuthenticator', 'people.revokeLocalAuthenticator', 'people.setSigning', 'people.suspendIdentity', 'people.reactivateIdentity'];
const personWrites: OpName[] = ['people.unlockAccount', 'people.resetPassword', ...mitidWrites, 'people.deviceAction', 'people.setIdentityLock'];

type AdPolicy = OpOutput<'people.overview'>['adPolicy'];

/** AD's resultant policy in one line, as a helpdesk agent reads it on the phone. */
function policyLine(t: TFunction, a: NonNullable<AdPolicy>): string {
  if (!a.readable) return `${a.name} (${t('people.policyHidden')})`;
  const parts = [t('people.policyMin', { n: a.minLength ?? '?' })];
  if (a.complexity) parts.push(t('people.policyComplex'));
  if (a.historyLength) parts.push(t('people.policyHistory', { n: a.historyLength }));
  parts.push(a.maxAgeDays ? t('people.policyMaxAge', { n: a.maxAgeDays }) : t('people.policyNoExpiry'));
  if (a.lockoutThreshold) parts.push(t('people.policyLockout', { n: a.lockoutThreshold, m: a.lockoutDurationMinutes ?? '∞' }));
  return `${a.name}: ${parts.join(', ')}`;
}

function AdPanel({ p, policy, may, ask, onReset }: { p: Person; policy: AdPolicy; may: May; ask: Ask; onReset: () => void }) {
  const { t } = useTranslation();
  const unlock = useOpMutation('people.unlockAccount');
  return (
    <Panel title={t('people.panelAd')} testId="panel-ad">
      <Group gap={4} mb="xs">
        {p.enabled ? <Badge color="green" variant="light">{t('people.enabled')}</Badge> : <Badge color="gray">{t('people.disabled')}</Badge>}
        {p.locked && <Badge color="red">{t('people.locked')}</Badge>}
        {p.mustChangePassword && <Badge color="yellow" variant="light">{t('people.mustChange')}</Badge>}
      </Group>
      <Table>
        <Table.Tbody>
          <Row k={t('people.username')} v={p.username} />
          <Row k={t('people.email')} v={p.email ?? '–'} />
          <Row k={t('people.employeeId')} v={p.employeeId ?? '–'} />
          <Row k={t('people.title_')} v={p.title ?? '–'} />
          <Row k={t('people.ou')} v={p.ouPath} />
          <Row k={t('people.passwordLastSet')} v={fmtDate(p.passwordLastSet)} />
          <Row k={t('people.lastLogon')} v={fmtDate(p.lastLogon)} />
          <Row k={t('people.accountExpires')} v={p.accountExpires ? fmtDate(p.accountExpires, false) : t('people.never')} />
          {p.locked && <Row k={t('people.lockoutTime')} v={fmtDate(p.lockoutTime)} />}
          <Row k={t('people.groups')} v={p.groups.join(', ') || '–'} />
          <Row k={t('people.adPolicy')} v={<span data-testid="ad-policy">{policy ? policyLine(t, policy) : '–'}</span>} />
        </Table.Tbody>
      </Table>
      {(may('people.unlockAccount') || may('people.resetPassword')) && (
        <Group mt="sm">
          {p.locked && may('people.unlockAccount') && (
            <Button
              color="orange"
              onClick={() =>
                ask({
                  title: `${t('people.unlock')}: ${p.displayName}`,
                  run: async (reason) => {
                    await unlock.mutateAsync({ personId: p.id, reason });
                    return t('people.unlocked');
                  },
                })
              }
            >
              {t('people.unlock')}
            </Button>
          )}
          {may('people.resetPassword') && (
            <Button variant="light" onClick={onReset}>
              {t('people.resetPassword')}
            </Button>
          )}
        </Group>
      )}
    </Panel>
  );
}

function MitIdPanelView({
  p,
  panel,
  may,
  ask,
  cpr,
  onCpr,
}: {
  p: Person;
  panel: { ok: true; data: MitIdPanel } | { ok: false; code: string; message: string };
  may: May;
  ask: Ask;
  cpr: string | null;
  onCpr: (c: string) => void;
}) {
  const { t } = useTranslation();
  const assign = useOpMutation('people.assignLocalAuthenticator');
  const revoke = useOpMutation('people.revokeLocalAuthenticator');
  const signing = useOpMutation('people.setSigning');
  const suspend = useOpMutation('people.suspendIdentity');
  const reactivate = useOpMutation('people.reactivateIdentity');
  const reveal = useOpMutation('people.revealCpr');
  if (!panel.ok) {
    return (
      <Panel title={t('people.panelMitid')} testId="panel-mitid">
        <Alert color="orange">{t('people.unavailable', { message: panel.message })}</Alert>
      </Panel>
    );
  }
  const m = panel.data;
  const id = m.identity;
  const name = p.displayName;
  const state = m.identityState ?? (id ? 'other' : undefined);
  const stateColor = state === 'active' ? 'green' : state === 'pending' ? 'yellow' : 'orange';
  return (
    <Panel title={t('people.panelMitid')} testId="panel-mitid">
      {m.pendingCreate && (
        <Alert color="yellow" mb="xs" data-testid="mitid-pending" title={t('people.pendingCreateTitle')}>
          <Text size="sm">{m.pendingCreate.message}</Text>
          <Text size="xs" c="dimmed" mt={4}>
            {t('people.pendingCreateProgress', {
              since: new Date(m.pendingCreate.since).toLocaleString('da-DK'),
              checks: m.pendingCreate.absentChecks,
              needed: m.pendingCreate.absentSearches,
              at: new Date(m.pendingCreate.earliestRetryAt).toLocaleString('da-DK'),
            })}
          </Text>
        </Alert>
      )}
      {id && m.link === 'unlinked' && m.unlinkedLocalIds.length > 0 && (
        <Alert color="orange" mb="xs" data-testid="mitid-unlinked" title={t('people.unlinkedTitle')}>
          {t('people.unlinkedText', { ids: m.unlinkedLocalIds.join(', '), expected: m.subjectNameId ?? '–' })}
        </Alert>
      )}
      {!id && !m.pendingCreate && <Text mb="xs">{t('people.noIdentity')}</Text>}
      <Table>
        <Table.Tbody>
          <Row k={t('people.subjectNameId')} v={<Text ff="monospace" size="sm">{m.subjectNameId ?? '–'}</Text>} />
          {id && (
            <>
              <Row
                k={t('people.identityStatus')}
                v={<Badge color={stateColor} variant="light" data-testid="mitid-state">{t(`people.mitidState.${state ?? 'other'}`, { status: id.status })}</Badge>}
              />
              <Row
                k={t('people.cpr')}
                v={
                  <Group gap="xs">
                    <Text ff="monospace" size="sm" data-testid="cpr">
                      {cpr ?? id.cprMasked ?? '–'}
                    </Text>
                    {!cpr && id.cprMasked && may('people.revealCpr') && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() =>
                          ask({
                            title: `${t('people.revealCpr')}: ${name}`,
                            explain: t('people.revealCprHelp'),
                            run: async (reason) => {
                              const r = await reveal.mutateAsync({ personId: p.id, reason });
                              onCpr(r.cpr);
                              return t('people.revealCprHelp');
                            },
                          })
                        }
                      >
                        {t('people.revealCpr')}
                      </Button>
                    )}
                  </Group>
                }
              />
              <Row k={t('people.localCredential')} v={m.localCredential ? <Text ff="monospace" size="sm">{m.localCredential.id}</Text> : t('people.notLinked')} />
              <Row
                k={t('people.signing')}
                v={
                  <Stack gap={2}>
                    <Badge color={m.signingState === 'active' ? 'green' : m.signingState === 'none' ? 'gray' : 'yellow'} variant="light" data-testid="signing-state">
                      {t(`people.signingState.${m.signingState}`)}
                    </Badge>
                    {m.signingState === 'waiting-for-person' && <Text size="xs">{t('people.signingWaitingHelp')}</Text>}
                  </Stack>
                }
              />
            </>
          )}
        </Table.Tbody>
      </Table>
      {mitidWrites.some(may) && (
        <Group mt="sm">
          {!m.localCredential && may('people.assignLocalAuthenticator') && (
            <Button
              onClick={() =>
                ask({
                  title: `${t('people.assign')}: ${name}`,
                  explain: m.pendingCreate
                    ? t('people.assignPendingCheck')
                    : id
                      ? t('people.assignRequest', { id: m.subjectNameId })
                      : t('people.assignCreateFee', { id: m.subjectNameId }),
                  run: async (reason) => (await assign.mutateAsync({ personId: p.id, reason })).message,
                })
              }
            >
              {t('people.assign')}
            </Button>
          )}
          {m.localCredential && may('people.revokeLocalAuthenticator') && (
            <Button
              variant="light"
              color="red"
              onClick={() =>
                ask({
                  title: `${t('people.revoke')}: ${name}`,
                  explain: t('people.revokeHelp'),
                  color: 'red',
                  run: async (reason) => (await revoke.mutateAsync({ personId: p.id, reason })).message,
                })
              }
            >
              {t('people.revoke')}
            </Button>
          )}
          {id && !id.allowSigning && may('people.setSigning') && (
            <Button
              variant="light"
              onClick={() =>
                ask({
                  title: `${t('people.upgrade')}: ${name}`,
                  explain: t('people.upgradeHelp'),
                  run: async (reason) => (await signing.mutateAsync({ personId: p.id, reason, allow: true })).message,
                })
              }
            >
              {t('people.upgrade')}
            </Button>
          )}
          {id?.allowSigning && may('people.setSigning') && (
            <Button
              variant="light"
              color="red"
              onClick={() =>
                ask({
                  title: `${t('people.downgrade')}: ${name}`,
                  color: 'red',
                  run: async (reason) => (await signing.mutateAsync({ personId: p.id, reason, allow: false })).message,
                })
              }
            >
              {t('people.downgrade')}
            </Button>
          )}
          {id && state === 'active' && may('people.suspendIdentity') && (
            <Button
              variant="light"
              color="orange"
              onClick={() =>
                ask({
                  title: `${t('people.suspend')}: ${name}`,
                  color: 'orange',
                  run: async (reason) => (await suspend.mutateAsync({ personId: p.id, reason })).message,
                })
              }
            >
              {t('people.suspend')}
            </Button>
          )}
          {id && state === 'suspended' && may('people.reactivateIdentity') && (
            <Button
              variant="light"
              onClick={() =>
                ask({
                  title: `${t('people.reactivate')}: ${name}`,
                  run: async (reason) => (await reactivate.mutateAsync({ personId: p.id, reason })).message,
                })
              }
            >
              {t('people.reactivate')}
            </Button>
          )}
        </Group>
      )}
    </Panel>
  );
}

function IdpPanelView({ p, panel, may, ask }: { p: Person; panel: { ok: true; data: IdpPanel } | { ok: false; code: string; message: string }; may: May; ask: Ask }) {
  const { t } = useTranslation();
  const device = useOpMutation('people.deviceAction');
  const lock = useOpMutation('people.setIdentityLock');
  if (!panel.ok) {
    // Not found is an answer, not an outage: the person has simply not signed in through the IdP yet.
    return (
      <Panel title={t('people.panelIdp')} testId="panel-idp">
        {panel.code === 'not-found' ? (
          <Alert color="gray" data-testid="idp-unknown">{t('people.idpUnknown')}</Alert>
        ) : (
          <Alert color="orange">{t('people.unavailable', { message: panel.message })}</Alert>
        )}
      </Panel>
    );
  }
  const { person: ip, devices, terms } = panel.data;
  const name = p.displayName;
  const act = (deviceId: string, deviceName: string, action: 'lock' | 'unlock' | 'remove' | 'test-push' | 'release-token', label: string, color?: string) =>
    ask({
      title: `${label}: ${deviceName} (${name})`,
      ...(color ? { color } : {}),
      run: async (reason) => (await device.mutateAsync({ personId: p.id, deviceId, action, reason })).message,
    });
  return (
    <Panel title={t('people.panelIdp')} testId="panel-idp">
      <Table>
        <Table.Tbody>
          <Row
            k={t('people.nsisStatus')}
            v={
              <Group gap={4}>
                <span>{t(`people.nsis.${ip.nsisStatus}`, { defaultValue: ip.nsisStatus })}</span>
                {ip.locked && (
                  <Badge color="red" variant="outline">
                    {t('people.identityLockedBy', { by: ip.locked.by, reason: ip.locked.reason })}
                  </Badge>
                )}
              </Group>
            }
          />
          <Row
            k={t('people.termsAccepted')}
            v={
              <Group gap={4}>
                <span>{ip.acceptedTermsVersion === null ? '–' : t('people.termsVersion', { v: ip.acceptedTermsVersion })}</span>
                {terms[0] && <Text size="xs" c="dimmed">({fmtDate(terms[0].acceptedAt)})</Text>}
                {ip.mustAcceptTerms && <Badge color="yellow" variant="light">{t('people.termsMissing')}</Badge>}
              </Group>
            }
          />
        </Table.Tbody>
      </Table>
      <Text fw={600} size="sm" mt="sm">
        {t('people.devices')}
      </Text>
      {devices.length === 0 ? (
        <Text size="sm">{t('people.noDevices')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('people.device')}</Table.Th>
              <Table.Th>{t('people.deviceType')}</Table.Th>
              <Table.Th>{t('people.lastUsed')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {devices.map((d) => (
              <Table.Tr key={d.id} data-testid="device-row">
                <Table.Td>
                  {d.name} {d.serialNumber && <Text span size="xs" c="dimmed">({d.serialNumber})</Text>}{' '}
                  {d.locked && <Badge color="red" size="xs">{t('people.deviceLocked')}</Badge>}
                </Table.Td>
                <Table.Td>{d.type}</Table.Td>
                <Table.Td>{fmtDate(d.lastUsed)}</Table.Td>
                <Table.Td>
                  {may('people.deviceAction') && (
                    <Group gap={4} wrap="wrap">
                      {d.locked ? (
                        <Button size="compact-xs" variant="light" onClick={() => act(d.id, d.name, 'unlock', t('people.unlockDevice'))}>
                          {t('people.unlockDevice')}
                        </Button>
                      ) : (
                        <Button size="compact-xs" variant="light" color="orange" onClick={() => act(d.id, d.name, 'lock', t('people.lockDevice'), 'orange')}>
                          {t('people.lockDevice')}
                        </Button>
                      )}
                      {d.type === 'app' && !d.locked && (
                        <Button size="compact-xs" variant="light" onClick={() => act(d.id, d.name, 'test-push', t('people.testPush'))}>
                          {t('people.testPush')}
                        </Button>
                      )}
                      {d.serialNumber ? (
                        <Button size="compact-xs" variant="light" color="red" onClick={() => act(d.id, d.name, 'release-token', t('people.releaseToken'), 'red')}>
                          {t('people.releaseToken')}
                        </Button>
                      ) : (
                        <Button size="compact-xs" variant="light" color="red" onClick={() => act(d.id, d.name, 'remove', t('people.removeDevice'), 'red')}>
                          {t('people.removeDevice')}
                        </Button>
                      )}
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {may('people.setIdentityLock') && (
        <Group mt="sm">
          {ip.locked ? (
            <Button
              variant="light"
              onClick={() =>
                ask({
                  title: `${t('people.identityUnlock')}: ${name}`,
                  run: async (reason) => (await lock.mutateAsync({ personId: p.id, locked: false, reason })).message,
                })
              }
            >
              {t('people.identityUnlock')}
            </Button>
          ) : (
            <Button
              variant="light"
              color="red"
              onClick={() =>
                ask({
                  title: `${t('people.identityLock')}: ${name}`,
                  color: 'red',
                  run: async (reason) => (await lock.mutateAsync({ personId: p.id, locked: true, reason })).message,
                })
              }
            >
              {t('people.identityLock')}
            </Button>
          )}
        </Group>
      )}
    </Panel>
  );
}

function HistoryPanel({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const h = useOp('people.history', { personId });
  return (
    <Panel title={t('people.panelHistory')} testId="panel-history">
      {h.error && <Alert color="red">{h.error.message}</Alert>}
      {h.data && h.data.items.length === 0 && <Text size="sm">{t('people.historyNone')}</Text>}
      {h.data && h.data.items.length > 0 && (
        <Table>
          <Table.Tbody>
            {h.data.items.slice(0, 100).map((r) => (
              <Table.Tr key={r.key} data-testid="history-row">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmtDate(r.at)}</Table.Td>
                <Table.Td>
                  <Badge size="xs" variant="outline">
                    {t(`people.history.${r.source}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {actionLabel(r.action)}
                  {r.kind === 'intent' ? ' …' : r.outcome && r.outcome !== 'success' ? ` (${r.outcome})` : ''}
                </Table.Td>
                <Table.Td>{r.operator ?? '–'}</Table.Td>
                <Table.Td>{r.reason ?? r.message ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Panel>
  );
}
