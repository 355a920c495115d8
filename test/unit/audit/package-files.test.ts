import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import type { Core } from '../../../src-main/composition/core.ts';
import { PACKAGE_CHUNK_BYTES } from '../../../shared/operations/audit.ts';
import { unpack } from '../../../src-main/services/audit/package-files.ts';
import { useTestCore, type caller } from '../../support/core.ts';

// An evidence package leaves as one zip (download) and comes back as picked files or that zip
// (upload in chunks); the check runs in main on the staged files, exactly as on a folder.

const t = useTestCore({ beforeEach, afterEach });
let core: Core;
beforeEach(() => {
  core = t.current();
});

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

async function ok<T>(p: Promise<{ ok: true; data: unknown } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.data as T;
}

async function exported(c: ReturnType<typeof caller>): Promise<string> {
  const { job } = await ok<{ job: { id: string } }>(core.dispatch('audit.exportEvidence', { from: today(), to: today(), scope: { kind: 'all' } }, c));
  for (let i = 0; i < 600; i++) {
    const { job: j } = await ok<{ job: { state: string } }>(core.dispatch('jobs.get', { id: job.id }, c));
    if (j.state === 'succeeded') return job.id;
    if (j.state !== 'running') throw new Error(j.state);
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('export did not finish');
}

/** Sends files the way the renderer does: each in chunks of PACKAGE_CHUNK_BYTES, then asks for the check. */
async function upload(c: ReturnType<typeof caller>, files: Record<string, Uint8Array>) {
  let id: string | undefined;
  for (const [name, bytes] of Object.entries(files)) {
    for (let offset = 0; offset === 0 || offset < bytes.length; offset += PACKAGE_CHUNK_BYTES) {
      const data = Buffer.from(bytes.subarray(offset, offset + PACKAGE_CHUNK_BYTES)).toString('base64');
      id = (await ok<{ upload: string }>(core.dispatch('audit.uploadPackageFile', { upload: id, name, offset, data }, c))).upload;
    }
  }
  return core.dispatch('audit.verifyPackage', { upload: id! }, c);
}

describe('evidence package download and picked-package check', () => {
  it('hands out the package as a zip, and checks it again from the zip or from its files', async () => {
    const auditor = await t.signIn('revisor');
    const jobId = await exported(auditor);
    const zip = await ok<{ fileName: string; base64: string }>(core.dispatch('audit.downloadEvidence', { job: jobId }, auditor));
    expect(zip.fileName).toMatch(/^revisionspakke-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}-.+\.zip$/);
    const entries = unzipSync(Buffer.from(zip.base64, 'base64'));
    const folder = zip.fileName.replace(/\.zip$/, '');
    expect(Object.keys(entries).sort()).toEqual(['SHA256SUMS', 'haendelser.csv', 'haendelser.xlsx', 'manifest.json', 'rapport.pdf'].map((f) => `${folder}/${f}`));
    // The download is a sensitive read: journaled with the auditor's name.
    expect(core.journal.list().filter((e) => e.operation === 'audit.downloadEvidence').map((e) => e.operatorUsername)).toEqual(['revisor', 'revisor']);

    // The zip as it was downloaded: every file as listed (unsigned, as no IdP is set up here).
    const fromZip = await upload(auditor, { [zip.fileName]: Buffer.from(zip.base64, 'base64') });
    expect(fromZip).toMatchObject({ ok: true, data: { ok: false, checked: 4, problems: [], signature: { state: 'unsigned' } } });

    // The folder's files, picked one by one; one changed byte and one added file are both found.
    const files = Object.fromEntries(Object.entries(entries).map(([n, b]) => [n.split('/')[1]!, b]));
    const csv = files['haendelser.csv']!;
    expect(strFromU8(csv)).toContain('Tidspunkt');
    const tampered = { ...files, 'haendelser.csv': Buffer.concat([csv, Buffer.from('"forfalsket"\r\n')]), 'ekstra.txt': Buffer.from('lagt til') };
    const bad = await upload(auditor, tampered);
    expect(bad).toMatchObject({ ok: true, data: { ok: false } });
    if (!bad.ok) return;
    expect((bad.data as { problems: string[] }).problems).toEqual(['haendelser.csv er ændret (SHA-256 passer ikke).', 'ekstra.txt står ikke i manifestet eller i SHA256SUMS: filen er lagt til pakken bagefter.']);
    // A file larger than one chunk arrives whole (chunks appended in order).
    const big = new Uint8Array(PACKAGE_CHUNK_BYTES * 2 + 17).fill(65);
    const withBig = await upload(auditor, { ...files, 'stor.bin': big });
    expect((withBig as { ok: true; data: { problems: string[] } }).data.problems).toEqual(['stor.bin står ikke i manifestet eller i SHA256SUMS: filen er lagt til pakken bagefter.']);
  });

  it('gives a package only to the operator whose export made it, and stages uploads per operator', async () => {
    const auditor = await t.signIn('revisor');
    const admin = await t.signIn('admin');
    const jobId = await exported(auditor);
    expect(await core.dispatch('audit.downloadEvidence', { job: jobId }, admin)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await core.dispatch('audit.downloadEvidence', { job: jobId }, await t.signIn('helpdesk'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const first = await ok<{ upload: string }>(core.dispatch('audit.uploadPackageFile', { name: 'SHA256SUMS', offset: 0, data: '' }, auditor));
    // Another operator cannot add to or check the auditor's upload.
    expect(await core.dispatch('audit.uploadPackageFile', { upload: first.upload, name: 'x.csv', offset: 0, data: '' }, admin)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await core.dispatch('audit.verifyPackage', { upload: first.upload }, admin)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // No path in a file name; chunks in order only.
    expect(await core.dispatch('audit.uploadPackageFile', { upload: first.upload, name: '../x.csv', offset: 0, data: '' }, auditor)).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await core.dispatch('audit.uploadPackageFile', { upload: first.upload, name: 'manifest.json', offset: 10, data: 'QQ==' }, auditor)).toMatchObject({ ok: false, error: { code: 'validation' } });
    // A checked upload is gone afterwards.
    expect(await core.dispatch('audit.verifyPackage', { upload: first.upload }, auditor)).toMatchObject({ ok: true });
    expect(await core.dispatch('audit.verifyPackage', { upload: first.upload }, auditor)).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('unpacks only plain files at one level', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lia-unpack-'));
    try {
      const write = (name: string, files: Record<string, Uint8Array>) => {
        writeFileSync(join(dir, name), zipSync(files));
        return join(dir, name);
      };
      const a = Buffer.from('a');
      expect(readFileSync(join(unpack(write('ok.zip', { 'p/SHA256SUMS': a, 'p/manifest.json': a }), join(dir, 'ok')), 'SHA256SUMS'), 'utf8')).toBe('a');
      expect(() => unpack(write('deep.zip', { 'p/q/SHA256SUMS': a }), join(dir, 'deep'))).toThrow('direkte eller i én mappe');
      expect(() => unpack(write('two.zip', { 'p/SHA256SUMS': a, 'q/manifest.json': a }), join(dir, 'two'))).toThrow('direkte eller i én mappe');
      // A name that climbs out lands inside, by its last part only.
      expect(readFileSync(join(unpack(write('dots.zip', { '../SHA256SUMS': a }), join(dir, 'dots')), 'SHA256SUMS'), 'utf8')).toBe('a');
      writeFileSync(join(dir, 'not.zip'), 'no zip');
      expect(() => unpack(join(dir, 'not.zip'), join(dir, 'not'))).toThrow('zip-fil');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
