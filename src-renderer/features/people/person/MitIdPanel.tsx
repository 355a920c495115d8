import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Person } from '../../../../shared/domain/person.ts';
import type { MitIdPanel as MitIdPanelData } from '../../../../shared/operations/people.ts';
import { errorText } from '../../../app/errors.ts';
import { useOp, useOpMutation } from '../../../app/ops.ts';
import { GuardedButton, mitidWrites, Panel, Row, type Ask, type May } from './Panel.tsx';
import { IdentityBadge, SigningBadge } from '../StateBadges.tsx';
import type { Blocker, CheckedAction, PersonStates } from '../../../../shared/domain/person-state.ts';
import { fmtDate } from '../ActionModal.tsx';
import { useFormat } from '../../../app/format.ts';
import { writeText } from '../../../app/server-text.ts';
import { useTexts } from '../../../app/texts.ts';
import type { WriteOutcome } from '../../../../shared/operations/people.ts';

/** The person in MitID Erhverv: identity, CPR (masked until revealed), local authenticator, signing; their writes. */
export function MitIdPanel({
  p,
  states,
  blockers,
  panel,
  may,
  ask,
  cpr,
  onCpr,
}: {
  p: Person;
  states: PersonStates;
  blockers: Record<CheckedAction, Blocker[]>;
  panel: { ok: true; data: MitIdPanelData } | { ok: false; code: string; message: string };
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
  // The NSIS floor of the person's policy domain (#19): main's own decision, asked before the button is offered.
  const floor = useOp('policy.identityFloor', { personId: p.id }, { enabled: may('people.assignLocalAuthenticator') && panel.ok && !panel.data.localCredential });
  // A create of theirs already awaiting confirmation is still settled by the button (main lets it through).
  const floorRefused = floor.data && !floor.data.allowed && !(panel.ok && panel.data.pendingCreate) ? floor.data : null;
  const texts = useTexts();
  const fmt = useFormat();
  // What the write did, in the operator's language (main names it by code beside its Danish sentence).
  const said = (r: { message: string; said?: WriteOutcome | undefined }) => writeText(r, texts, (iso) => fmt.dateTime(iso));
  if (!panel.ok) {
    return (
      <Panel title={t('people.panelMitid')} testId="panel-mitid">
        <Alert color="orange">{t('people.unavailable', { message: errorText(panel) })}</Alert>
      </Panel>
    );
  }
  const m = panel.data;
  const id = m.identity;
  const name = p.displayName;
  const state = m.identityState ?? (id ? 'other' : undefined);
  return (
    <Panel title={t('people.panelMitid')} testId="panel-mitid">
      {m.pendingCreate && (
        <Alert color="yellow" mb="xs" data-testid="mitid-pending" title={t('people.pendingCreateTitle')}>
          <Text size="sm">{t('people.pendingCreateText', { button: t('people.assign') })}</Text>
          <Text size="xs" c="dimmed" mt={4}>
            {t('people.pendingCreateProgress', {
              since: fmtDate(m.pendingCreate.since),
              checks: m.pendingCreate.absentChecks,
              needed: m.pendingCreate.absentSearches,
              at: fmtDate(m.pendingCreate.earliestRetryAt),
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
                v={
                  <span data-testid="mitid-state">
                    <IdentityBadge state={states.identity} t={t} />
                  </span>
                }
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
                    <span data-testid="signing-state">
                      <SigningBadge state={states.signing} t={t} />
                    </span>
                    {states.signing === 'waiting-for-person' && <Text size="xs">{t('people.signingWaitingHelp')}</Text>}
                  </Stack>
                }
              />
            </>
          )}
        </Table.Tbody>
      </Table>
      {mitidWrites.some(may) && (
        <Group mt="sm">
          {!m.localCredential && may('people.assignLocalAuthenticator') && floorRefused && (
            <Stack gap={2} align="flex-start">
              <Button disabled aria-describedby="identity-floor">{t('people.assign')}</Button>
              <Text size="xs" id="identity-floor" data-testid="identity-floor">{t('errors.messages.identityFloorRefused', { domain: floorRefused.domain ?? '?' })}</Text>
            </Stack>
          )}
          {!m.localCredential && may('people.assignLocalAuthenticator') && !floorRefused && (
            <GuardedButton
              blocker={blockers['assign-local'][0]}
              onClick={() =>
                ask({
                  title: `${t('people.assign')}: ${name}`,
                  explain: m.pendingCreate
                    ? t('people.assignPendingCheck')
                    : id
                      ? t('people.assignRequest', { id: m.subjectNameId })
                      : t('people.assignCreateFee', { id: m.subjectNameId }),
                  run: async (reason) => said(await assign.mutateAsync({ personId: p.id, reason })),
                })
              }
            >
              {t('people.assign')}
            </GuardedButton>
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
                  run: async (reason) => said(await revoke.mutateAsync({ personId: p.id, reason })),
                })
              }
            >
              {t('people.revoke')}
            </Button>
          )}
          {id && !id.allowSigning && may('people.setSigning') && (
            <GuardedButton
              variant="light"
              blocker={blockers['allow-signing'][0]}
              onClick={() =>
                ask({
                  title: `${t('people.upgrade')}: ${name}`,
                  explain: t('people.upgradeHelp'),
                  run: async (reason) => said(await signing.mutateAsync({ personId: p.id, reason, allow: true })),
                })
              }
            >
              {t('people.upgrade')}
            </GuardedButton>
          )}
          {id?.allowSigning && may('people.setSigning') && (
            <Button
              variant="light"
              color="red"
              onClick={() =>
                ask({
                  title: `${t('people.downgrade')}: ${name}`,
                  color: 'red',
                  run: async (reason) => said(await signing.mutateAsync({ personId: p.id, reason, allow: false })),
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
                  run: async (reason) => said(await suspend.mutateAsync({ personId: p.id, reason })),
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
                  run: async (reason) => said(await reactivate.mutateAsync({ personId: p.id, reason })),
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
