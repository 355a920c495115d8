import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { invalidatedBy, opQuery, queryKey, refreshAfter } from '../../../src-renderer/app/ops.ts';

// What the renderer refreshes after a write comes from the write's contract entry, through the one
// query key. A real QueryClient with cached answers: which of them does a write mark stale?
function cacheWithAnswers() {
  const qc = new QueryClient();
  const keys = {
    list: queryKey('people.list', { text: 'sør', offset: 0, limit: 100 }),
    listBlock: queryKey('people.list', { text: 'sør', offset: 100, limit: 100 }, 7),
    overview: queryKey('people.overview', { personId: 'p1' }),
    history: queryKey('people.history', { personId: 'p1' }),
    get: queryKey('people.get', { personId: 'p1' }),
    policies: queryKey('policy.list', {}),
    views: queryKey('people.views.list', {}, 'helpdesk'),
  };
  for (const k of Object.values(keys)) qc.setQueryData(k, { any: 'answer' });
  const stale = () =>
    Object.entries(keys)
      .filter(([, k]) => qc.getQueryState(k)?.isInvalidated)
      .map(([name]) => name)
      .sort();
  return { qc, stale };
}

describe('the renderer refreshes what the contract names', () => {
  it('after a write to a person: the list (every block), the overview, the history and the person', async () => {
    const { qc, stale } = cacheWithAnswers();
    await refreshAfter(qc, 'people.unlockAccount');
    expect(stale()).toEqual(['get', 'history', 'list', 'listBlock', 'overview']);
  });

  it('after revealing a CPR number: only the history (the reveal is journaled)', async () => {
    const { qc, stale } = cacheWithAnswers();
    await refreshAfter(qc, 'people.revealCpr');
    expect(stale()).toEqual(['history']);
  });

  it('after a read: nothing', async () => {
    const { qc, stale } = cacheWithAnswers();
    await refreshAfter(qc, 'people.checkPassword');
    expect(stale()).toEqual([]);
    expect(invalidatedBy('people.list')).toEqual([]);
  });

  it('after a policy save: the policies, not the people', async () => {
    const { qc, stale } = cacheWithAnswers();
    await refreshAfter(qc, 'policy.update');
    expect(stale()).toEqual(['policies']);
  });
});

describe('the one query key', () => {
  it('is the operation, then its input, then a qualifier that keeps answers apart', () => {
    expect(queryKey('people.views.list')).toEqual(['people.views.list']);
    expect(queryKey('people.views.list', {})).toEqual(['people.views.list', {}]);
    expect(queryKey('people.views.list', {}, 'helpdesk')).not.toEqual(queryKey('people.views.list', {}, 'revisor'));
    expect(opQuery('people.get', { personId: 'p1' }).queryKey).toEqual(queryKey('people.get', { personId: 'p1' }));
  });
});
