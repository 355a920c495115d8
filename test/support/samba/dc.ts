// A throw-away Samba AD domain controller for tests: provision + seed once (cached under
// node_modules/.cache), copy the cached stopped domain to a temp folder per run, start
// `samba -F` as our own child process, wait for LDAPS and stop it by pid afterwards.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, renameSync, rmSync,
  writeFileSync, chmodSync,
} from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { Client } from 'ldapts';
import { createCa } from './certs.ts';
import { phase1Ldif, phase2Ldif, roleGroupDn, userDn, type RoleKey, type RoleSids } from './seed.ts';
import { ADMIN_PASSWORD, BASE_DN, DNS_DOMAIN, DOMAIN_POLICY, NETBIOS_DOMAIN, REALM, ROLE_GROUPS, SEED_VERSION, SPECIAL } from './seed-facts.ts';

const run = promisify(execFile);

/** A cached domain older than this is rebuilt, so no seeded password (PSO max age 90 days) ever expires. */
const CACHE_MAX_AGE_MS = 20 * 24 * 3600_000;
const HOST = '127.0.0.1';
const LDAPS_PORT = 636;
const LDAP_PORT = 389;
const RUN_PREFIX = 'lokal-idp-samba-run-';

const PROVISION_ARGS = [
  'domain', 'provision',
  `--realm=${REALM}`, `--domain=${NETBIOS_DOMAIN}`, '--server-role=dc', '--dns-backend=NONE',
  `--adminpass=${ADMIN_PASSWORD}`, '--use-rfc2307', '--host-name=dc1',
  '--option=interfaces=lo', '--option=bind interfaces only=yes',
];

export function defaultCacheRoot(): string {
  return resolve(import.meta.dirname, '../../../node_modules/.cache/lokal-idp-samba');
}

function seedKey(): string {
  const placeholder = Object.fromEntries(Object.keys(ROLE_GROUPS).map((k) => [k, `S-1-5-21-0-0-0-${k.length}`])) as RoleSids;
  const h = createHash('sha256');
  h.update(PROVISION_ARGS.join('\n'));
  h.update(phase1Ldif());
  h.update(phase2Ldif(placeholder, 'D:'));
  return `${SEED_VERSION}-${h.digest('hex').slice(0, 12)}`;
}

interface CacheMeta {
  key: string;
  createdAt: string;
  /** The folder the domain was provisioned in: smb.conf names it, so copies rewrite it. */
  builtIn: string;
}

async function ldbSearch(samLdb: string, base: string, scope: string, filter: string, attrs: string[]): Promise<string> {
  const { stdout } = await run('ldbsearch', ['-H', samLdb, '-b', base, '-s', scope, filter, ...attrs], { maxBuffer: 64 << 20 });
  // Unfold LDIF continuation lines.
  return stdout.replace(/\n /g, '');
}

async function ldbModify(samLdb: string, file: string): Promise<void> {
  await run('ldbmodify', ['-H', samLdb, file], { maxBuffer: 64 << 20 });
}

async function buildDomain(dir: string): Promise<void> {
  await run('samba-tool', [...PROVISION_ARGS, `--targetdir=${dir}`], { maxBuffer: 64 << 20 });
  const sam = join(dir, 'private', 'sam.ldb');
  const p1 = join(dir, 'seed-1.ldif');
  writeFileSync(p1, phase1Ldif());
  await ldbModify(sam, p1);

  const sids = {} as RoleSids;
  for (const key of Object.keys(ROLE_GROUPS) as RoleKey[]) {
    const out = await ldbSearch(sam, roleGroupDn(key), 'base', '(objectClass=group)', ['objectSid']);
    const m = /^objectSid: (S-[0-9-]+)$/m.exec(out);
    if (!m?.[1]) throw new Error(`seed: fandt ikke SID for ${ROLE_GROUPS[key]}`);
    sids[key] = m[1];
  }
  const schema = await ldbSearch(sam, `CN=Organizational-Unit,CN=Schema,CN=Configuration,${BASE_DN}`, 'base', '(objectClass=*)', ['defaultSecurityDescriptor']);
  const sddl = /^defaultSecurityDescriptor: (D:.*)$/m.exec(schema)?.[1];
  if (!sddl) throw new Error('seed: fandt ikke standard-SDDL for organizationalUnit');

  const p2 = join(dir, 'seed-2.ldif');
  writeFileSync(p2, phase2Ldif(sids, sddl));
  await ldbModify(sam, p2);
  rmSync(p1);
  rmSync(p2);
}

/** The seeded, stopped domain folder (built once, then reused from the cache). */
export async function preparedDomain(cacheRoot = defaultCacheRoot(), log: (m: string) => void = () => {}): Promise<{ dir: string; meta: CacheMeta }> {
  const key = seedKey();
  const dir = join(cacheRoot, key);
  const metaFile = join(dir, 'lokal-idp-seed.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CacheMeta;
    if (Date.now() - Date.parse(meta.createdAt) < CACHE_MAX_AGE_MS) return { dir, meta };
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(cacheRoot, { recursive: true });
  const build = join(cacheRoot, `.build-${process.pid}-${randomBytes(4).toString('hex')}`);
  const started = Date.now();
  log(`Samba: provisionerer og seeder testdomænet (${key}) …`);
  try {
    await buildDomain(build);
    const meta: CacheMeta = { key, createdAt: new Date().toISOString(), builtIn: build };
    writeFileSync(join(build, 'lokal-idp-seed.json'), JSON.stringify(meta, null, 2));
    try {
      renameSync(build, dir);
    } catch (e) {
      // Another run finished the same build first: use theirs.
      if (!existsSync(metaFile)) throw e;
      rmSync(build, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(build, { recursive: true, force: true });
    throw e;
  }
  log(`Samba: testdomænet er klar på ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // Old seeds only waste space.
  for (const name of readdirSync(cacheRoot)) {
    if (name !== key && !name.startsWith('.')) rmSync(join(cacheRoot, name), { recursive: true, force: true });
  }
  return { dir, meta: JSON.parse(readFileSync(metaFile, 'utf8')) as CacheMeta };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const s = netConnect({ host: HOST, port });
    const done = (v: boolean) => {
      s.destroy();
      resolvePromise(v);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

function ldapsReady(ca: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const s = tlsConnect({ host: HOST, port: LDAPS_PORT, ca, servername: undefined });
    const done = (v: boolean) => {
      s.destroy();
      resolvePromise(v);
    };
    s.once('secureConnect', () => done(s.authorized));
    s.once('error', () => done(false));
    s.setTimeout(2000, () => done(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Samba's ports are fixed, so only one test DC can run per machine. A DC left behind by a run that
 * crashed (its owner process is gone) is ours to stop; one whose owner is alive is waited for.
 */
async function claimPorts(log: (m: string) => void): Promise<void> {
  const deadline = Date.now() + 180_000;
  let announced = false;
  for (;;) {
    for (const name of readdirSync(tmpdir())) {
      if (!name.startsWith(RUN_PREFIX)) continue;
      const ownerFile = join(tmpdir(), name, 'owner.json');
      if (!existsSync(ownerFile)) continue;
      try {
        const o = JSON.parse(readFileSync(ownerFile, 'utf8')) as { ownerPid: number; sambaPid: number };
        if (!alive(o.ownerPid) && alive(o.sambaPid)) {
          log(`Samba: stopper efterladt test-DC (pid ${o.sambaPid}) fra en afbrudt kørsel`);
          try {
            process.kill(-o.sambaPid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
        if (!alive(o.ownerPid) && !alive(o.sambaPid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
      } catch {
        /* half-written owner file: ignore */
      }
    }
    if (!(await portOpen(LDAPS_PORT)) && !(await portOpen(LDAP_PORT))) return;
    if (Date.now() > deadline) throw new Error('Port 389/636 på 127.0.0.1 er optaget af en anden proces; test-DC kan ikke starte.');
    if (!announced) log('Samba: venter på at en anden testkørsels DC bliver stoppet …');
    announced = true;
    await sleep(1000);
  }
}

export interface RunningDc {
  dir: string;
  pid: number;
  url: string;
  startTlsUrl: string;
  caFile: string;
  logFile: string;
  stop(): Promise<void>;
}

function rewriteSmbConf(dir: string, builtIn: string): string {
  const conf = join(dir, 'etc', 'smb.conf');
  let text = readFileSync(conf, 'utf8').split(builtIn).join(dir);
  const set = (name: string, value: string) => {
    const re = new RegExp(`^\\s*${name.replace(/ /g, '\\s+')}\\s*=.*$`, 'mi');
    const lineText = `\t${name} = ${value}`;
    text = re.test(text) ? text.replace(re, lineText) : text.replace(/^\[global\]\s*$/m, `[global]\n${lineText}`);
  };
  // Only the LDAP server: no SMB, no KDC, no replication — faster start, fewer ports.
  set('server services', 'ldap');
  set('interfaces', 'lo');
  set('bind interfaces only', 'yes');
  set('pid directory', dir);
  set('log file', join(dir, 'log.%m'));
  set('tls enabled', 'yes');
  writeFileSync(conf, text);
  return conf;
}

async function lockSeededAccount(url: string, ca: string): Promise<void> {
  const dn = userDn(SPECIAL.locked);
  for (let i = 0; i < DOMAIN_POLICY.lockoutThreshold; i++) {
    const c = new Client({ url, tlsOptions: { ca }, timeout: 10_000, connectTimeout: 10_000 });
    try {
      await c.bind(dn, `forkert-${i}`);
    } catch {
      /* expected: invalid credentials */
    } finally {
      await c.unbind().catch(() => {});
    }
  }
}

export async function startDc(opts: { cacheRoot?: string; log?: (m: string) => void } = {}): Promise<RunningDc> {
  const log = opts.log ?? (() => {});
  const { dir: cached, meta } = await preparedDomain(opts.cacheRoot, log);
  await claimPorts(log);

  const dir = mkdtempSync(join(tmpdir(), RUN_PREFIX));
  cpSync(cached, dir, { recursive: true });
  const conf = rewriteSmbConf(dir, meta.builtIn);

  const tlsDir = join(dir, 'private', 'tls');
  mkdirSync(tlsDir, { recursive: true });
  const ca = createCa();
  const host = ca.issue({ commonName: `dc1.${DNS_DOMAIN}`, dnsNames: [`dc1.${DNS_DOMAIN}`, 'localhost'], ips: ['127.0.0.1', '::1'] });
  const caFile = join(tlsDir, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  writeFileSync(join(tlsDir, 'cert.pem'), host.cert);
  writeFileSync(join(tlsDir, 'key.pem'), host.key);
  chmodSync(join(tlsDir, 'key.pem'), 0o600);

  const logFile = join(dir, 'samba.log');
  const fd = openSync(logFile, 'a');
  // detached: own process group, so stop() reaches every process Samba forks.
  const child: ChildProcess = spawn('samba', ['-s', conf, '-F', '--debug-stdout', '-d1', '-M', 'single'], {
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('samba kunne ikke startes (er pakken samba-ad-dc installeret?)');
  writeFileSync(join(dir, 'owner.json'), JSON.stringify({ ownerPid: process.pid, sambaPid: pid }));
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const killOnExit = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited === undefined && alive(pid)) {
      try {
        process.kill(-pid, 'SIGCONT'); // a test may have suspended it
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const until = Date.now() + 10_000;
      while (exited === undefined && Date.now() < until) await sleep(50);
      if (exited === undefined) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        while (exited === undefined && alive(pid)) await sleep(50);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const started = Date.now();
  try {
    while (!(await ldapsReady(ca.cert))) {
      if (exited !== undefined) throw new Error(`samba stoppede under opstart (kode ${exited}): ${tail(logFile)}`);
      if (Date.now() - started > 60_000) throw new Error(`samba svarede ikke på LDAPS inden 60 s: ${tail(logFile)}`);
      await sleep(100);
    }
    const url = `ldaps://${HOST}:${LDAPS_PORT}`;
    await lockSeededAccount(url, ca.cert);
    log(`Samba: DC kører (pid ${pid}), LDAPS klar efter ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { dir, pid, url, startTlsUrl: `ldap://${HOST}:${LDAP_PORT}`, caFile, logFile, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function tail(file: string): string {
  try {
    const t = readFileSync(file, 'utf8');
    return t.slice(-2000);
  } catch {
    return '';
  }
}
