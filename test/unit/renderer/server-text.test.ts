import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemDetailCodes } from '../../../shared/domain/settings.ts';
import { adMirrorCodes } from '../../../shared/operations/policies.ts';
import { writeOutcomeCodes } from '../../../shared/operations/people.ts';
import { failureText, tokenCheckText, journalFindingText, journalIdpText, leakText, mirrorText, outcomeText, pauseText, systemDetailText, writeText } from '../../../src-renderer/app/server-text.ts';
import { compareWithIdp } from '../../../src-main/services/audit/journal-anchor.ts';
import { openJournal, type JournalEntryInput } from '../../../src-main/store/journal.ts';
import type { IdpPort } from '../../../src-main/connectors/idp/idp-port.ts';
import type { Call, Connections } from '../../../src-main/ports.ts';
import { createTokensService } from '../../../src-main/services/tokens/tokens-service.ts';
import type { PeopleIndex } from '../../../src-main/services/people/index/people-index.ts';
import { KodeviserSerial, tokenCheckStates } from '../../../shared/operations/tokens.ts';
import type { Person } from '../../../shared/domain/person.ts';
import { deviceAction, identityLock, suspendOrphan, type WriteAnswer } from '../../../src-main/services/people/person-service.ts';
import { ConsoleError, errorRef, keyedError } from '../../../shared/errors.ts';
import { timedOut } from '../../../src-main/connectors/http/errors.ts';
import { IDP } from '../../../src-main/connectors/idp/http.ts';
import { texts } from './locale-texts.ts';

// What main says by code and values, worded by the renderer: each mapping in both languages, from the
// real locale tables (every feature's bundle merged, as the app does).


/** Words only Danish text brings onto an English screen. */
const DANISH = /\b(og|ikke|er|af|den|det|til|mangler|svarer|poster?|opgaven|konsollen|sat på pause)\b|[æøå]/i;

describe('a paused bulk job\'s detail', () => {
  const operator = { code: 'operator' as const, message: 'Sat på pause af Bo Berg: Frokost', detail: { code: 'operator' as const, params: { by: 'Bo Berg', reason: 'Frokost' } } };
  const outage = { code: 'mitid-unavailable' as const, message: 'MitID Erhverv svarer ikke (timeout). Opgaven er sat på pause efter 3 forsøg …', detail: { code: 'mitid-unavailable' as const, params: { attempts: 3 } } };
  const closed = { code: 'interrupted' as const, message: 'Konsollen blev lukket …', detail: { code: 'interrupted' as const, params: { inFlight: 2 } } };

  it('reads in Danish as main words it', () => {
    expect(pauseText(operator, texts('da'))).toBe('Sat på pause af Bo Berg: Frokost');
    expect(pauseText(outage, texts('da'))).toMatch(/^MitID Erhverv svarer ikke\. Opgaven er sat på pause efter 3 forsøg/);
    expect(pauseText(closed, texts('da'))).toMatch(/og 2 række\(r\), der var i gang/);
  });

  it('reads in English, with its values and no Danish', () => {
    expect(pauseText(operator, texts('en'))).toBe('Paused by Bo Berg: Frokost');
    expect(pauseText(outage, texts('en'))).toMatch(/^MitID Erhverv is not answering\. The job was paused after 3 attempts/);
    expect(pauseText(closed, texts('en'))).toMatch(/2 row\(s\) that were under way/);
    for (const p of [outage, closed]) expect(pauseText(p, texts('en'))).not.toMatch(DANISH);
  });

  it('a job paused before details were kept: main\'s sentence in Danish, nothing Danish in English', () => {
    const old = { ...outage, detail: null };
    expect(pauseText(old, texts('da'))).toBe(old.message);
    expect(pauseText(old, texts('en'))).toBe('');
  });
});

describe('a system\'s status detail (the status bar\'s tooltip)', () => {
  const dc = { system: 'ad' as const, detail: { code: 'connectedDc' as const, params: { host: 'dc1.fjordby.dk', address: 'ldaps://dc1' } } };
  const off = { system: 'idp' as const, detail: { code: 'notConfigured' as const, params: {} } };
  const refused = {
    system: 'mitid' as const,
    detail: { code: 'error' as const, params: {}, error: { code: 'unavailable-mitid' as const, message: 'MitID Erhverv kan ikke nås (forbindelsen blev afvist)', key: 'httpRefused', params: { system: 'MitID Erhverv' } } },
  };

  it('reads in Danish as main words it, the system\'s refusal as main said it', () => {
    expect(systemDetailText(dc, texts('da'))).toBe('Forbundet til domænecontrolleren dc1.fjordby.dk (ldaps://dc1).');
    expect(systemDetailText(off, texts('da'))).toBe('Lokal IdP er ikke sat op.');
    expect(systemDetailText(refused, texts('da'))).toBe('MitID Erhverv kan ikke nås (forbindelsen blev afvist)');
  });

  it('reads in English, the refusal by its key, with no Danish', () => {
    expect(systemDetailText(dc, texts('en'))).toBe('Connected to the domain controller dc1.fjordby.dk (ldaps://dc1).');
    expect(systemDetailText(off, texts('en'))).toBe('Local IdP is not set up.');
    const text = systemDetailText(refused, texts('en'));
    expect(text).toContain('MitID Erhverv');
    expect(text).not.toMatch(DANISH);
  });

  it('every code has an English text without Danish in it', () => {
    for (const code of systemDetailCodes) {
      const text = systemDetailText({ system: 'mitid', detail: { code, params: { host: 'h', address: 'a', product: 'P', version: '1' } } }, texts('en'));
      expect(text, code).not.toMatch(DANISH);
      expect(text, code).not.toContain('systems.detail');
    }
  });
});

describe('why a background round failed (a people read, the journal\'s shipping)', () => {
  const timeout = timedOut(IDP, 30000);
  const read = { message: timeout.message, error: errorRef(timeout) };
  const stopped = { message: 'Indlæsningen blev afbrudt.', error: errorRef(new ConsoleError('cancelled', 'Indlæsningen blev afbrudt.').withKey('loadCancelled')) };
  const notAnswering = { message: 'MitID Erhverv svarede ikke.', error: { code: 'unavailable-mitid' as const, message: 'MitID Erhverv svarede ikke.' } };
  const crash = { message: 'kunne ikke læse rækken', error: errorRef(new Error('kunne ikke læse rækken')) };

  it('reads in Danish as main words it', () => {
    expect(failureText(read, texts('da'))).toBe('Lokal IdP svarede ikke inden for 30 s');
    expect(failureText(stopped, texts('da'))).toBe('Indlæsningen blev afbrudt.');
  });

  it('reads in English by its key or code, with no Danish', () => {
    expect(failureText(read, texts('en'))).toBe('Local IdP does not answer (no answer within 30 s).');
    expect(failureText(stopped, texts('en'))).toBe('The loading was cancelled.');
    for (const f of [read, stopped, notAnswering, crash]) {
      expect(failureText(f, texts('en'))).not.toBe('');
      expect(failureText(f, texts('en'))).not.toMatch(DANISH);
    }
  });

  it('from an older main without the code: main\'s sentence in Danish, nothing in English; no failure, nothing', () => {
    expect(failureText({ message: 'Lokal IdP svarer ikke' }, texts('da'))).toBe('Lokal IdP svarer ikke');
    expect(failureText({ message: 'Lokal IdP svarer ikke' }, texts('en'))).toBe('');
    expect(failureText({ message: null, error: null }, texts('en'))).toBe('');
  });
});

describe('writing a password policy to AD', () => {
  const updated = { detail: { code: 'mirroredUpdated' as const, groups: 2 } };
  const refused = {
    detail: { code: 'failed' as const, groups: 1, error: { code: 'refused' as const, message: 'AD afviste ændringen: en begrænsning i AD blev overtrådt.', key: 'adConstraint' } },
  };

  it('reads in Danish as main words it', () => {
    expect(mirrorText(updated, texts('da'))).toBe('Skrevet til AD (opdateret PSO) for 2 gruppe(r).');
    expect(mirrorText({ detail: { code: 'notMapped', groups: 0 } }, texts('da'))).toBe('Ingen AD-grupper er knyttet til dette domæne, så AD håndhæver ikke politikken.');
    expect(mirrorText(refused, texts('da'))).toBe('AD afviste politikken: AD afviste ændringen: en begrænsning i AD blev overtrådt.');
  });

  it('reads in English, AD\'s refusal by its key, with no Danish', () => {
    expect(mirrorText(updated, texts('en'))).toBe('Written to AD (updated PSO) for 2 group(s).');
    const text = mirrorText(refused, texts('en'));
    expect(text).toMatch(/^AD refused the policy: \S/);
    expect(text).not.toMatch(DANISH);
    // A refusal that is not a console error: its code's text, never its Danish words.
    expect(mirrorText({ detail: { code: 'failed', groups: 1, error: { code: 'internal', message: 'Ukendt fejl i AD' } } }, texts('en'))).not.toMatch(DANISH);
    for (const code of adMirrorCodes) expect(mirrorText({ detail: { code, groups: 3 } }, texts('en')), code).not.toMatch(DANISH);
  });
});

describe('the leaked-password check', () => {
  const leaked = { state: 'leaked' as const, message: 'Adgangskoden er kendt fra datalæk (set 1.234 gange) og må ikke bruges.', count: 1234 };
  const down = { state: 'unavailable' as const, message: 'Tjenesten for lækkede adgangskoder (range.example) svarede med fejl 503. Adgangskoden er ikke kontrolleret for læk.', count: null };
  const en = (n: number) => n.toLocaleString('en-GB');

  it('in Danish is main\'s own sentence (it names the service when it could not answer)', () => {
    expect(leakText(down, texts('da'), en)).toBe(down.message);
  });

  it('in English is its state\'s text, the count in the language\'s figures', () => {
    expect(leakText(leaked, texts('en'), en)).toBe('The password is known from data breaches (seen 1,234 times) and must not be used.');
    expect(leakText(down, texts('en'), en)).not.toMatch(DANISH);
  });
});

describe('a MitID Erhverv write\'s outcome (Genkør)', () => {
  const dateTime = (iso: string) => iso.slice(0, 10);
  const pending = { code: 'pendingConfirmation' as const, params: { at: '2026-12-07T10:00:00.000Z', searches: 2 } };
  const group = { code: 'signingAllowedGroup' as const, params: { group: 'Signatur-Fjordby' } };

  it('reads in Danish as main words it', () => {
    expect(outcomeText({ code: 'created', params: {} }, texts('da'), dateTime)).toBe('Erhvervsidentiteten er oprettet med det lokale loginmiddel.');
    expect(outcomeText(pending, texts('da'), dateTime)).toContain('(tidligst 2026-12-07, efter 2 søgninger uden fund)');
    expect(outcomeText(group, texts('da'), dateTime)).toMatch(/Personen er medlem af AD-gruppen "Signatur-Fjordby"\.$/);
    expect(outcomeText({ code: 'relinked', params: { id: 'bobe@fjordby' } }, texts('da'), dateTime)).toBe('Det lokale loginmiddel er registreret som bobe@fjordby.');
  });

  it('reads in English with its values (the time worded by the renderer), and no code in any language is Danish in English', () => {
    expect(outcomeText(pending, texts('en'), dateTime)).toContain('(at the earliest 2026-12-07, after 2 searches without it)');
    expect(outcomeText(group, texts('en'), dateTime)).toMatch(/member of the AD group "Signatur-Fjordby"\.$/);
    for (const code of writeOutcomeCodes) {
      const text = outcomeText({ code, params: { at: '2026-12-07T10:00:00.000Z', searches: 2, group: 'G', id: 'x', serial: 'KV-1' } }, texts('en'), dateTime);
      expect(text, code).not.toMatch(DANISH);
      expect(text, code).not.toContain('actions.said');
    }
  });
});

describe('the journal check, from a real journal tampered with', () => {
  const operator = { username: 'hd', displayName: 'Helle', dn: 'CN=Helle', roles: ['helpdesk' as const], helpdeskOus: null };
  const entry = (i: number): JournalEntryInput => ({
    kind: 'event', operation: 'people.unlockAccount', operator, workstation: 'ws', correlationId: `c${i}`,
    target: { id: `p${i}`, label: `Person ${i}`, ou: 'OU=X,DC=k,DC=dk' }, reason: `Ringede ind ${i}`, outcome: 'success', summary: { i },
  });
  // Main's own way of writing a time, so the Danish wording can be compared with main's sentence letter for letter.
  const fig = { dateTime: (iso: string) => new Date(iso).toLocaleString('da-DK', { dateStyle: 'short', timeStyle: 'short' }), number: (n: number) => n.toLocaleString('da-DK') };

  function tampered(sql: string) {
    const dir = mkdtempSync(join(tmpdir(), 'lia-said-'));
    const file = join(dir, 'journal.sqlite');
    let journal = openJournal(file);
    journal.appendMany(Array.from({ length: 12 }, (_, i) => entry(i + 1)));
    journal.close();
    const db = new DatabaseSync(file);
    db.exec(sql);
    db.close();
    journal = openJournal(file);
    return { journal, done: () => (journal.close(), rmSync(dir, { recursive: true, force: true })) };
  }

  it('words every local finding in Danish exactly as main does, and in English without Danish', () => {
    const { journal, done } = tampered(`UPDATE journal SET reason = 'Helt i orden' WHERE seq IN (2, 3, 4); DELETE FROM journal WHERE seq IN (7, 8); DELETE FROM journal WHERE seq > 10;`);
    const r = journal.verify();
    expect(r.findings.map((f) => f.kind)).toEqual(['changed', 'missing', 'missing-tail']);
    expect(r.details.map((d) => d.code)).toEqual(['changedRange', 'missingBroken', 'missingTail']);
    r.findings.forEach((f, i) => {
      expect(journalFindingText(f, r.details[i]!, texts('da'), fig)).toBe(f.message);
      expect(journalFindingText(f, r.details[i]!, texts('en'), fig)).not.toMatch(DANISH);
    });
    expect(journalFindingText(r.findings[0]!, r.details[0]!, texts('en'), fig)).toBe('Records 2–4 have been changed (the field(s) »reason« do not match the chained record, among others).');
    expect(journalFindingText(r.findings[1]!, r.details[1]!, texts('en'), fig)).toBe('Records 7–8 missing – the chain is broken between record 6 and 9.');
    done();
  });

  it('words what the IdP said: not set up, not answering (its error by key), confirmed, and its findings', async () => {
    const { journal, done } = tampered('SELECT 1');
    const none = await compareWithIdp(journal, null, 0);
    expect(journalIdpText(none.idpDetail, texts('da'), fig)).toBe(none.idp.message);
    expect(journalIdpText(none.idpDetail, texts('en'), fig)).toBe('The journal could not be compared with the IdP: the Local IdP is not set up.');

    const down = { getJournal: async () => { throw keyedError('unavailable-idp', 'httpTimeout', 'Lokal IdP svarer ikke (intet svar inden for 10 s)', { system: 'Lokal IdP', seconds: 10 }); } } as unknown as IdpPort;
    const unavailable = await compareWithIdp(journal, down, 0);
    expect(journalIdpText(unavailable.idpDetail, texts('da'), fig)).toBe(unavailable.idp.message);
    expect(journalIdpText(unavailable.idpDetail, texts('en'), fig)).toBe('The journal could not be compared with the IdP: Local IdP does not answer (no answer within 10 s).');
    expect(journalIdpText(unavailable.idpDetail, texts('en'), fig)).not.toMatch(DANISH);

    // The IdP acknowledged record 5 with this journal's hash, and record 12 with another: confirmed up to 5 fails at 12.
    const me = journal.identity();
    const at = '2026-12-01T09:30:00.000Z';
    const heads = [{ seq: 5, hash: journal.hashAt(5)!, acknowledgedAt: at }, { seq: 12, hash: 'f'.repeat(64), acknowledgedAt: at }];
    const idp = (h: typeof heads) => ({
      getJournal: async () => ({ journalId: me.journalId, workstation: me.workstation, createdAt: me.createdAt, firstSeenAt: me.createdAt, head: h.at(-1)!, heads: h.length }),
      listJournals: async () => [],
      journalHeads: async () => ({ items: h, next: 0, hasMore: false }),
    }) as unknown as IdpPort;
    const ok = await compareWithIdp(journal, idp(heads.slice(0, 1)), 5);
    expect(ok.idpDetail).toEqual({ code: 'confirmed', params: { seq: 5, acknowledgedAt: at, pending: 7 } });
    expect(journalIdpText(ok.idpDetail, texts('da'), fig)).toBe(ok.idp.message);
    expect(journalIdpText(ok.idpDetail, texts('en'), fig)).toMatch(/^The IdP has acknowledged the journal up to and including record 5 \(.+\), and the hash matches\. 7 newer records are not yet acknowledged by the IdP\.$/);
    const bad = await compareWithIdp(journal, idp(heads), 12);
    expect(bad.details.map((d) => d.code)).toEqual(['idpChanged']);
    expect(journalFindingText(bad.findings[0]!, bad.details[0]!, texts('da'), fig)).toBe(bad.findings[0]!.message);
    expect(journalFindingText(bad.findings[0]!, bad.details[0]!, texts('en'), fig)).toMatch(/^Records 6–12 changed or re-hashed: .* Record 5 still matches\.$/);
    expect(journalIdpText(bad.idpDetail, texts('en'), fig)).not.toMatch(DANISH);
    done();
  });
});

describe('a person write\'s answer on the person page', () => {
  it('is worded from its code when main named one, and is main\'s sentence when it did not', () => {
    const dateTime = (iso: string) => iso;
    expect(writeText({ message: 'Erhvervsidentiteten er suspenderet.', said: { code: 'suspended', params: {} } }, texts('en'), dateTime)).toBe('The business identity was suspended.');
    expect(writeText({ message: 'Identiteten, som kun findes i MitID Erhverv, er suspenderet.' }, texts('da'), dateTime)).toBe('Identiteten, som kun findes i MitID Erhverv, er suspenderet.');
  });
});

describe('the Local IdP\'s device and identity-lock writes, and an identity only in MitID Erhverv suspended', () => {
  // Main's own answers, from its write functions against stand-ins for the systems.
  const dateTime = (iso: string) => iso;
  const ok = async () => {};
  const idp = {
    lockDevice: ok, unlockDevice: ok, removeDevice: ok, lockIdentity: ok, unlockIdentity: ok, releaseHardwareToken: ok,
    listDevices: async () => ({ items: [{ id: 'd1', serialNumber: 'KV-100037' }] }),
    sendTestPush: async (_k: unknown, id: string) => ({ outcome: id }),
  };
  let status = 'active';
  const mitid = { getIdentity: async () => ({ status, emailAddress: null }), listAuthenticators: async () => [], suspend: ok };
  const conn = { idp, mitid, idpKey: () => ({ domain: 'fjordby.dk', username: 'bobe' }) } as unknown as Connections;
  const person = { dn: 'CN=Bo,DC=fjordby,DC=dk', username: 'bobe' } as unknown as Person;
  const ctx = { actor: { username: 'op', displayName: 'Op' }, reason: 'Test af enheden' };

  async function answers(): Promise<WriteAnswer[]> {
    const out: WriteAnswer[] = [];
    for (const action of ['lock', 'unlock', 'remove', 'release-token'] as const) out.push(await deviceAction(conn, person, 'd1', action, ctx));
    for (const push of ['approved', 'rejected', 'timeout']) out.push(await deviceAction(conn, person, push, 'test-push', ctx));
    out.push(await identityLock(conn, person, true, ctx), await identityLock(conn, person, false, ctx));
    status = 'active';
    out.push(await suspendOrphan(conn, 'u1', () => null));
    status = 'suspended';
    out.push(await suspendOrphan(conn, 'u1', () => null));
    return out;
  }

  it('each answers with a code, which reads in Danish exactly as main words it', async () => {
    for (const a of await answers()) expect(writeText(a, texts('da'), dateTime), a.said.code).toBe(a.message);
  });

  it('reads in English, with its values and no Danish', async () => {
    const all = await answers();
    expect(all.map((a) => a.said.code)).toEqual([
      'deviceLocked', 'deviceUnlocked', 'deviceRemoved', 'tokenReleased', 'testPushApproved', 'testPushRejected', 'testPushTimeout',
      'identityLocked', 'identityUnlocked', 'orphanSuspended', 'orphanAlreadySuspended',
    ]);
    expect(writeText(all[3]!, texts('en'), dateTime)).toBe('The code display KV-100037 was released and can be given to someone else.');
    expect(writeText(all[7]!, texts('en'), dateTime)).toBe('The identity is blocked in the IdP: the person cannot sign in.');
    for (const a of all) expect(writeText(a, texts('en'), dateTime), a.said.code).not.toMatch(DANISH);
  });
});

describe('a code display: the serial number\'s check and its assignment', () => {
  const dateTime = (iso: string) => iso;
  const tokens = new Map<string, { assignedTo: { domain: string; username: string } | null }>([
    ['KV-1', { assignedTo: null }],
    ['KV-2', { assignedTo: { domain: 'fjordby.dk', username: 'bobe' } }],
    ['KV-3', { assignedTo: { domain: 'fjordby.dk', username: 'alan' } }],
  ]);
  const idp = {
    getHardwareToken: async (serial: string) => tokens.get(serial) ?? null,
    assignHardwareToken: async (_k: unknown, serialNumber: string) => ({ serialNumber }),
  };
  const conn = { idp, idpKey: () => ({ domain: 'fjordby.dk', username: 'bobe' }) } as unknown as Connections;
  const service = createTokensService({ connections: () => conn, index: () => ({ refreshPerson: async () => null }) as unknown as PeopleIndex });
  const ctx = {
    target: { person: { id: 'p1', dn: 'CN=Bo,DC=fjordby,DC=dk', username: 'bobe' } },
    requireSession: () => ({ operator: { username: 'op', displayName: 'Op' }, directory: {} }),
  } as unknown as Call;
  const check = (serialNumber: string) => service['people.checkHardwareToken']({ personId: 'p1', serialNumber }, ctx);

  it('each state reads in Danish exactly as main words it, and in English without Danish', async () => {
    const checks = await Promise.all(['KV-1', 'KV-2', 'KV-3', 'KV-9', 'x'].map(check));
    expect(checks.map((c) => c.state)).toEqual(['free', 'assigned-here', 'assigned-other', 'unknown', 'invalid']);
    for (const c of checks) {
      expect(tokenCheckText(c, texts('da')), c.state).toBe(c.message);
      expect(tokenCheckText(c, texts('en')), c.state).not.toMatch(DANISH);
    }
    expect(tokenCheckText(checks[0]!, texts('en'))).toBe('The code display KV-1 is free.');
    for (const state of tokenCheckStates) expect(tokenCheckText({ state, serialNumber: 'KV-1' }, texts('en'))).not.toContain('actions.token');
  });

  it('a serial typed wrong: zod\'s Danish message in Danish, the rule in English', () => {
    const typed = KodeviserSerial.safeParse('K!');
    expect(typed.success).toBe(false);
    const message = typed.error?.issues[0]?.message;
    expect(tokenCheckText({ state: 'invalid', serialNumber: 'K!', message }, texts('da'))).toBe(message);
    expect(tokenCheckText({ state: 'invalid', serialNumber: 'K!', message }, texts('en'))).toMatch(/^Type the serial number/);
  });

  it('the assignment answers by code: Danish as main words it, English without Danish', async () => {
    for (const serialNumber of ['KV-1', 'KV-2']) {
      const r = await service['people.assignHardwareToken']({ personId: 'p1', serialNumber, reason: 'Ny kodeviser' }, ctx);
      expect(writeText(r, texts('da'), dateTime)).toBe(r.message);
      expect(writeText(r, texts('en'), dateTime)).toMatch(/code display KV-[12]/);
      expect(writeText(r, texts('en'), dateTime)).not.toMatch(DANISH);
    }
  });
});
