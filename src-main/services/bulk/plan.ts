// The dry run: who the job is for (from the operator's own directory session), and what will happen to
// each of them in MitID Erhverv — or why nothing will. Read-only everywhere.
import pLimit from 'p-limit';
import { ConsoleError, isConsoleError } from '../../../shared/errors.ts';
import { parseUsernameCsv, type BulkAction, type BulkSkipReason, type BulkTarget } from '../../../shared/domain/bulk.ts';
import { dnIsWithin, groupNameOf, ouLabel } from '../../../shared/dn.ts';

import type { PersonSummary } from '../../../shared/domain/person.ts';
import type { MitIdAuthenticator, MitIdIdentitySummary } from '../../../shared/mitid/domain.ts';
import { subjectNameIdFor, type LinkRule } from '../../../shared/mitid/link-rule.ts';
import type { DirectorySession } from '../../connectors/directory-port.ts';
import type { MitIdErhvervPort } from '../../connectors/mitid-erhverv/port.ts';
import type { GuardedMitIdPort } from '../mitid/create-guard.ts';
import type { NewBulkRow } from '../../store/bulk-store.ts';
import { mitIdStateOf } from '../../../shared/mitid/domain.ts';
import { accountStateOf, blockers, personStates, type Blocker } from '../../../shared/domain/person-state.ts';

/** A blocker from the shared state model, as the plan's skip reason. */
const skipFor: Partial<Record<Blocker, BulkSkipReason>> = {
  'account-disabled': 'account-disabled',
  'account-expired': 'account-expired',
  'no-identity': 'no-identity',
  'identity-suspended': 'identity-suspended',
  'identity-pending-validation': 'identity-pending-validation',
  'already-signing': 'already-signing',
};

/** What the AD adapter's sessions offer beyond the port. */
interface BulkCapableSession extends DirectorySession {
  loadAllPeople?: () => Promise<PersonSummary[]>;
  listGroupMembers?: (groupDn: string) => Promise<string[]>;
}

/** Everyone the operator can see in the directory. */
export async function loadAllPeople(session: DirectorySession): Promise<PersonSummary[]> {
  const s = session as BulkCapableSession;
  if (typeof s.loadAllPeople === 'function') return s.loadAllPeople();
  return (await session.searchPeople({ text: '', limit: Number.MAX_SAFE_INTEGER })).items;
}


export interface Candidate {
  /** The line as given (username, id) when the person could not be found. */
  input: string;
  person: PersonSummary | null;
  skip?: BulkSkipReason;
}

/** Resolve a target to people, in a stable order, each person once. */
export async function resolveTarget(session: DirectorySession, target: BulkTarget): Promise<{ label: string; candidates: Candidate[] }> {
  switch (target.kind) {
    case 'people': {
      const seen = new Set<string>();
      const candidates: Candidate[] = [];
      // A long selection is read in one search rather than one lookup per person.
      const byId = target.personIds.length > 50 ? new Map((await loadAllPeople(session)).map((p) => [p.id.toLowerCase(), p])) : null;
      for (const id of target.personIds) {
        const key = id.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        const person = byId
          ? (byId.get(key) ?? null)
          : await session.getPerson(id).catch((e: unknown) => {
              if (isConsoleError(e) && e.code === 'not-found') return null;
              throw e;
            });
        candidates.push(person ? { input: person.username, person } : { input: id, person: null, skip: 'not-in-directory' });
      }
      return { label: `${candidates.length} ${candidates.length === 1 ? 'valgt person' : 'valgte personer'}`, candidates };
    }
    case 'ou': {
      const all = await loadAllPeople(session);
      const people = all.filter((p) => dnIsWithin(p.dn, target.ou) && p.dn.toLowerCase() !== target.ou.toLowerCase());
      if (people.length === 0) throw new ConsoleError('validation', `Der er ingen personer i enheden ${ouLabel(target.ou)} (eller enheden findes ikke).`).withKey('bulkOuEmpty', { ou: ouLabel(target.ou) });
      people.sort((a, b) => a.username.localeCompare(b.username, 'da'));
      return { label: `Enhed: ${ouLabel(target.ou)}`, candidates: people.map((p) => ({ input: p.username, person: p })) };
    }
    case 'group': {
      const s = session as BulkCapableSession;
      const all = await loadAllPeople(session);
      let people: PersonSummary[];
      if (typeof s.listGroupMembers === 'function') {
        if (!/^\s*CN\s*=/i.test(target.group)) throw new ConsoleError('validation', 'Angiv gruppens fulde DN, fx CN=Signatur,OU=Grupper,DC=kommune,DC=dk.').withKey('bulkGroupDn');
        const members = new Set((await s.listGroupMembers(target.group)).map((d) => d.toLowerCase()));
        people = all.filter((p) => members.has(p.dn.toLowerCase()));
      } else {
        // The training directory has no member lists: each person's groups tell instead.
        const name = groupNameOf(target.group).toLowerCase();
        const limit = pLimit(16);
        const hits = await Promise.all(all.map((p) => limit(async () => ((await session.getPerson(p.id)).groups.some((g) => g.toLowerCase() === name) ? p : null))));
        people = hits.filter((p): p is PersonSummary => p !== null);
      }
      if (people.length === 0) throw new ConsoleError('validation', `Gruppen ${groupNameOf(target.group)} har ingen personer som medlemmer (eller findes ikke).`).withKey('bulkGroupEmpty', { group: groupNameOf(target.group) });
      people.sort((a, b) => a.username.localeCompare(b.username, 'da'));
      return { label: `Gruppe: ${groupNameOf(target.group)}`, candidates: people.map((p) => ({ input: p.username, person: p })) };
    }
    case 'csv': {
      const parsed = parseUsernameCsv(target.csv);
      if (parsed.usernames.length === 0 && parsed.invalid.length === 0) throw new ConsoleError('validation', 'CSV-filen indeholder ingen brugernavne.').withKey('bulkCsvEmpty');
      const all = await loadAllPeople(session);
      const byName = new Map<string, PersonSummary>();
      for (const p of all) byName.set(p.username.toLowerCase(), p);
      // A value with @ may be an e-mail address when it is not a username.
      for (const p of all) if (p.email && !byName.has(p.email.toLowerCase())) byName.set(p.email.toLowerCase(), p);
      const seenPeople = new Set<string>();
      const candidates: Candidate[] = [];
      for (const u of parsed.usernames) {
        const p = byName.get(u.toLowerCase()) ?? null;
        if (!p) candidates.push({ input: u, person: null, skip: 'not-in-directory' });
        else if (seenPeople.has(p.id)) candidates.push({ input: u, person: p, skip: 'duplicate' });
        else {
          seenPeople.add(p.id);
          candidates.push({ input: u, person: p });
        }
      }
      for (const d of parsed.duplicates) candidates.push({ input: d, person: null, skip: 'duplicate' });
      for (const i of parsed.invalid) candidates.push({ input: i.value, person: null, skip: 'invalid-username' });
      const file = target.fileName?.trim() || 'CSV-fil';
      return { label: `${file} (${parsed.usernames.length} brugernavne)`, candidates };
    }
  }
}

export interface MitIdState {
  identity: MitIdIdentitySummary | null;
  localCredential: MitIdAuthenticator | null;
  allowSigning: boolean | null;
}

/**
 * Where each person stands in MitID Erhverv — the same answer `identityFor` gives one person (identity
 * with the local credential named by the link rule, else one with the same e-mail), but with one pass
 * over the organisation's search instead of one per person.
 */
export async function lookupStates(
  mitid: MitIdErhvervPort,
  people: Array<{ key: string; subjectNameId: string; email: string | null }>,
  need: { credential: boolean; signing: boolean },
  signal?: AbortSignal,
): Promise<Map<string, MitIdState>> {
  const byEmail = new Map<string, MitIdIdentitySummary[]>();
  for await (const item of mitid.iterateAll(signal ? { signal } : undefined)) {
    const e = item.emailAddress?.trim().toLowerCase();
    if (!e) continue;
    const list = byEmail.get(e);
    if (list) list.push(item);
    else byEmail.set(e, [item]);
  }
  const limit = pLimit(6);
  const auths = new Map<string, Promise<MitIdAuthenticator[]>>();
  const authsOf = (uuid: string) => {
    let p = auths.get(uuid);
    if (!p) {
      p = limit(() =>
        mitid.listAuthenticators(uuid, signal ? { signal } : undefined).catch((e: unknown) => {
          if (isConsoleError(e) && e.code === 'not-found') return [];
          throw e;
        }),
      );
      auths.set(uuid, p);
    }
    return p;
  };
  const out = new Map<string, MitIdState>();
  await Promise.all(
    people.map(async (p) => {
      const email = p.email?.trim().toLowerCase() ?? null;
      const keys = [...new Set([email, p.subjectNameId.toLowerCase()].filter((k): k is string => !!k))];
      const candidates = [...new Map(keys.flatMap((k) => byEmail.get(k) ?? []).map((c) => [c.uuid, c])).values()];
      let identity: MitIdIdentitySummary | null = null;
      let localCredential: MitIdAuthenticator | null = null;
      // Only one identity could be the person's and the credential does not matter for the action: no
      // need to read its authenticators (one call per person fewer against the real API).
      const only = candidates.length === 1 && candidates[0]?.emailAddress?.trim().toLowerCase() === email ? candidates[0] : undefined;
      if (only && !need.credential) identity = only;
      else for (const c of candidates) {
        const local = (await authsOf(c.uuid)).find((a) => a.kind === 'local' && a.id === p.subjectNameId);
        if (local) {
          identity = c;
          localCredential = local;
          break;
        }
      }
      identity ??= (email ? byEmail.get(email)?.[0] : undefined) ?? null;
      let allowSigning: boolean | null = null;
      if (identity && need.signing) allowSigning = (await limit(() => mitid.getIdentity(identity.uuid, signal ? { signal } : undefined))).allowSigning;
      out.set(p.key, { identity, localCredential, allowSigning });
    }),
  );
  return out;
}

/** The dry run: one row per candidate with what will happen, or why it is skipped. */
export async function planRows(
  action: BulkAction,
  candidates: Candidate[],
  mitid: MitIdErhvervPort,
  ruleFor: (dn: string | null) => LinkRule,
  signal?: AbortSignal,
): Promise<NewBulkRow[]> {
  // A local credential is given only where the NSIS floor of the person's policy domain allows it: the dry
  // run says so per row (the runner would refuse it), and asks MitID Erhverv nothing about them.
  const floor = action === 'assign-local' ? await (mitid as GuardedMitIdPort).identityFloor?.decider() : undefined;
  const rows: NewBulkRow[] = candidates.map((c) => {
    const p = c.person;
    return {
      personId: p?.id ?? null,
      username: p?.username ?? c.input,
      displayName: p?.displayName ?? null,
      dn: p?.dn ?? null,
      person: p ? { username: p.username, userPrincipalName: null, givenName: p.givenName, surname: p.surname, email: p.email } : null,
      plan: 'skip',
      skipReason: c.skip ?? null,
    };
  });
  const open: Array<{ row: NewBulkRow; key: string; subjectNameId: string; email: string | null }> = [];
  rows.forEach((row, i) => {
    const p = candidates[i]?.person;
    if (row.skipReason || !p || !row.person) {
      row.skipReason ??= 'not-in-directory';
      return;
    }
    const sni = subjectNameIdFor({ sAMAccountName: p.username, userPrincipalName: null }, ruleFor(p.dn));
    if (!sni) row.skipReason = 'no-subject-name-id';
    // Credentials and reactivation are not handed to accounts that cannot sign in (disabled or expired).
    else if (action !== 'suspend' && accountStateOf(p, Date.now()) === 'disabled') row.skipReason = 'account-disabled';
    else if (action !== 'suspend' && accountStateOf(p, Date.now()) === 'expired') row.skipReason = 'account-expired';
    else if (floor && !floor(p.dn).allowed) row.skipReason = 'identity-floor';
    else open.push({ row, key: String(i), subjectNameId: sni, email: p.email });
  });
  if (open.length === 0) return rows;
  const states = await lookupStates(mitid, open, { credential: action === 'assign-local', signing: action === 'allow-signing' }, signal);
  for (const o of open) {
    const st = states.get(o.key) ?? { identity: null, localCredential: null, allowSigning: null };
    const r = o.row;
    const person = r.person;
    const set = (plan: NewBulkRow['plan'], skip: BulkSkipReason | null = null) => {
      r.plan = plan;
      r.skipReason = skip;
    };
    switch (action) {
      case 'assign-local':
        if (st.identity && st.localCredential) set('skip', 'already-assigned');
        else if (st.identity) set('request-credential');
        else if (!person?.email) set('skip', 'no-email');
        else if (!person.givenName?.trim() || !person.surname?.trim()) set('skip', 'missing-name');
        else set('create');
        break;
      case 'allow-signing': {
        // The shared state model decides: no signing upgrade for a suspended identity or one awaiting validation.
        const states = personStates(
          { ad: null, mitid: { status: st.identity?.status ?? null, allowSigning: st.allowSigning, privateMitIdActive: st.allowSigning ? true : null } },
          Date.now(),
        );
        const first = blockers('allow-signing', { states, email: o.email }).find((b) => skipFor[b]);
        if (first) set('skip', skipFor[first] ?? null);
        else set('allow-signing');
        break;
      }
      case 'suspend':
        if (!st.identity) set('skip', 'no-identity');
        else if (mitIdStateOf(st.identity.status) === 'suspended') set('skip', 'already-suspended');
        else set('suspend');
        break;
      case 'reactivate':
        if (!st.identity) set('skip', 'no-identity');
        else if (mitIdStateOf(st.identity.status) === 'active') set('skip', 'already-active');
        else set('reactivate');
        break;
    }
  }
  return rows;
}
