import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import type { IdpPort } from '../../../src-main/connectors/idp/idp-port.ts';
import { createAuditShipping } from '../../../src-main/services/audit/shipping.ts';
import { openAuditStore } from '../../../src-main/store/audit-store.ts';
import { openJournal, type Journal } from '../../../src-main/store/journal.ts';
import { startIdpSimulator, type IdpSimulator } from '../../../src-main/training/idp-sim/server.ts';

const operator = { username: 'hd', displayName: 'Helle Dam', dn: 'CN=Helle', roles: ['helpdesk' as const], helpdeskOus: null };
let sim: IdpSimulator;
let idp: IdpPort;
let dir: string;

beforeAll(async () => {
  sim = await startIdpSimulator({ auditEvents: 300 });
  idp = createIdpClient({ baseUrl: sim.url, auth: { kind: 'api-key', apiKey: sim.apiKey }, timeoutMs: 2000, retries: 0 });
  dir = mkdtempSync(join(tmpdir(), 'lia-outbox-'));
});
afterAll(async () => {
  idp.close();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

function append(journal: Journal, n: number, from: number) {
  for (let i = 0; i < n; i++) {
    journal.append({
      kind: 'intent', operation: 'people.unlockAccount', operator, workstation: 'ws', correlationId: `c${from + i}`,
      target: { id: `p${from + i}`, label: `Person ${from + i} (user${from + i})`, ou: 'OU=Borgerservice,DC=kommune,DC=dk' },
      reason: 'Ringede ind', outcome: null, summary: {},
    });
  }
}

const consoleEvents = () => sim.state.audit.filter((e) => e.source === 'console');

describe('audit outbox to the IdP', () => {
  it('delivers every record exactly once across an IdP outage, a lost answer and a console restart', async () => {
    const file = join(dir, 'journal.sqlite');
    let journal = openJournal(file);
    let shipping = createAuditShipping(journal, openAuditStore(journal.file));
    append(journal, 20, 0);

    // The IdP is down: nothing leaves, nothing is lost, the reason is kept for the status bar.
    sim.faults.unavailableRate = 1;
    await shipping.sync(idp);
    expect(shipping.status()).toMatchObject({ pending: 20 });
    expect(shipping.status().lastError).toMatch(/Lokal IdP/);
    expect(consoleEvents()).toHaveLength(0);

    // Back up, but the answer to the first batch is lost after the IdP stored it (and its head).
    sim.faults.unavailableRate = 0;
    sim.faults.dropNextWrites = 1;
    await shipping.sync(idp);
    expect(shipping.status().pending).toBe(20);
    expect(consoleEvents()).toHaveLength(20);
    expect(sim.state.journals.get(journal.identity().journalId)?.heads.map((h) => h.seq)).toEqual([20]);

    // The console restarts (new process, same file) with more records written meanwhile.
    journal.close();
    journal = openJournal(file);
    shipping = createAuditShipping(journal, openAuditStore(journal.file));
    append(journal, 5, 20);
    await shipping.sync(idp);
    expect(shipping.status()).toMatchObject({ pending: 0, lastError: null });

    const shipped = consoleEvents();
    expect(shipped).toHaveLength(25);
    // The repeated batch was answered with the head it had made: one head per acknowledged batch.
    expect(sim.state.journals.get(journal.identity().journalId)?.heads.map((h) => [h.seq, h.hash])).toEqual([
      [20, journal.hashAt(20)],
      [25, journal.hashAt(25)],
    ]);
    expect(new Set(shipped.map((e) => e.eventId)).size).toBe(25);
    expect(shipped.map((e) => e.eventId)).toEqual(journal.list().map((r) => r.id));
    // The reason and the person travel with the event.
    expect(shipped[0]).toMatchObject({ person: { username: 'user0' }, performer: { username: 'hd' } });
    expect(shipped[0]?.message).toContain('Begrundelse: Ringede ind');
    journal.close();
  });

  it('pulls the IdP log into the local cache without the console\'s own events, each once', async () => {
    const journal = openJournal(join(dir, 'pull.sqlite'));
    const store = openAuditStore(journal.file);
    const shipping = createAuditShipping(journal, store);
    await shipping.pull(idp);
    const own = sim.state.audit.filter((e) => e.source !== 'console').length;
    expect(store.count({ actions: [], source: 'idp' })).toBe(own);
    await shipping.pull(idp);
    expect(store.count({ actions: [], source: 'idp' })).toBe(own);
    journal.close();
  });
});
