import { describe, expect, it } from 'vitest';
import { SyncMethod, SyncPhase, syncMethodCodes, syncPhaseCodes } from '../../../shared/domain/sync.ts';
import { formatterFor } from '../../../src-renderer/app/format.ts';
import { syncMethodText, syncPhaseText } from '../../../src-renderer/app/server-text.ts';
import { texts } from './locale-texts.ts';

// The people list's sync status (what a read is doing, how it was done) crosses from main by code and
// values; the renderer words it from the real locale tables, in the operator's language (#18).

const number = (language: 'da' | 'en') => formatterFor(language).number;
const phase = (p: SyncPhase, l: 'da' | 'en') => syncPhaseText(p, texts(l), number(l));
const method = (m: SyncMethod, l: 'da' | 'en') => syncMethodText(m, texts(l), number(l));

/** Words only Danish text brings onto an English screen. */
const DANISH = /\b(og|ikke|er|af|den|det|til|side|sider|læst|læsning|venter|sletninger|minut|hvert|kald|budget [0-9.]+ af|kørt|nu|fuld|ændringer|personer|identiteter|genvalideret|søgning|søger|tjekker|starter|lokal)\b|[æøå]/i;
const slowed = { rate: 1230, limit: 2460, waitSeconds: 1200 };

// Every code with values that reach each branch of its wording. Typed per code: a new code without an
// example here does not compile, and the check below that every code is listed fails too.
type Examples<U extends { code: string }> = { [C in U['code']]: Array<Extract<U, { code: C }>> };
const phases: Examples<SyncPhase> = {
  starting: [{ code: 'starting', params: {} }],
  adCounter: [{ code: 'adCounter', params: {} }],
  adFull: [{ code: 'adFull', params: { why: 'first' } }, { code: 'adFull', params: { why: 'otherDc' } }, { code: 'adFull', params: { why: 'counterBack' } }, { code: 'adFull', params: { why: 'noCounter' } }],
  adChanges: [{ code: 'adChanges', params: {} }],
  adSweep: [{ code: 'adSweep', params: {} }],
  idpFeed: [{ code: 'idpFeed', params: { page: 1, full: true } }, { code: 'idpFeed', params: { page: 1200, full: false } }],
  idpDone: [{ code: 'idpDone', params: {} }],
  idpCheck: [{ code: 'idpCheck', params: {} }],
  mitidSearch: [{ code: 'mitidSearch', params: {} }],
  mitidChanged: [{ code: 'mitidChanged', params: {} }],
  mitidRevalidate: [{ code: 'mitidRevalidate', params: { budget: { rate: 460, limit: 460, waitSeconds: 0 } } }, { code: 'mitidRevalidate', params: { budget: slowed } }],
  mitidDone: [{ code: 'mitidDone', params: { changed: 1, revalidated: 12345, budget: slowed } }],
  mitidCheck: [{ code: 'mitidCheck', params: {} }],
};
const methods: Examples<SyncMethod> = {
  adFull: [{ code: 'adFull', params: { why: 'first' } }, { code: 'adFull', params: { why: 'otherDc' } }, { code: 'adFull', params: { why: 'counterBack' } }, { code: 'adFull', params: { why: 'noCounter' } }],
  adDelta: [{ code: 'adDelta', params: { sweepMinutes: 30, swept: true } }, { code: 'adDelta', params: { sweepMinutes: 1, swept: false } }],
  readNow: [{ code: 'readNow', params: {} }],
  idpFeed: [{ code: 'idpFeed', params: { pages: 1, full: false } }, { code: 'idpFeed', params: { pages: 1200, full: true } }],
  mitidWaiting: [{ code: 'mitidWaiting', params: { budget: slowed } }],
  mitidRead: [
    { code: 'mitidRead', params: { searched: 100000, changed: 2, revalidated: 1, stopped: false, waiting: 0, failed: 0, budget: { rate: 460, limit: 460, waitSeconds: 0 } } },
    { code: 'mitidRead', params: { searched: 1, changed: 0, revalidated: 0, stopped: true, waiting: 1, failed: 3, budget: slowed } },
  ],
  legacy: [{ code: 'legacy', params: {} }],
};
const allPhases = Object.values(phases).flat() as SyncPhase[];
const allMethods = Object.values(methods).flat() as SyncMethod[];

/** A text i18next could not find comes back as its key, and a value not given stays as its placeholder. */
const unworded = (s: string) => /\bsync\.|\{\{|undefined|NaN|\[object/.test(s);

describe('the people list\'s sync status, worded by the renderer', () => {
  it('the examples cover every phase and method code, and each is what main may send', () => {
    expect(Object.keys(phases).sort()).toEqual([...syncPhaseCodes].sort());
    expect(Object.keys(methods).sort()).toEqual([...syncMethodCodes].sort());
    for (const p of allPhases) expect(SyncPhase.safeParse(p).success, p.code).toBe(true);
    for (const m of allMethods) expect(SyncMethod.safeParse(m).success, m.code).toBe(true);
  });

  it('every code has a wording in both languages: none reads as its key or a bare placeholder', () => {
    for (const l of ['da', 'en'] as const) {
      for (const p of allPhases) expect(phase(p, l), `${l} phase ${JSON.stringify(p)}`).not.toSatisfy(unworded);
      for (const m of allMethods) expect(method(m, l), `${l} method ${JSON.stringify(m)}`).not.toSatisfy(unworded);
    }
  });

  it('the English wording of each phase and method has no Danish in it', () => {
    for (const p of allPhases) expect(phase(p, 'en'), JSON.stringify(p)).not.toMatch(DANISH);
    for (const m of allMethods) expect(method(m, 'en'), JSON.stringify(m)).not.toMatch(DANISH);
  });

  it('reads in Danish as the adapters used to say it', () => {
    expect(method({ code: 'adDelta', params: { sweepMinutes: 30, swept: true } }, 'da')).toBe('uSNChanged-delta; sletninger: objectGUID-gennemgang hvert 30. minut (kørt nu)');
    expect(method({ code: 'adFull', params: { why: 'otherDc' } }, 'da')).toBe('fuld læsning (en anden domænecontroller eller en gendannet database)');
    expect(method({ code: 'idpFeed', params: { pages: 3, full: true } }, 'da')).toBe('ændringsfeed, 3 sider (fuld læsning)');
    expect(method({ code: 'idpFeed', params: { pages: 1, full: false } }, 'da')).toBe('ændringsfeed, 1 side');
    expect(method({ code: 'mitidWaiting', params: { budget: { rate: 15, limit: 30, waitSeconds: 120 } } }, 'da')).toBe('venter (budget 15 af 30 kald/min, venter 120 s efter besked fra MitID Erhverv)');
    expect(phase({ code: 'idpFeed', params: { page: 2, full: false } }, 'da')).toBe('Læser ændringer fra Lokal IdP (side 2)');
    expect(phase({ code: 'adFull', params: { why: 'first' } }, 'da')).toBe('Læser hele Active Directory (første læsning)');
  });

  it('reads in English with its values, figures through the locale\'s formatter', () => {
    expect(method({ code: 'adDelta', params: { sweepMinutes: 30, swept: true } }, 'en')).toBe('uSNChanged delta; deletions: objectGUID sweep every 30 minutes (ran now)');
    expect(method({ code: 'idpFeed', params: { pages: 1, full: false } }, 'en')).toBe('change feed, 1 page');
    const read = { code: 'mitidRead', params: { searched: 100000, changed: 2, revalidated: 1, stopped: true, waiting: 4, failed: 3, budget: slowed } } as const;
    expect(method(read, 'en')).toBe('search with 100,000 identities, 2 new/changed read, 1 revalidated, MitID Erhverv asked for quiet – 4 wait until next time, 3 could not be read; budget 1,230 of 2,460 calls/min, waiting 1,200 s as MitID Erhverv asked');
    expect(method(read, 'da')).toBe('søgning med 100.000 identiteter, 2 nye/ændrede læst, 1 genvalideret, MitID Erhverv bad om ro – 4 venter til næste gang, 3 kunne ikke læses; budget 1.230 af 2.460 kald/min, venter 1.200 s efter besked fra MitID Erhverv');
    expect(phase({ code: 'idpFeed', params: { page: 1200, full: true } }, 'en')).toBe('Reading all people from Local IdP (page 1,200)');
    expect(method({ code: 'legacy', params: {} }, 'en')).toBe('read by an earlier version of the console');
  });
});
