// Which rows a scope holds: AD people by their DN; identities with no AD account by the domain their
// local credential names, else as the municipality's own (only a scope with NO_AD_ACCOUNT holds those).
import { describe, expect, it } from 'vitest';
import { except, NO_AD_ACCOUNT } from '../../../shared/roles.ts';
import { scopedView, type Entry } from '../../../src-main/services/people/index/query.ts';

const KOMMUNE = 'DC=fjordby,DC=dk';
const SKOLE = 'DC=skole,DC=fjordby,DC=dk';
const entry = (username: string, dn: string | null): Entry => ({ ad: dn === null ? null : { dn }, row: { username }, folded: username }) as unknown as Entry;

const clerk = entry('bo', `CN=Bo,OU=Borgerservice,${KOMMUNE}`);
const teacher = entry('anne', `CN=Anne,OU=Lærere,${SKOLE}`);
const townOrphan = entry('ulla@fjordby.dk', null);
const schoolOrphan = entry('lars@skole.fjordby.dk', null);
const unread = entry('', null);
const all = [clerk, teacher, townOrphan, schoolOrphan, unread];
const subjectDomain = (s: string) => (s.endsWith('@skole.fjordby.dk') ? SKOLE : null);

describe('scopedView', () => {
  it('the municipality’s own operators: their AD people and its identities with no AD account, not the school’s', () => {
    const view = scopedView(subjectDomain);
    expect(view(all, all, [KOMMUNE, NO_AD_ACCOUNT, except(SKOLE)], 1)).toEqual([clerk, townOrphan, unread]);
  });

  it('the school’s operators: their AD people and the identities whose local credential is the school’s', () => {
    expect(scopedView(subjectDomain)(all, all, [SKOLE], 1)).toEqual([teacher, schoolOrphan]);
  });

  it('a helpdesk limited to OUs sees no identity without an AD account', () => {
    expect(scopedView(subjectDomain)(all, all, [`OU=Borgerservice,${KOMMUNE}`], 1)).toEqual([clerk]);
  });

  it('no scope: everyone', () => {
    expect(scopedView(subjectDomain)(all, all, null, 1)).toEqual(all);
  });
});
