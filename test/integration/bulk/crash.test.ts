// The acceptance test for bulk jobs: an OU of 300 people without MitID Erhverv identities gets the
// local authenticator while the simulator answers 10% of requests with 503; the console process running
// the job is killed (SIGKILL) halfway; a new process on the same data folder resumes the job. Every person
// ends up assigned and the simulator counts exactly one create per person.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { identityFor } from '../../../src-main/services/mitid/actions.ts';
import { accounts, actor, fastClient, operator, pieces, rule, type Pieces } from './harness.ts';

let p: Pieces;
beforeAll(async () => {
  p = await pieces({ people: accounts(300) });
});
afterAll(async () => p.dispose());

it('assigns 300 people through 10% 503s and a killed console, creating each identity exactly once', { timeout: 180_000 }, async () => {
  const planned = await p.bulk.plan(p.session, operator, 'assign-local', { kind: 'ou', ou: p.ou });
  expect(planned.plan).toEqual({ create: 300 });
  expect(p.sim.createCount).toBe(0);
  const jobId = planned.id;
  // The first console lets go of the file; the child process is now the console.
  p.journal.close();

  p.sim.faults.unavailableRate = 0.1;
  // And now and then an answer lost after the change was applied (the client must find out, not repeat).
  p.sim.faults.dropAfterApplyRate = 0.02;
  const configFile = join(p.dataDir, 'child.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      dbFile: p.dbFile,
      resultDir: p.resultDir,
      jobId,
      concurrency: 8,
      rule,
      operator,
      sim: { url: p.sim.url, pfx: Buffer.from(p.sim.client.pfx).toString('base64'), passphrase: p.sim.client.passphrase, caPem: p.sim.caPem },
      client: fastClient,
    }),
  );
  const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-child.ts'), configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const doneAtKill = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const done = Number(/^progress (\d+)/.exec(line)?.[1] ?? 0);
        if (done >= 150 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          resolve(done);
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the console process ended on its own (${code}): ${stderr}`));
    });
  });
  await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
  expect(doneAtKill).toBeGreaterThanOrEqual(150);
  expect(doneAtKill).toBeLessThan(300);
  // Requests the killed process had sent are still being applied by the simulator: let them land.
  await new Promise((r) => setTimeout(r, 300));

  // The console starts again on the same data folder: the job is found interrupted, not running.
  p.reopen();
  const recovered = p.bulk.get(jobId, [], 0, 0).job;
  expect(recovered.state).toBe('paused');
  expect(recovered.pause?.code).toBe('interrupted');
  expect(recovered.counts.done).toBeGreaterThanOrEqual(doneAtKill);
  expect(recovered.counts.inFlight).toBe(0);
  const interrupted = p.journal.list({ limit: 100_000 }).find((r) => r.correlationId === jobId && r.summary.event === 'interrupted');
  expect(interrupted?.summary.inFlight).toBeTypeOf('number');
  console.log(`killed at ${doneAtKill} done; ${String(interrupted?.summary.inFlight)} row(s) were in flight`);
  // Rows finished before the crash are not touched again.
  const finishedBefore = new Map(p.bulk.get(jobId, ['done'], 0, 5000).rows.map((r) => [r.seq, r.updatedAt]));
  const seqBefore = p.journal.count();

  p.bulk.resume(jobId, actor, 'Genoptager efter nedbrud');
  await p.bulk.whenIdle(jobId);
  const { job, rows } = p.bulk.get(jobId, [], 0, 5000);
  expect(job.state).toBe('completed');
  expect(job.counts).toMatchObject({ total: 300, done: 300, failed: 0, pending: 0, inFlight: 0 });
  expect(rows.every((r) => ['created', 'reconciled'].includes(r.result ?? ''))).toBe(true);
  for (const r of rows.filter((x) => finishedBefore.has(x.seq))) expect(r.updatedAt).toBe(finishedBefore.get(r.seq));
  const rerun = p.journal.list({ afterSeq: seqBefore, limit: 100_000 }).filter((r) => r.operation === 'bulk.row' && r.kind === 'intent');
  expect(rerun.length).toBeGreaterThanOrEqual(300 - finishedBefore.size);
  expect(rerun.some((r) => finishedBefore.has(Number(r.summary.seq)))).toBe(false);

  // Zero duplicate creates: one create per person, and one identity per person in MitID Erhverv.
  p.sim.faults.reset();
  expect(p.sim.createCount).toBe(300);
  expect(p.sim.state.all()).toHaveLength(300);
  for (const person of p.people.slice(0, 40)) {
    const st = await identityFor(p.client, rule, { username: person.username, givenName: person.givenName, surname: person.surname, email: person.email });
    expect(st.localCredential?.id).toBe(`${person.username}@fjordby.dk`);
  }
  const emails = new Set(p.sim.state.all().map((i) => i.emailAddress));
  expect(emails.size).toBe(300);

  // Auditors see who was assigned in which job: one successful row record per person, under the job's id.
  const rowOutcomes = p.journal.list({ limit: 100_000 }).filter((r) => r.correlationId === jobId && r.operation === 'bulk.row' && r.kind === 'outcome' && r.outcome === 'success');
  expect(new Set(rowOutcomes.map((r) => r.targetId)).size).toBe(300);
  expect(p.journal.verify().ok).toBe(true);
  // The result file: one line per person plus the header.
  const file = p.bulk.resultFile(jobId);
  expect(file.csv.startsWith('\uFEFFRække;Brugernavn;')).toBe(true);
  expect(file.csv.trim().split('\r\n')).toHaveLength(301);
});
