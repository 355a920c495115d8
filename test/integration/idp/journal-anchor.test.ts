// The IdP admin API's journal anchor and attestation, through the real client against the simulator over
// real HTTP: batches that must continue the acknowledged chain, heads read back by seq, signatures that
// verify with the certificate, and the simulator's change log keeping all of it across a restart.
import { createHash, randomUUID, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/errors.ts';
import type { ChainedEvent, JournalBatch } from '../../../shared/idp/journal.ts';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import type { IdpPort } from '../../../src-main/connectors/idp/idp-port.ts';
import { startIdpSimulator, type IdpSimulator } from '../../../src-main/training/idp-sim/server.ts';

const people = [{ username: 'anhe', domain: 'kommune.dk', displayName: 'Anne Hansen' }];
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-anchor-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake chain of `n` records after `prev`, as a console would ship it. */
function chain(from: number, n: number, prevHash: string, tag = 'a'): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let prev = prevHash;
  for (let seq = from; seq < from + n; seq++) {
    const hash = sha(`${tag}:${seq}:${prev}`);
    out.push({
      seq, hash, prevHash: prev,
      event: { eventId: randomUUID(), time: new Date().toISOString(), action: 'people.unlockAccount', message: 'AD-konto låst op', performer: { username: 'hd' }, person: null, correlationId: null, reason: 'Ringede ind', details: null },
    });
    prev = hash;
  }
  return out;
}
const batch = (journalId: string, events: ChainedEvent[]): JournalBatch => ({
  journal: { journalId, workstation: 'PC-042', createdAt: '2026-11-01T08:00:00.000Z' },
  events,
  head: { seq: events.at(-1)!.seq, hash: events.at(-1)!.hash },
});

async function rejection(p: Promise<unknown>): Promise<ConsoleError> {
  const e = await p.then(() => new Error('expected a rejection'), (x: unknown) => x);
  expect(e).toBeInstanceOf(ConsoleError);
  return e as ConsoleError;
}

describe('journal anchor', () => {
  let sim: IdpSimulator;
  let idp: IdpPort;
  beforeAll(async () => {
    sim = await startIdpSimulator({ people, auditEvents: 50 });
    idp = createIdpClient({ baseUrl: sim.url, auth: { kind: 'api-key', apiKey: sim.apiKey }, timeoutMs: 2000, retryDelayMs: 10 });
  });
  afterAll(async () => {
    idp.close();
    await sim.stop();
  });

  it('acknowledges batches that continue the chain and answers "what was the hash at seq N"', async () => {
    const id = randomUUID();
    const first = chain(1, 3, '0'.repeat(64));
    const second = chain(4, 2, first.at(-1)!.hash);
    expect((await idp.shipJournalBatch(batch(id, first))).head).toMatchObject({ seq: 3, hash: first[2]!.hash });
    // A retry of the same batch (its answer was lost) changes nothing and gets the same head.
    const again = await idp.shipJournalBatch(batch(id, first));
    expect(again.head.seq).toBe(3);
    expect(again.events.every((e) => !e.created)).toBe(true);
    await idp.shipJournalBatch(batch(id, second));

    expect(await idp.getJournal(id)).toMatchObject({ journalId: id, workstation: 'PC-042', head: { seq: 5, hash: second[1]!.hash }, heads: 2 });
    expect((await idp.journalHeads(id, 0)).items.map((h) => h.seq)).toEqual([3, 5]);
    expect(await idp.journalHeadAt(id, 3)).toMatchObject({ seq: 3, hash: first[2]!.hash });
    expect(await idp.journalHeadAt(id, 4)).toBeNull();
    expect((await idp.listJournals('pc-042')).map((j) => j.journalId)).toContain(id);
    expect(await idp.getJournal(randomUUID())).toBeNull();
  });

  it('refuses a re-hashed, truncated or gapped continuation, and stores nothing of it', async () => {
    const id = randomUUID();
    const first = chain(1, 4, '0'.repeat(64));
    await idp.shipJournalBatch(batch(id, first));
    const before = sim.state.audit.length;

    // Records 3-6 re-hashed: record 5 no longer builds on the acknowledged hash of record 4.
    const rehashed = chain(3, 4, first[1]!.hash, 'forged');
    const e1 = await rejection(idp.shipJournalBatch(batch(id, rehashed)));
    expect(e1.code).toBe('conflict');
    expect(e1.message).toContain('Post 5 bygger ikke på den hash, IdP\'en bekræftede ved post 4');

    // A batch that starts after a gap, and one that rewrites the acknowledged head itself.
    const e2 = await rejection(idp.shipJournalBatch(batch(id, chain(7, 2, sha('x')))));
    expect(e2.message).toContain('Partiet begynder ved post 7, men IdP\'en har kun bekræftet til post 4');
    const e3 = await rejection(idp.shipJournalBatch(batch(id, chain(1, 4, '0'.repeat(64), 'other'))));
    expect(e3.message).toContain('passer ikke med det bekræftede');
    expect(sim.state.audit.length).toBe(before);
    expect((await idp.getJournal(id))?.head?.seq).toBe(4);
  });

  it('refuses a batch that is not a chain before sending it', async () => {
    const events = chain(1, 3, '0'.repeat(64));
    events[2] = { ...events[2]!, prevHash: sha('elsewhere') };
    const e = await rejection(idp.shipJournalBatch(batch(randomUUID(), events)));
    expect(e.code).toBe('validation');
    expect(e.message).toContain('Partiet er ikke en sammenhængende kæde ved post 3');
  });

  it('signs a manifest with a key whose certificate it hands out, and logs the digest', async () => {
    const cert = await idp.attestationCertificate();
    const x = new X509Certificate(cert.certificatePem);
    expect(cert.fingerprintSha256).toBe(x.fingerprint256);
    const manifest = Buffer.from('{"rows": 3, "navn": "Søren Ågesen"}\n');
    const a = await idp.attest({ purpose: 'evidence-manifest', manifestBase64: manifest.toString('base64'), journalId: null, actor: { username: 'revisor' } });
    expect(a.manifestSha256).toBe(createHash('sha256').update(manifest).digest('hex'));
    expect(a.certificate.fingerprintSha256).toBe(cert.fingerprintSha256);
    expect(verify('sha256', manifest, x.publicKey, Buffer.from(a.signatureBase64, 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from('{"rows": 4}\n'), x.publicKey, Buffer.from(a.signatureBase64, 'base64'))).toBe(false);
    expect(sim.state.audit.at(-1)).toMatchObject({ action: 'LIA_EVIDENCE_ATTESTED', performer: { username: 'revisor' } });
    expect(sim.state.audit.at(-1)?.message).toContain(a.manifestSha256);
  });
});

describe('the simulator\'s change log', () => {
  it('keeps journals, heads and the attestation key across a restart, one appended line per write', async () => {
    const changeLog = join(dir, 'idp.log');
    const opts = { people, auditEvents: 200, changeLog, apiKey: 'k' };
    const s1 = await startIdpSimulator(opts);
    const c1 = createIdpClient({ baseUrl: s1.url, auth: { kind: 'api-key', apiKey: 'k' } });
    const id = randomUUID();
    const events = chain(1, 5, '0'.repeat(64));
    await c1.shipJournalBatch(batch(id, events));
    const fingerprint = (await c1.attestationCertificate()).fingerprintSha256;
    const pol = await c1.getPasswordPolicy('kommune.dk');
    await c1.updatePasswordPolicy('kommune.dk', { basedOnVersion: pol.version, settings: { ...pol.settings, minLength: 18 }, actor: { username: 'admin' }, reason: 'Skærpet efter revision' });
    const log = s1.state.audit.slice();
    const size = statSync(changeLog).size;
    c1.close();
    await s1.stop();
    // Stopping does not rewrite the whole state.
    expect(statSync(changeLog).size).toBe(size);

    const s2 = await startIdpSimulator(opts);
    const c2 = createIdpClient({ baseUrl: s2.url, auth: { kind: 'api-key', apiKey: 'k' } });
    try {
      expect(await c2.getJournal(id)).toMatchObject({ head: { seq: 5, hash: events[4]!.hash } });
      expect((await c2.attestationCertificate()).fingerprintSha256).toBe(fingerprint);
      expect((await c2.getPasswordPolicy('kommune.dk')).settings.minLength).toBe(18);
      // The replayed state is the same, times included.
      expect(s2.state.audit).toEqual(log);
    } finally {
      c2.close();
      await s2.stop();
    }
  });
});
