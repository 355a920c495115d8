import { describe, expect, it } from 'vitest';
import { generatePassphrase, maskCpr, PASSPHRASE_WORDS, PeopleQuery, type PersonRow } from '../../../shared/domain/people.ts';
import { foldText } from '../../../shared/search.ts';
import { checkPassword } from '../../../shared/domain/policies.ts';
import { defaultPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { Connections } from '../../../src-main/ports.ts';
import { toCsv } from '../../../src-main/services/people/export.ts';
import { createPeopleIndex } from '../../../src-main/services/people/index/people-index.ts';
import { syncSystemsFor } from '../../../src-main/services/people/sync/systems.ts';
import { createTrainingDirectory } from '../../../src-main/training/directory.ts';
import { generateTrainingAccounts, TRAINING_PASSWORD } from '../../../src-main/training/seed.ts';
import { oneDomainRules } from '../../../src-main/connectors/domain-rules.ts';

describe('search folding and CPR masking', () => {
  it('folds case, æ/ø/å and accents so every spelling meets', () => {
    expect(foldText('Søren Ærø Åge')).toBe('soeren aeroe aage');
    expect(foldText('SØREN')).toBe(foldText('soeren'));
    expect(foldText('Agnès')).toBe('agnes');
  });

  it('masks a CPR number as ddmmyy-XXXX and refuses anything that is not ten digits', () => {
    expect(maskCpr('0101901234')).toBe('010190-XXXX');
    expect(maskCpr('010190-1234')).toBe('010190-XXXX');
    expect(maskCpr('12345')).toBeNull();
    expect(maskCpr(null)).toBeNull();
  });
});

describe('speakable passphrases', () => {
  it('are four capitalised words and a number, and meet the NSIS password policy', () => {
    const nsis = defaultPolicySettings(true);
    for (let i = 0; i < 200; i++) {
      const p = generatePassphrase();
      expect(p).toMatch(/^[A-ZÆØÅ][a-zæøå]+(-[A-ZÆØÅ][a-zæøå]+){3,}-\d{2}$/);
      expect(checkPassword(p, nsis, { username: 'zzqx', displayName: 'Zzq Xxq' })).toEqual([]);
    }
  });

  it('get one more word when four short ones fall below the NSIS minimum of 15 characters', () => {
    const nsis = defaultPolicySettings(true);
    // The draws that once gave "Te-Ko-Eg-Te-69" in a test run: the number first, then the words.
    const seq = [59, ...['te', 'ko', 'eg', 'te', 'ko'].map((w) => PASSPHRASE_WORDS.indexOf(w))];
    let i = 0;
    const p = generatePassphrase(() => seq[i++] ?? 0);
    expect(p).toBe('Te-Ko-Eg-Te-Ko-69');
    expect(checkPassword(p, nsis, { username: 'zzqx', displayName: 'Zzq Xxq' })).toEqual([]);
  });

  it('draw from the random source they are given (no Math.random)', () => {
    const zero = () => 0;
    expect(generatePassphrase(zero)).toBe(generatePassphrase(zero));
    expect(generatePassphrase(zero)).toMatch(/-10$/);
  });
});

describe('the people index over the training directory (AD only)', () => {
  const accounts = generateTrainingAccounts(undefined, 3000);
  const directory = createTrainingDirectory(accounts);
  const conn = {
    directory,
    createClaims: null,
    idp: null,
    mitid: null,
    rulesFor: oneDomainRules({ linkRule: { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false }, signingGroupDn: null }),
    idpKey: (_dn: string, username: string) => ({ domain: 'fjordby.kommune.test', username }),
    status: async () => [],
    close: async () => {},
  } satisfies Connections;

  it('serves filtered, sorted views and exports exactly them', async () => {
    const session = await directory.signIn('admin', TRAINING_PASSWORD);
    const index = createPeopleIndex(conn, { systems: syncSystemsFor(conn), tickMs: 0 });
    await index.ensure(session);
    const all = index.query(PeopleQuery.parse({}));
    expect(all.indexed).toBe(accounts.length);
    expect(index.sources().map((s) => s.state)).toEqual(['ok', 'not-configured', 'not-configured']);
    // Without MitID Erhverv nothing is called drift.
    expect(all.rows.every((r) => r.drift.length === 0 && r.mitid.state === 'unknown')).toBe(true);

    const locked = index.query(PeopleQuery.parse({ filter: { adLocked: 'yes', ou: 'Sundhed og Omsorg' }, sort: 'username', dir: 'desc' }));
    const expected = accounts.filter((a) => a.locked && a.ouPath[0] === 'Sundhed og Omsorg').map((a) => a.username);
    expect(locked.rows.map((r) => r.username).sort()).toEqual([...expected].sort());
    const names = locked.rows.map((r) => r.username);
    expect(names).toEqual([...names].sort((a, b) => new Intl.Collator('da-DK', { numeric: true, sensitivity: 'base' }).compare(b, a)));

    const hits = index.query(PeopleQuery.parse({ text: 'MADS brønd' }));
    expect(hits.rows.length).toBeGreaterThan(0);
    // Every word must match somewhere (name, username, e-mail or employee number).
    const folded = hits.rows.map((r) => foldText(`${r.displayName} ${r.username} ${r.email}`));
    expect(folded.every((f) => f.includes('mads') && f.includes('broend'))).toBe(true);
    expect(hits.rows.length).toBe(accounts.filter((a) => foldText(`${a.displayName} ${a.username} ${a.email ?? ''} ${a.employeeId ?? ''}`).includes('mads') && foldText(`${a.displayName} ${a.username} ${a.email ?? ''}`).includes('broend')).length);

    const csv = toCsv(locked.rows, ['displayName', 'username', 'adState']).toString('utf8');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('\uFEFF"Navn";"Brugernavn";"AD-status"');
    expect(lines.length - 1).toBe(locked.rows.length);
    expect(lines[1]).toBe(`"${locked.rows[0]!.displayName}";"${locked.rows[0]!.username}";"Aktiv, Låst"`);
  });

  it('quotes fields with semicolons and quotes so a name can never shift a column', () => {
    const row = { displayName: 'Ib "Bamse"; Larsen', username: 'ib', ad: null, mitid: { state: 'none' }, idp: {}, drift: [] } as unknown as PersonRow;
    const csv = toCsv([row], ['displayName', 'username']).toString('utf8');
    expect(csv.split('\r\n')[1]).toBe('"Ib ""Bamse""; Larsen";"ib"');
  });
});
