// Evidence a forger cannot re-hash: a package made by the training environment is signed by the
// (simulated) IdP and checked here with the commands the README gives — sha256sum and openssl, spawned
// for real — and with the console's "Kontrollér en pakke". A package whose CSV, SHA256SUMS and manifest
// were rewritten consistently passes sha256sum but fails openssl and the console; a file added to the
// package is caught by the console (sha256sum -c does not report it); a package made while the IdP is
// unreachable completes and says plainly that it is unsigned.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalCheck, PackageCheck } from '../../../shared/domain/audit.ts';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { exportEvidence, type EvidenceResult } from '../../../src-main/services/audit/evidence.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { caller, TRAINING_PASSWORD } from '../../support/core.ts';
import { sqlOf } from '../../support/sql.ts';

let dataDir: string;
let core: Core;
let auditor: ReturnType<typeof caller>;

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8' });

async function exportPackage(): Promise<{ folder: string; result: EvidenceResult }> {
  const r = await core.dispatch('audit.exportEvidence', { from: today(), to: today(), scope: { kind: 'all' } }, auditor);
  if (!r.ok) throw new Error(r.error.message);
  const id = (r.data as { job: { id: string } }).job.id;
  for (let i = 0; i < 1500; i++) {
    const j = await core.dispatch('jobs.get', { id }, auditor);
    if (!j.ok) throw new Error(j.error.message);
    const job = (j.data as { job: { state: string; result: unknown; error: unknown } }).job;
    if (job.state === 'succeeded') return { folder: (job.result as EvidenceResult).folder, result: job.result as EvidenceResult };
    if (job.state !== 'running') throw new Error(JSON.stringify(job.error));
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('export did not finish');
}

async function checkPackage(folder: string): Promise<PackageCheck> {
  const r = await core.dispatch('audit.verifyPackage', { folder }, auditor);
  if (!r.ok) throw new Error(r.error.message);
  return r.data as PackageCheck;
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lia-evidence-'));
  core = await createCore({
    trainingSimulators: true, auditSyncIntervalMs: 0, dataDir, settings: fileSettingsStore(join(dataDir, 'settings.json')),
    secrets: memorySecretStore(), version: '0.0.0-test', logError: () => {},
  });
  await core.startupCheck;
  const hd = caller();
  await core.dispatch('session.login', { username: 'helpdesk', password: TRAINING_PASSWORD }, hd);
  const people = await core.dispatch('people.search', { text: '', limit: 1000 }, hd);
  if (!people.ok) throw new Error(people.error.message);
  for (const p of (people.data as { items: Array<{ id: string; locked: boolean }> }).items.filter((x) => x.locked).slice(0, 3)) {
    await core.dispatch('people.unlockAccount', { personId: p.id, reason: 'Ringede selv, identitet bekræftet' }, hd);
  }
  await core.syncAudit();
  auditor = caller();
  await core.dispatch('session.login', { username: 'revisor', password: TRAINING_PASSWORD }, auditor);
}, 120_000);
afterAll(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a signed evidence package', { timeout: 120_000 }, () => {
  it('verifies offline with sha256sum and openssl, exactly as the README says, and in the console', async () => {
    const { folder, result } = await exportPackage();
    expect(readdirSync(folder).sort()).toEqual(['SHA256SUMS', 'haendelser.csv', 'haendelser.xlsx', 'idp-certificate.pem', 'idp-public-key.pem', 'manifest.json', 'manifest.json.sig', 'rapport.pdf']);
    expect(result.attestation).toMatchObject({ signed: true, algorithm: 'RSA-SHA256' });

    // sha256sum -c: every line OK.
    const sums = run('sha256sum', ['-c', 'SHA256SUMS'], folder);
    expect(sums.status).toBe(0);
    expect(sums.stdout.trim().split('\n')).toHaveLength(7);
    // openssl: the IdP's signature over the manifest, with the public key in the package.
    const dgst = run('openssl', ['dgst', '-sha256', '-verify', 'idp-public-key.pem', '-signature', 'manifest.json.sig', 'manifest.json'], folder);
    expect(dgst.stdout.trim()).toBe('Verified OK');
    expect(dgst.status).toBe(0);
    // The key belongs to the certificate, and the certificate's fingerprint is the IdP's (as the console shows it).
    expect(execFileSync('openssl', ['x509', '-in', 'idp-certificate.pem', '-pubkey', '-noout'], { cwd: folder, encoding: 'utf8' })).toBe(readFileSync(join(folder, 'idp-public-key.pem'), 'utf8'));
    const fp = execFileSync('openssl', ['x509', '-in', 'idp-certificate.pem', '-noout', '-fingerprint', '-sha256'], { cwd: folder, encoding: 'utf8' });
    const shown = await core.dispatch('audit.attestationCertificate', {}, auditor);
    if (!shown.ok) throw new Error(shown.error.message);
    const fingerprint = (shown.data as { certificate: { fingerprintSha256: string } }).certificate.fingerprintSha256;
    expect(fp.trim()).toBe(`sha256 Fingerprint=${fingerprint}`);

    // The manifest holds period, scope, producer, rows, the chain result with the IdP comparison, the head, every file.
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'lokal-idp-admin/evidence@2',
      period: { from: today(), to: today() },
      scope: 'Alle hændelser',
      createdBy: { username: 'revisor' },
      journal: { ok: true, chainIntact: true, findings: [], idp: { state: 'confirmed' }, head: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } },
      attestation: { signed: true, certificateFingerprintSha256: fingerprint },
    });
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(['haendelser.csv', 'haendelser.xlsx', 'rapport.pdf']);
    expect(manifest.rows).toBeGreaterThan(0);

    expect(await checkPackage(folder)).toMatchObject({ ok: true, problems: [], signature: { state: 'valid', matchesIdp: true, certificate: { fingerprintSha256: fingerprint } } });

    // Owner only, on POSIX: the folder 0700, every file 0600.
    expect(statSync(core.evidenceDir).mode & 0o777).toBe(0o700);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(folder)) expect(statSync(join(folder, f)).mode & 0o777).toBe(0o600);
  });

  it('a forged package (CSV, SHA256SUMS and manifest rewritten consistently) passes sha256sum but not openssl or the console', async () => {
    const { folder } = await exportPackage();
    const csvFile = join(folder, 'haendelser.csv');
    writeFileSync(csvFile, readFileSync(csvFile, 'utf8').replace(/Ringede selv, identitet bekræftet/g, 'Efter aftale med chefen'));
    const manifestFile = join(folder, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const csvBytes = readFileSync(csvFile);
    manifest.files[0] = { ...manifest.files[0], bytes: csvBytes.length, sha256: sha(csvBytes) };
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
    const lines = readFileSync(join(folder, 'SHA256SUMS'), 'utf8').split('\n').filter(Boolean).map((l) => {
      const name = l.slice(66);
      return `${sha(readFileSync(join(folder, name)))}  ${name}`;
    });
    writeFileSync(join(folder, 'SHA256SUMS'), lines.join('\n') + '\n');

    expect(run('sha256sum', ['-c', 'SHA256SUMS'], folder).status).toBe(0); // what sha256sum alone cannot see
    const dgst = run('openssl', ['dgst', '-sha256', '-verify', 'idp-public-key.pem', '-signature', 'manifest.json.sig', 'manifest.json'], folder);
    expect(dgst.status).not.toBe(0);
    expect(dgst.stdout).toContain('Verification failure');
    const c = await checkPackage(folder);
    expect(c).toMatchObject({ ok: false, signature: { state: 'invalid' } });
    expect(c.problems).toContain('Underskriften passer ikke til manifest.json: manifestet er ændret efter, at IdP\'en underskrev det.');
  });

  it('a forger who re-signs with a key of their own is told apart by the certificate', async () => {
    const { folder } = await exportPackage();
    // A self-made key and certificate that claim to be the IdP's, and a fresh signature with them.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(folder, '..', 'forger.key'), '-out', join(folder, 'idp-certificate.pem'), '-days', '1', '-subj', '/CN=Lokal IdP-simulator/O=Traeningsmiljoe'], { stdio: 'pipe' });
    execFileSync('openssl', ['x509', '-in', 'idp-certificate.pem', '-pubkey', '-noout', '-out', 'idp-public-key.pem'], { cwd: folder });
    execFileSync('openssl', ['dgst', '-sha256', '-sign', join(folder, '..', 'forger.key'), '-out', 'manifest.json.sig', 'manifest.json'], { cwd: folder });
    rmSync(join(folder, '..', 'forger.key'));
    const c = await checkPackage(folder);
    expect(c.ok).toBe(false);
    expect(c.signature).toMatchObject({ state: 'valid', matchesIdp: false });
    expect(c.signature.certificate?.fingerprintSha256).toBe(new X509Certificate(readFileSync(join(folder, 'idp-certificate.pem'))).fingerprint256);
    expect(c.problems.join(' ')).toContain('Pakken er underskrevet med et certifikat, som IdP\'en ikke bruger nu');
  });

  it('a file added to the package is reported by the console; sha256sum -c does not', async () => {
    const { folder } = await exportPackage();
    writeFileSync(join(folder, 'tillaeg.csv'), '"forfalsket"\r\n');
    expect(run('sha256sum', ['-c', 'SHA256SUMS'], folder).status).toBe(0);
    const c = await checkPackage(folder);
    expect(c.ok).toBe(false);
    expect(c.problems).toEqual(['tillaeg.csv står ikke i manifestet eller i SHA256SUMS: filen er lagt til pakken bagefter.']);
    // An edited file is caught by both.
    appendFileSync(join(folder, 'haendelser.csv'), '"mere"\r\n');
    expect(run('sha256sum', ['-c', 'SHA256SUMS'], folder).status).not.toBe(0);
    expect((await checkPackage(folder)).problems).toContain('haendelser.csv er ændret (SHA-256 passer ikke).');
  });

  it('a tampered journal is written into the report and the manifest', async () => {
    sqlOf(core.journal).exec("UPDATE journal SET reason = 'Efter aftale' WHERE seq = (SELECT min(seq) FROM journal WHERE operation = 'people.unlockAccount')");
    try {
      const { folder, result } = await exportPackage();
      expect(result.chain.ok).toBe(false);
      const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { journal: { ok: boolean; findings: JournalCheck['findings'] } };
      expect(manifest.journal.ok).toBe(false);
      expect(manifest.journal.findings).toMatchObject([{ kind: 'changed', message: expect.stringContaining('»begrundelse« passer ikke') }]);
    } finally {
      sqlOf(core.journal).exec("UPDATE journal SET reason = 'Ringede selv, identitet bekræftet' WHERE reason = 'Efter aftale'");
    }
  });
});

describe('a package made while the IdP cannot be reached', () => {
  it('completes, unsigned, and says so in the report, the manifest and the check', async () => {
    const unreachable = createIdpClient({ baseUrl: 'http://127.0.0.1:9', auth: { kind: 'api-key', apiKey: 'x' }, timeoutMs: 1000, retries: 0 });
    const progress: string[] = [];
    const job = { signal: new AbortController().signal, progress: (p: { phase: string }) => void progress.push(p.phase) };
    try {
      const operator = { username: 'revisor', displayName: 'Rikke Revisor', dn: '', roles: ['auditor' as const], helpdeskOus: null };
      const result = await exportEvidence(core.audit, core.journal, {
        filter: { from: today(), to: today(), actions: [], source: 'all' }, scopeLabel: 'Alle hændelser', fullCpr: false, operator,
        outRoot: core.evidenceDir, policy: { passwordPolicies: null, termsVersions: null, unavailableReason: 'IdP\'en kan ikke nås' },
        idp: unreachable, anchoredSeq: core.shipping.anchoredSeq(),
      }, job as never);
      expect(result.attestation).toMatchObject({ signed: false, reason: expect.stringContaining('IdP\'en kunne ikke nås') });
      expect(result.chain.idp).toMatchObject({ state: 'unavailable', message: expect.stringContaining('Journalen kunne ikke sammenlignes med IdP\'en') });
      expect(result.chain.ok).toBe(false);
      expect(readdirSync(result.folder)).not.toContain('manifest.json.sig');
      const manifest = JSON.parse(readFileSync(join(result.folder, 'manifest.json'), 'utf8'));
      expect(manifest.attestation).toMatchObject({ signed: false, reason: expect.stringContaining('Pakken er IKKE underskrevet af IdP\'en') });
      expect(manifest.journal.idp.state).toBe('unavailable');
      expect(run('sha256sum', ['-c', 'SHA256SUMS'], result.folder).status).toBe(0);
      const c = await checkPackage(result.folder);
      expect(c).toMatchObject({ ok: false, problems: [], signature: { state: 'unsigned' } });
      expect(c.signature.message).toContain('Pakken er IKKE underskrevet af IdP\'en');
      expect(progress).toContain('done');
    } finally {
      unreachable.close();
    }
  });
});
