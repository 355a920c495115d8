// A whole drift category fixed as one bulk job: the people in the category (as the operator's list shows
// them, scope included) become a planned job — the dry run, row by row, with what will happen or why not —
// which the operator then starts with a reason, like any other job (resumable, never pays twice).
import { ConsoleError } from '../../../shared/errors.ts';
import { driftBulkAction, type driftFixOps } from '../../../shared/operations/driftfix.ts';
import { PeopleQuery } from '../../../shared/domain/people.ts';
import type { FeatureService } from '../../ports.ts';
import type { PeopleIndex } from '../people/index/people-index.ts';
import type { BulkService } from './index.ts';
import { bindsOf } from '../../session-binds.ts';

const labels: Record<keyof typeof driftBulkAction, string> = {
  'identity-missing': 'Mangler erhvervsidentitet',
  'credential-missing': 'Mangler lokalt loginmiddel',
  'suspended-active-ad': 'Suspenderet i MitID Erhverv, aktiv i AD',
  'active-disabled-ad': 'Aktiv i MitID Erhverv, deaktiveret i AD',
};

export function createDriftFixService(deps: { index(): PeopleIndex; bulk: BulkService }): FeatureService<typeof driftFixOps> {
  return {
    'bulk.planDriftFix': async (input, ctx) => {
      const s = ctx.requireSession();
      const idx = deps.index();
      await idx.ensure(bindsOf(s));
      const { rows } = idx.query(PeopleQuery.parse({ filter: { drift: input.drift } }), ctx.scope);
      const personIds = rows.filter((r) => r.source === 'ad').map((r) => r.id);
      if (personIds.length === 0) throw new ConsoleError('validation', `Der er ingen personer i kategorien "${labels[input.drift]}".`).withKey('bulkDriftEmpty');
      // The bulk plan reads each person again and decides per row: the list may be minutes old.
      const job = await deps.bulk.plan(s.directory, s.operator, driftBulkAction[input.drift], { kind: 'people', personIds }, ctx.scope, `Afvigelse: ${labels[input.drift]} (${personIds.length})`);
      return { job };
    },
  };
}
