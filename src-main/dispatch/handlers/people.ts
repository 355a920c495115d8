import type { peopleOps } from '../../../shared/operations/people.ts';
import type { FeatureHandlers, HandlerDeps } from './types.ts';

export function peopleHandlers(_deps: HandlerDeps): FeatureHandlers<typeof peopleOps> {
  return {
    'people.search': async (input, ctx) => ctx.requireSession().directory.searchPeople({ text: input.text, limit: input.limit }),

    'people.get': async (input, ctx) => ({ person: await ctx.requireSession().directory.getPerson(input.personId) }),

    'people.unlockAccount': async (input, ctx) => {
      const dir = ctx.requireSession().directory;
      await dir.unlockAccount(input.personId);
      return { person: await dir.getPerson(input.personId) };
    },
  };
}
