import { Badge, Button, Group, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { OpOutput } from '../../../../shared/operations/index.ts';
import type { Person } from '../../../../shared/domain/person.ts';
import { useOpMutation } from '../../../app/ops.ts';
import { fmtDate } from '../ActionModal.tsx';
import { Panel, Row, type Ask, type May } from './Panel.tsx';
import { AccountBadge } from '../StateBadges.tsx';
import type { PersonStates } from '../../../../shared/domain/person-state.ts';

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

/** The person in Active Directory: account state, the facts a caller is checked against, AD's policy; unlock and reset. */
export function AdPanel({ p, states, policy, may, ask, onReset }: { p: Person; states: PersonStates; policy: AdPolicy; may: May; ask: Ask; onReset: () => void }) {
  const { t } = useTranslation();
  const unlock = useOpMutation('people.unlockAccount');
  return (
    <Panel title={t('people.panelAd')} testId="panel-ad">
      <Group gap={4} mb="xs">
        <AccountBadge state={states.account} t={t} />
        {p.locked && states.account !== 'locked' && <Badge color="red">{t('people.locked')}</Badge>}
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
