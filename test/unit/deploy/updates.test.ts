// The built-in update check is off unless turned on, IT's policy decides over the operator, and a
// development run never updates itself.
import { describe, expect, it } from 'vitest';
import { applyPolicy, MachinePolicy } from '../../../shared/domain/machine-policy.ts';
import { Settings } from '../../../shared/domain/settings.ts';
import { updatePlan } from '../../../src-main/shell/updates.ts';

const loaded = (p: unknown) => ({ policy: MachinePolicy.parse(p), sources: {} });

describe('the update check', () => {
  it('is off by default', () => {
    expect(updatePlan(Settings.parse({}), null, true)).toEqual({ check: false, why: 'slået fra' });
  });

  it('IT turns it off over an operator who turned it on', () => {
    const policy = loaded({ AutoUpdate: false });
    const settings = applyPolicy(Settings.parse({ autoUpdate: true }), policy.policy);
    expect(updatePlan(settings, policy, true)).toEqual({ check: false, why: 'slået fra af IT' });
  });

  it('IT turns it on with its own feed', () => {
    const policy = loaded({ AutoUpdate: 1, UpdateUrl: 'https://opdatering.fjordby.dk/lokal-idp-admin/' });
    const settings = applyPolicy(Settings.parse({}), policy.policy);
    expect(updatePlan(settings, policy, true)).toEqual({ check: true, feedUrl: 'https://opdatering.fjordby.dk/lokal-idp-admin/' });
    expect(updatePlan(settings, policy, false)).toEqual({ check: false, why: 'ikke en installeret version' });
  });

  it('an update feed over plain http is refused by the policy schema', () => {
    expect(MachinePolicy.safeParse({ UpdateUrl: 'http://opdatering.fjordby.dk/' }).success).toBe(false);
  });
});
