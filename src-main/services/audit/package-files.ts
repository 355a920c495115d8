import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { ConsoleError } from '../../../shared/errors.ts';

/**
 * An evidence package leaves the console as one zip (a download in the web host, a save dialog in
 * Electron) and comes back for "Kontrollér en pakke" as uploaded files or that zip: the auditor picks it,
 * never types a path. The files are staged in a private temporary folder in main and checked there by
 * the same verifyEvidencePackage as a folder on disk, then removed. fflate (already in the tree through
 * pdfkit) zips and unzips: no dependencies, and its unzip filter sees each entry's size before inflating.
 */

/** A package folder (inside the evidence root) as one zip, the files under the folder's own name. */
export function zipPackage(evidenceRoot: string, folder: string): { fileName: string; bytes: Uint8Array } {
  const root = resolve(evidenceRoot);
  const dir = resolve(folder);
  const rel = relative(root, dir);
  if (!rel || rel.startsWith('..') || rel.includes(sep) || dir.endsWith('.partial')) throw new ConsoleError('not-found', 'Pakken findes ikke.').withKey('packageMissing');
  const name = basename(dir);
  const files: Zippable = {};
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    throw new ConsoleError('not-found', 'Pakken findes ikke længere i pakkemappen.').withKey('packageGone');
  }
  for (const f of entries.sort()) {
    const p = join(dir, f);
    if (statSync(p).isFile()) files[`${name}/${f}`] = readFileSync(p);
  }
  return { fileName: `${name}.zip`, bytes: zipSync(files, { level: 6 }) };
}

/** Limits for what an auditor may upload to be checked. */
export const UPLOAD_LIMITS = { files: 64, totalBytes: 512 * 1024 * 1024, ttlMs: 30 * 60_000, uploads: 8 };

interface Upload {
  owner: string;
  dir: string;
  bytes: number;
  files: Map<string, number>;
  touched: number;
}

/** A name as it may stand in a package: one file name, no folder, nothing hidden behind dots. */
export const safePackageFileName = (name: string): boolean => /^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/.test(name) && !name.includes('..');

export function createPackageUploads(now: () => number = Date.now) {
  const uploads = new Map<string, Upload>();
  const drop = (id: string) => {
    const u = uploads.get(id);
    uploads.delete(id);
    if (u) rmSync(u.dir, { recursive: true, force: true });
  };
  const sweep = () => {
    for (const [id, u] of uploads) if (now() - u.touched > UPLOAD_LIMITS.ttlMs) drop(id);
  };
  const own = (id: string, owner: string): Upload => {
    const u = uploads.get(id);
    if (!u || u.owner !== owner) throw new ConsoleError('not-found', 'Overførslen findes ikke (mere). Vælg pakken igen.').withKey('uploadMissing');
    return u;
  };

  return {
    /** Appends one chunk of one file; the first chunk of a file has offset 0. Returns the upload's id. */
    append(owner: string, input: { upload?: string | undefined; name: string; offset: number; data: Uint8Array }): { upload: string; bytes: number } {
      sweep();
      if (!safePackageFileName(input.name)) throw new ConsoleError('validation', `Filnavnet kan ikke bruges: ${input.name.slice(0, 80)}`).withKey('packageFileName');
      let id = input.upload;
      if (!id) {
        if ([...uploads.values()].filter((u) => u.owner === owner).length >= UPLOAD_LIMITS.uploads) throw new ConsoleError('conflict', 'For mange igangværende kontroller. Vent til en er færdig.').withKey('uploadTooMany');
        id = randomUUID();
        // mkdtemp makes the folder owner-only (0700).
        uploads.set(id, { owner, dir: mkdtempSync(join(tmpdir(), 'lia-pakke-')), bytes: 0, files: new Map(), touched: now() });
      }
      const u = own(id, owner);
      const have = u.files.get(input.name);
      if (have === undefined && input.offset !== 0) throw new ConsoleError('validation', 'Filen skal sendes fra begyndelsen.').withKey('uploadFromStart');
      if (have !== undefined && have !== input.offset) throw new ConsoleError('validation', 'Filens dele kom i forkert rækkefølge.').withKey('uploadOrder');
      if (have === undefined && u.files.size >= UPLOAD_LIMITS.files) throw new ConsoleError('validation', `En pakke har højst ${UPLOAD_LIMITS.files} filer.`).withKey('uploadTooManyFiles', { max: UPLOAD_LIMITS.files });
      if (u.bytes + input.data.byteLength > UPLOAD_LIMITS.totalBytes) throw new ConsoleError('validation', 'Pakken er for stor til at blive kontrolleret her.').withKey('uploadTooLarge');
      const fd = openSync(join(u.dir, input.name), have === undefined ? 'w' : 'a', 0o600);
      try {
        writeSync(fd, input.data);
      } finally {
        closeSync(fd);
      }
      u.files.set(input.name, input.offset + input.data.byteLength);
      u.bytes += input.data.byteLength;
      u.touched = now();
      return { upload: id, bytes: u.bytes };
    },

    /**
     * Hands the staged package's folder to `check` and removes the upload afterwards. A single uploaded
     * .zip is unpacked first (its files at the top or under one folder, as the console's download has them).
     */
    async check<T>(owner: string, id: string, check: (folder: string) => Promise<T>): Promise<T> {
      const u = own(id, owner);
      try {
        const names = [...u.files.keys()];
        let folder = u.dir;
        if (names.length === 1 && names[0]!.toLowerCase().endsWith('.zip')) folder = unpack(join(u.dir, names[0]!), join(u.dir, 'udpakket'));
        return await check(folder);
      } finally {
        drop(id);
      }
    },

    /** Removes every staged upload (at shutdown). */
    clear(): void {
      for (const id of [...uploads.keys()]) drop(id);
    },
  };
}

export type PackageUploads = ReturnType<typeof createPackageUploads>;

/** Unpacks a package zip into `into`; anything but plain files at one level is refused, not guessed at. */
export function unpack(zipFile: string, into: string): string {
  let declared = 0;
  let count = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(readFileSync(zipFile), {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
        count += 1;
        declared += f.originalSize;
        if (count > UPLOAD_LIMITS.files || declared > UPLOAD_LIMITS.totalBytes) throw new ConsoleError('validation', 'Zip-filen er for stor eller har for mange filer til at være en revisionspakke.').withKey('zipTooLarge');
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ConsoleError) throw e;
    throw new ConsoleError('validation', 'Filen kan ikke læses som en zip-fil.').withKey('zipUnreadable');
  }
  const split = Object.keys(files).map((n) => n.split('/'));
  const tops = new Set(split.map((p) => (p.length === 2 ? p[0] : '')));
  if (split.some((p) => p.length > 2) || tops.size !== 1) throw new ConsoleError('validation', 'Zip-filen skal indeholde pakkens filer direkte eller i én mappe.').withKey('zipLayout');
  mkdirSync(into, { mode: 0o700 });
  for (const [name, data] of Object.entries(files)) {
    const file = name.split('/').at(-1)!;
    if (!safePackageFileName(file)) throw new ConsoleError('validation', `Filnavnet kan ikke bruges: ${file.slice(0, 80)}`).withKey('packageFileName');
    const fd = openSync(join(into, file), 'wx', 0o600);
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
  }
  return into;
}
