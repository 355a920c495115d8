// A throw-away Samba AD domain controller for tests: provision + seed once (cached under
// node_modules/.cache), copy the cached stopped domain to a temp folder per run, start
// `samba -F` as our own child process, wait for LDAPS and stop it by pid afterwards.
// `startDc({ people })` does the same with a scaled domain for benchmarks (scale.ts).
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
import { NORMAL_PEOPLE, scaleExtra, scaleGroupsLdif, scaleOusLdif, scaleUsers, type ScaleUser } from './scale.ts';
import { phase1Ldif, phase2Ldif, roleGroupDn, userDn, type RoleKey, type RoleSids } from './seed.ts';
import { schoolKey, schoolLdif, SCHOOL_DNS, SCHOOL_FACTS, SCHOOL_HOST, SCHOOL_PROVISION_ARGS } from './school.ts';
import { ADMIN_PASSWORD, BASE_DN, DNS_DOMAIN, DOMAIN_POLICY, NETBIOS_DOMAIN, REALM, ROLE_GROUPS, SEED_VERSION, SPECIAL } from './seed-facts.ts';

const run = promisify(execFile);

/** A cached domain older than this is rebuilt, so no seeded password (PSO max age 90 days) ever expires. */
const CACHE_MAX_AGE_MS = 20 * 24 * 3600_000;
const HOST = '127.0.0.1';
const LDAPS_PORT = 636;
const LDAP_PORT = 389;
const RUN_PREFIX = 'lokal-idp-samba-run-';
/** How long a run waits for another run's DC to free the ports (minutes; LIA_SAMBA_WAIT_MINUTES). */
const PORT_WAIT_MINUTES = ((v) => (Number.isFinite(v) && v >= 0 ? v : 20))(Number(process.env.LIA_SAMBA_WAIT_MINUTES ?? 20));
/** Scaled users per ldbmodify transaction: fastest measured (one transaction for all is 2× slower). */
const SCALE_CHUNK = 5000;
/**
 * For the scaled domain's ldbmodify runs. batch_mode: no per-record sub-transaction, whose copy of
 * every large index list (objectClass=user, …) made each add cost O(domain size); an error aborts
 * the whole chunk instead, which is what a cache build wants anyway. The local control lets
 * pwdLastSet take real dates (Samba otherwise accepts only 0 and -1). nosync: a half-built cache
 * is thrown away, so there is nothing to fsync for.
 */
const SCALE_LDB_ARGS = ['--nosync', '-o', 'batch_mode:1', '--controls=local_oid:1.3.6.1.4.1.7165.4.3.20:0'];

/**
 * The scaled domain is stored in LMDB, as Samba advises for large domains: its ordered index answers a
 * range such as (uSNChanged>=n) from the index, as AD's indexed uSNChanged does, where the TDB backend
 * scans every object (0.8 s at 100,000 people against 0.2 s for an equality, measured offline with
 * ldbsearch). TDB would also stop at 4 GB. LMDB reuses its free pages, so no compaction after the build.
 */
const SCALE_PROVISION_ARGS = ['--backend-store=mdb'];

const PROVISION_ARGS = [
  'domain', 'provision',
  `--realm=${REALM}`, `--domain=${NETBIOS_DOMAIN}`, '--server-role=dc', '--dns-backend=NONE',
  `--adminpass=${ADMIN_PASSWORD}`, '--use-rfc2307', '--host-name=dc1',
  '--option=interfaces=lo', '--option=bind interfaces only=yes',
];

export function defaultCacheRoot(): string {
  return resolve(import.meta.dirname, '../../../node_modules/.cache/lokal-idp-samba');
}

const PLACEHOLDER_SIDS = Object.fromEntries(Object.keys(ROLE_GROUPS).map((k) => [k, `S-1-5-21-0-0-0-${k.length}`])) as RoleSids;

function seedKey(): string {
  const h = createHash('sha256');
  h.update(PROVISION_ARGS.join('\n'));
  h.update(phase1Ldif());
  h.update(phase2Ldif(PLACEHOLDER_SIDS, 'D:'));
  return `${SEED_VERSION}-${h.digest('hex').slice(0, 12)}`;
}

/** What a cached domain is: the normal seed or a scaled one; a new build removes only stale ones of its own kind. */
function kindOf(key: string): string {
  if (key.startsWith('school-')) return 'school';
  return /^scale-\d+-/.test(key) ? key.replace(/-[0-9a-f]+$/, '') : 'seed';
}

/** The scaled domain's users and cache key (the normal seed's key + the generated LDIF). */
function scalePlan(people: number): { key: string; users: ScaleUser[] } {
  const users = scaleUsers(people);
  const h = createHash('sha256');
  h.update(seedKey());
  h.update(SCALE_PROVISION_ARGS.join('\n'));
  h.update(scaleOusLdif(PLACEHOLDER_SIDS, 'D:'));
  for (const u of users) h.update(u.ldif);
  for (const g of scaleGroupsLdif(users)) h.update(g);
  return { key: `scale-${people}-${h.digest('hex').slice(0, 12)}`, users };
}

interface CacheMeta {
  key: string;
  createdAt: string;
  /** The folder the domain was provisioned in: smb.conf names it, so copies rewrite it. */
  builtIn: string;
  /** People (objectCategory=person, objectClass=user) in the domain. */
  people?: number;
  /** How long provisioning and seeding took. */
  buildSeconds?: number;
}

async function ldbSearch(samLdb: string, base: string, scope: string, filter: string, attrs: string[]): Promise<string> {
  const { stdout } = await run('ldbsearch', ['-H', samLdb, '-b', base, '-s', scope, filter, ...attrs], { maxBuffer: 64 << 20 });
  // Unfold LDIF continuation lines.
  return stdout.replace(/\n /g, '');
}

async function ldbModify(samLdb: string, file: string, args: string[] = []): Promise<void> {
  await run('ldbmodify', ['-H', samLdb, ...args, file], { maxBuffer: 64 << 20 });
}

async function buildDomain(dir: string, extraArgs: readonly string[] = []): Promise<{ sids: RoleSids; sddl: string }> {
  await run('samba-tool', [...PROVISION_ARGS, ...extraArgs, `--targetdir=${dir}`], { maxBuffer: 64 << 20 });
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
  return { sids, sddl };
}

/** The normal seed, then the scaled people in chunks, then their team groups. */
async function buildScaledDomain(dir: string, users: ScaleUser[], log: (m: string) => void): Promise<void> {
  const { sids, sddl } = await buildDomain(dir, SCALE_PROVISION_ARGS);
  const sam = join(dir, 'private', 'sam.ldb');
  const file = join(dir, 'scale.ldif');
  const t0 = Date.now();
  writeFileSync(file, scaleOusLdif(sids, sddl));
  await ldbModify(sam, file, SCALE_LDB_ARGS);
  for (let i = 0; i < users.length; i += SCALE_CHUNK) {
    writeFileSync(file, users.slice(i, i + SCALE_CHUNK).map((u) => u.ldif).join(''));
    await ldbModify(sam, file, SCALE_LDB_ARGS);
    const done = Math.min(users.length, i + SCALE_CHUNK);
    if (done % (SCALE_CHUNK * 4) === 0 || done === users.length) {
      log(`Samba: ${done} af ${users.length} ekstra personer tilføjet (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  writeFileSync(file, scaleGroupsLdif(users).join(''));
  await ldbModify(sam, file, SCALE_LDB_ARGS);
  rmSync(file);
}

/**
 * The seeded, stopped domain folder (built once, then reused from the cache). With `people`, the
 * scaled domain of that many people (scale.ts), cached beside the normal one under its own key.
 */
export async function preparedDomain(
  cacheRoot = defaultCacheRoot(),
  log: (m: string) => void = () => {},
  people?: number,
): Promise<{ dir: string; meta: CacheMeta }> {
  const scaled = people !== undefined && people !== NORMAL_PEOPLE;
  if (scaled) scaleExtra(people);
  const plan = scaled ? scalePlan(people) : null;
  const key = plan?.key ?? seedKey();
  return cachedBuild(cacheRoot, key, log, {
    announce: plan
      ? `Samba: bygger det skalerede testdomæne med ${people} personer (${key}); første gang tager det minutter …`
      : `Samba: provisionerer og seeder testdomænet (${key}) …`,
    people: plan ? (people ?? NORMAL_PEOPLE) : NORMAL_PEOPLE,
    build: async (dir) => {
      if (plan) await buildScaledDomain(dir, plan.users, log);
      else await buildDomain(dir);
    },
  });
}

/**
 * A domain folder built once by `build` and kept under `key` in the cache; rebuilt when older than
 * CACHE_MAX_AGE_MS. Concurrent runs may both build; the first to finish wins and the other uses it.
 */
async function cachedBuild(
  cacheRoot: string,
  key: string,
  log: (m: string) => void,
  what: { announce: string; people: number; build: (dir: string) => Promise<void> },
): Promise<{ dir: string; meta: CacheMeta }> {
  const dir = join(cacheRoot, key);
  const metaFile = join(dir, 'lokal-idp-seed.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CacheMeta;
    if (Date.now() - Date.parse(meta.createdAt) < CACHE_MAX_AGE_MS) return { dir, meta };
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(cacheRoot, { recursive: true });
  // A build whose process was killed leaves its folder behind (a scaled one is gigabytes).
  for (const name of readdirSync(cacheRoot)) {
    const owner = /^\.build-(\d+)-/.exec(name)?.[1];
    if (owner && !alive(Number(owner))) rmSync(join(cacheRoot, name), { recursive: true, force: true });
  }
  const build = join(cacheRoot, `.build-${process.pid}-${randomBytes(4).toString('hex')}`);
  const started = Date.now();
  log(what.announce);
  try {
    await what.build(build);
    const meta: CacheMeta = {
      key, createdAt: new Date().toISOString(), builtIn: build,
      people: what.people, buildSeconds: Math.round((Date.now() - started) / 1000),
    };
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
  log(`Samba: testdomænet ${key} er klar på ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // Stale builds of the same kind only waste space; the normal, the school and the scaled domains stay side by side.
  for (const name of readdirSync(cacheRoot)) {
    if (name !== key && !name.startsWith('.') && kindOf(name) === kindOf(key)) rmSync(join(cacheRoot, name), { recursive: true, force: true });
  }
  return { dir, meta: JSON.parse(readFileSync(metaFile, 'utf8')) as CacheMeta };
}

/** The schools' domain (school.ts): provisioned and seeded once, cached beside the municipality's. */
export async function preparedSchoolDomain(cacheRoot = defaultCacheRoot(), log: (m: string) => void = () => {}): Promise<{ dir: string; meta: CacheMeta }> {
  return cachedBuild(cacheRoot, schoolKey(), log, {
    announce: `Samba: provisionerer og seeder skolernes testdomæne (${schoolKey()}) …`,
    people: SCHOOL_FACTS.people,
    build: async (dir) => {
      await run('samba-tool', [...SCHOOL_PROVISION_ARGS, `--targetdir=${dir}`], { maxBuffer: 64 << 20 });
      const file = join(dir, 'seed.ldif');
      writeFileSync(file, schoolLdif());
      await ldbModify(join(dir, 'private', 'sam.ldb'), file);
      rmSync(file);
    },
  });
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const s = netConnect({ host, port });
    const done = (v: boolean) => {
      s.destroy();
      resolvePromise(v);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

function ldapsReady(host: string, ca: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const s = tlsConnect({ host, port: LDAPS_PORT, ca, servername: undefined });
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
async function claimPorts(host: string, log: (m: string) => void): Promise<void> {
  const deadline = Date.now() + PORT_WAIT_MINUTES * 60_000;
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
    if (!(await portOpen(host, LDAPS_PORT)) && !(await portOpen(host, LDAP_PORT))) return;
    if (Date.now() > deadline) {
      throw new Error(`Port 389/636 på ${host} har været optaget i ${PORT_WAIT_MINUTES} min (LIA_SAMBA_WAIT_MINUTES); test-DC kan ikke starte.`);
    }
    if (!announced) log('Samba: venter på at en anden testkørsels DC bliver stoppet …');
    announced = true;
    await sleep(1000);
  }
}

export interface RunningDc {
  dir: string;
  /** People in the domain and how long building it took (when it was built, not this run). */
  people: number;
  buildSeconds: number | null;
  pid: number;
  url: string;
  startTlsUrl: string;
  caFile: string;
  logFile: string;
  stop(): Promise<void>;
}

function rewriteSmbConf(dir: string, builtIn: string, host: string): string {
  const conf = join(dir, 'etc', 'smb.conf');
  let text = readFileSync(conf, 'utf8').split(builtIn).join(dir);
  const set = (name: string, value: string) => {
    const re = new RegExp(`^\\s*${name.replace(/ /g, '\\s+')}\\s*=.*$`, 'mi');
    const lineText = `\t${name} = ${value}`;
    text = re.test(text) ? text.replace(re, lineText) : text.replace(/^\[global\]\s*$/m, `[global]\n${lineText}`);
  };
  // Only the LDAP server: no SMB, no KDC, no replication — faster start, fewer ports.
  set('server services', 'ldap');
  // 127.0.0.1 and ::1 for the municipality's DC; another loopback address (IPv4 only) for a second DC.
  set('interfaces', host === HOST ? 'lo' : `${host}/8`);
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

export interface StartDcOptions {
  cacheRoot?: string;
  log?: (m: string) => void;
  /** A scaled domain with this many people (benchmarks); default the normal test seed. */
  people?: number;
}

export async function startDc(opts: StartDcOptions = {}): Promise<RunningDc> {
  const log = opts.log ?? (() => {});
  const prepared = await preparedDomain(opts.cacheRoot, log, opts.people);
  return launch(prepared, { host: HOST, dnsDomain: DNS_DOMAIN, log, afterReady: (url, ca) => lockSeededAccount(url, ca) });
}

/** The schools' DC (school.ts) on 127.0.0.2: a separate domain, started beside the municipality's. */
export async function startSchoolDc(opts: Omit<StartDcOptions, 'people'> = {}): Promise<RunningDc> {
  const log = opts.log ?? (() => {});
  const prepared = await preparedSchoolDomain(opts.cacheRoot, log);
  return launch(prepared, { host: SCHOOL_HOST, dnsDomain: SCHOOL_DNS, log });
}

async function launch(
  { dir: cached, meta }: { dir: string; meta: CacheMeta },
  spec: { host: string; dnsDomain: string; log: (m: string) => void; afterReady?: (url: string, ca: string) => Promise<void> },
): Promise<RunningDc> {
  const { host: ip, dnsDomain, log } = spec;
  await claimPorts(ip, log);

  const dir = mkdtempSync(join(tmpdir(), RUN_PREFIX));
  cpSync(cached, dir, { recursive: true });
  const conf = rewriteSmbConf(dir, meta.builtIn, ip);

  const tlsDir = join(dir, 'private', 'tls');
  mkdirSync(tlsDir, { recursive: true });
  const ca = createCa();
  const host = ca.issue({ commonName: `dc1.${dnsDomain}`, dnsNames: [`dc1.${dnsDomain}`, 'localhost'], ips: ip === HOST ? ['127.0.0.1', '::1'] : [ip] });
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
    while (!(await ldapsReady(ip, ca.cert))) {
      if (exited !== undefined) throw new Error(`samba stoppede under opstart (kode ${exited}): ${tail(logFile)}`);
      if (Date.now() - started > 60_000) throw new Error(`samba svarede ikke på LDAPS inden 60 s: ${tail(logFile)}`);
      await sleep(100);
    }
    const url = `ldaps://${ip}:${LDAPS_PORT}`;
    await spec.afterReady?.(url, ca.cert);
    log(`Samba: DC for ${dnsDomain} kører (pid ${pid}), LDAPS på ${ip} klar efter ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return {
      dir, pid, url, startTlsUrl: `ldap://${ip}:${LDAP_PORT}`, caFile, logFile, stop,
      people: meta.people ?? NORMAL_PEOPLE, buildSeconds: meta.buildSeconds ?? null,
    };
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
