import { Badge, Group } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { AccountState, IdentityState, PersonStates, SigningState } from '../../../shared/domain/person-state.ts';

// The one rendering of a person's states (shared/domain/person-state.ts), used by the list and the person
// page alike: the same state has the same words and colour everywhere.

const accountColor: Record<AccountState, string> = { active: 'green', locked: 'red', disabled: 'gray', expired: 'orange', none: 'gray' };
const identityColor: Record<IdentityState, string> = {
  unknown: 'yellow',
  none: 'gray',
  'pending-create': 'yellow',
  'pending-validation': 'yellow',
  active: 'green',
  suspended: 'orange',
  other: 'yellow',
};
const signingColor: Record<SigningState, string> = { unknown: 'gray', none: 'gray', 'waiting-for-person': 'yellow', active: 'violet' };

type Size = 'xs' | 'sm' | 'md';

export function AccountBadge({ state, t, size = 'sm' }: { state: AccountState; t: TFunction; size?: Size }) {
  return (
    <Badge color={accountColor[state]} variant={state === 'active' ? 'light' : 'filled'} size={size} data-testid="state-account" data-state={state}>
      {t(`people.state.account.${state}`)}
    </Badge>
  );
}

export function IdentityBadge({ state, t, size = 'sm' }: { state: IdentityState; t: TFunction; size?: Size }) {
  return (
    <Badge color={identityColor[state]} variant={state === 'active' ? 'light' : 'outline'} size={size} data-testid="state-identity" data-state={state}>
      {t(`people.state.identity.${state}`)}
    </Badge>
  );
}

export function SigningBadge({ state, t, size = 'sm' }: { state: SigningState; t: TFunction; size?: Size }) {
  return (
    <Badge color={signingColor[state]} variant="light" size={size} data-testid="state-signing" data-state={state}>
      {t(`people.state.signing.${state}`)}
    </Badge>
  );
}

/** Identity and (when there is anything to say) signing, as one cell of the list. */
export function MitIdStates({ states, t, size = 'sm' }: { states: PersonStates; t: TFunction; size?: Size }) {
  return (
    <Group gap={4} wrap="nowrap">
      <IdentityBadge state={states.identity} t={t} size={size} />
      {states.signing !== 'none' && states.signing !== 'unknown' && <SigningBadge state={states.signing} t={t} size={size} />}
    </Group>
  );
}
