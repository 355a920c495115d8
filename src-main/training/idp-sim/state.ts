import { createHash, randomBytes } from 'node:crypto';
import type { IdpErrorCode, Page, PersonKey } from '../../../shared/idp/common.ts';
import type { PasswordPolicy, PasswordPolicyUpdate } from '../../../shared/idp/password-policy.ts';
import { fullServiceViolations } from '../../../shared/idp/password-policy.ts';
import type { NsisTerms, PublishTermsVersion, TermsAcceptance, TermsVersion } from '../../../shared/idp/terms.ts';
import type { DeviceType, HardwareToken, IdpPerson, MfaDevice, NsisLevel, TestPushResult } from '../../../shared/idp/people.ts';
import type { AuditEvent, AuditEventWrite, AuditPage, AuditWriteResult } from '../../../shared/idp/audit.ts';
import { RETENTION_MONTHS, loginRetentionActions, ownActions } from '../../../shared/idp/audit.ts';
import type { AssignTokenBody, LockDeviceBody, WriteBody } from '../../../shared/idp/api.ts';
import type { PersonChange, PersonChangePage } from '../../../shared/idp/changes.ts';
import { attest, certificateView, createAttestationKey } from './attestation.ts';
import type { AcknowledgedHead, Attestation, AttestationCertificate, AttestationRequest, ChainedEvent, HeadPage, JournalBatch, JournalBatchResult, JournalView } from '../../../shared/idp/journal.ts';

/** An error the simulator answers with as `{code, message, details?}` and the contract's HTTP status. */
export class SimError extends Error {
  readonly code: IdpErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: IdpErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export interface SimPerson {
  domain: string;
  username: string;
  displayName: string;
  policyDomain: string;
  nsisStatus: string;
  /** Status to return to when a municipality lock is lifted. */
  statusBeforeLock: string | null;
  locked: { by: string; at: string; reason: string } | null;
  cprMasked: string | null;
}

export interface SimDevice {
  id: string;
  type: DeviceType;
  name: string;
  nsisLevel: NsisLevel;
  /** Epoch ms of a time-limited lock's end. */
  lockedUntilMs: number | null;
  /** Locked by an administrator until unlocked. */
  lockedIndefinitely: boolean;
  lockedReason: string | null;
  lastUsed: string | null;
  registered: string;
  serialNumber: string | null;
  /** Wrong codes in a row (absent in files from before the automatic lock). */
  wrongCodes?: number;
}

interface StoredWrite {
  id: number;
  fingerprint: string;
}

/** The whole state as plain JSON, for the simulator's optional file. */
export interface IdpSnapshot {
  format: 'lokal-idp-sim/1';
  people: SimPerson[];
  devices: [string, SimDevice[]][];
  policies: PasswordPolicy[];
  nsisTerms: NsisTerms;
  termsVersions: TermsVersion[];
  acceptances: [string, TermsAcceptance[]][];
  hardwareTokens: HardwareToken[];
  audit: AuditEvent[];
  writes: [string, StoredWrite][];
  nextDeviceSeq: number;
  /** Consoles' journals and their acknowledged heads (absent in files from before the anchor). */
  journals?: SimJournal[];
  /** The attestation key and certificate, made on first use (absent until then). */
  attestation?: AttestationKey | null;
}

/** One console journal as the IdP keeps it: every head it acknowledged, ascending by seq. */
export interface SimJournal {
  journalId: string;
  workstation: string;
  createdAt: string;
  firstSeenAt: string;
  heads: AcknowledgedHead[];
}

export interface AttestationKey {
  keyPem: string;
  certPem: string;
}

/** One position of the change feed: a person's facts changed (or they were removed) at `seq`. */
interface FeedEntry {
  seq: number;
  key: string;
  /** Epoch ms from which the feed shows it (feed lag); the feed never skips an entry that is not visible yet. */
  visibleAt: number;
}

interface FeedLatest {
  seq: number;
  domain: string;
  username: string;
  changedAt: string;
  removed: boolean;
}

/** OS2faktor locks an MFA device for 5 minutes after 5 wrong codes. */
export const DEVICE_WRONG_CODES_BEFORE_LOCK = 5;
export const DEVICE_LOCK_MINUTES = 5;

export const personKeyOf = (domain: string, username: string): string => `${domain.toLowerCase()}\\${username.toLowerCase()}`;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new SimError('validation', 'Ugyldig cursor');
  return Number(m[1]);
}

export function pageSlice<T>(all: readonly T[], cursor: string | undefined, limit: number): Page<T> {
  const start = decodeCursor(cursor);
  const items = all.slice(start, start + limit);
  const end = start + items.length;
  return { items, nextCursor: end < all.length ? encodeCursor(end) : null };
}

/**
 * The whole Local IdP admin model in memory. Every method either applies completely or throws a SimError
 * before changing anything, and none of them awaits: two concurrent requests cannot interleave inside one.
 */
export class IdpState {
  readonly people = new Map<string, SimPerson>();
  readonly devices = new Map<string, SimDevice[]>();
  readonly policies = new Map<string, PasswordPolicy>();
  nsisTerms: NsisTerms;
  readonly termsVersions: TermsVersion[] = [];
  readonly acceptances = new Map<string, TermsAcceptance[]>();
  readonly hardwareTokens = new Map<string, HardwareToken>();
  /** Ascending by id. */
  readonly audit: AuditEvent[] = [];
  private highestId = 0;
  private readonly writes = new Map<string, StoredWrite>();
  private nextDeviceSeq = 1;
  readonly journals = new Map<string, SimJournal>();
  attestation: AttestationKey | null = null;
  readonly clock: () => number;
  /**
   * The change feed: a sequence bumped by every write that changes a person's facts. `feedLog` is ascending
   * by seq; `feedLatest` is each person's newest position, so an entry a newer one supersedes is skipped.
   * The epoch is new with every state, so a cursor from before a rebuild is answered from the start.
   */
  private feedSeq = 0;
  private readonly feedLog: FeedEntry[] = [];
  private readonly feedLatest = new Map<string, FeedLatest>();
  readonly feedEpoch = randomBytes(6).toString('base64url');
  /** Feed lag in ms for changes made now (the server wires it to its fault switch). */
  feedLag: () => number = () => 0;
  /** The console operation the write being applied belongs to (its X-Correlation-Id); set by the server per call. */
  correlationId: string | null = null;

  constructor(nsisTerms: NsisTerms, clock: () => number = Date.now) {
    this.nsisTerms = nsisTerms;
    this.clock = clock;
  }

  snapshot(): IdpSnapshot {
    return {
      format: 'lokal-idp-sim/1',
      people: [...this.people.values()],
      devices: [...this.devices.entries()],
      policies: [...this.policies.values()],
      nsisTerms: this.nsisTerms,
      termsVersions: this.termsVersions,
      acceptances: [...this.acceptances.entries()],
      hardwareTokens: [...this.hardwareTokens.values()],
      audit: this.audit,
      writes: [...this.writes.entries()],
      nextDeviceSeq: this.nextDeviceSeq,
      journals: [...this.journals.values()],
      attestation: this.attestation,
    };
  }

  static fromSnapshot(snap: IdpSnapshot, clock: () => number = Date.now): IdpState {
    if (snap.format !== 'lokal-idp-sim/1') throw new Error('Ukendt format på simulatorens datafil');
    const s = new IdpState(snap.nsisTerms, clock);
    for (const p of snap.people) s.addPerson(p);
    for (const [k, v] of snap.devices) s.devices.set(k, v);
    for (const p of snap.policies) s.policies.set(p.domain.toLowerCase(), p);
    s.termsVersions.push(...snap.termsVersions);
    for (const [k, v] of snap.acceptances) s.acceptances.set(k, v);
    for (const t of snap.hardwareTokens) s.hardwareTokens.set(t.serialNumber, t);
    s.audit.push(...snap.audit);
    for (const [k, v] of snap.writes) s.writes.set(k, v);
    s.nextDeviceSeq = snap.nextDeviceSeq;
    for (const j of snap.journals ?? []) s.journals.set(j.journalId, j);
    s.attestation = snap.attestation ?? null;
    return s;
  }

  private nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  // ----- people ---------------------------------------------------------------------------------

  addPerson(p: SimPerson): void {
    this.people.set(personKeyOf(p.domain, p.username), p);
    this.touch(p);
  }

  /** Training and test hook: the IdP no longer has this person (AD deleted them); the feed gets a tombstone. */
  removePerson(key: PersonKey): void {
    const p = this.person(key);
    const k = personKeyOf(p.domain, p.username);
    this.people.delete(k);
    this.devices.delete(k);
    this.acceptances.delete(k);
    this.touch(p, true);
  }

  // ----- the change feed ------------------------------------------------------------------------

  /** A person's facts changed now: a new feed position, after every position handed out so far. */
  touch(p: { domain: string; username: string }, removed = false): void {
    const key = personKeyOf(p.domain, p.username);
    const seq = ++this.feedSeq;
    const now = this.clock();
    this.feedLatest.set(key, { seq, domain: p.domain, username: p.username, changedAt: new Date(now).toISOString(), removed });
    this.feedLog.push({ seq, key, visibleAt: now + Math.max(0, this.feedLag()) });
    // Superseded entries are dead weight: drop them now and then (seqs stay ascending).
    if (this.feedLog.length > 2 * this.feedLatest.size + 10_000) {
      const kept = this.feedLog.filter((e) => this.feedLatest.get(e.key)?.seq === e.seq);
      this.feedLog.length = 0;
      this.feedLog.push(...kept);
    }
  }

  /** Every person: their facts changed (a new addendum version changes who must accept). */
  touchEveryone(): void {
    for (const p of this.people.values()) this.touch(p);
  }

  feedCursor(seq: number): string {
    return `${this.feedEpoch}.${seq}`;
  }

  /**
   * One page of the feed after `after`. Only a contiguous run of visible entries is handed out: a lagging
   * change holds back those behind it instead of being skipped, so a reader's cursor never passes it.
   */
  readChanges(after: string | undefined, limit: number): PersonChangePage {
    let from = 0;
    let reset = false;
    if (after !== undefined) {
      const m = /^([A-Za-z0-9_-]+)\.(\d{1,15})$/.exec(after);
      if (!m) throw new SimError('validation', 'Ugyldig cursor til ændringsfeedet');
      const seq = Number(m[2]);
      if (m[1] !== this.feedEpoch || seq > this.feedSeq) reset = true;
      else from = seq;
    }
    let lo = 0;
    let hi = this.feedLog.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.feedLog[mid]!.seq <= from) lo = mid + 1;
      else hi = mid;
    }
    const now = this.clock();
    const items: PersonChange[] = [];
    let pos = from;
    let i = lo;
    for (; i < this.feedLog.length && items.length < limit; i++) {
      const e = this.feedLog[i]!;
      if (e.visibleAt > now) break;
      pos = e.seq;
      const latest = this.feedLatest.get(e.key);
      if (!latest || latest.seq !== e.seq) continue;
      const person = latest.removed ? null : this.personView({ domain: latest.domain, username: latest.username });
      items.push({ domain: latest.domain, username: latest.username, removed: latest.removed, person, changedAt: latest.changedAt });
    }
    const hasMore = i < this.feedLog.length && this.feedLog[i]!.visibleAt <= now;
    return { items, next: this.feedCursor(pos), head: this.feedCursor(this.feedSeq), hasMore, reset };
  }

  person(key: PersonKey): SimPerson {
    const p = this.people.get(personKeyOf(key.domain, key.username));
    if (!p) throw new SimError('not-found', `Personen ${key.username} findes ikke i domænet ${key.domain}`);
    return p;
  }

  personView(key: PersonKey): IdpPerson {
    const p = this.person(key);
    const k = personKeyOf(p.domain, p.username);
    const acc = this.acceptances.get(k) ?? [];
    const newest = acc.reduce<number | null>((m, a) => (m === null || a.version > m ? a.version : m), null);
    const devices = (this.devices.get(k) ?? []).map((d) => this.deviceView(d));
    const usable = devices.filter((d) => !d.locked);
    return {
      domain: p.domain,
      username: p.username,
      displayName: p.displayName,
      passwordPolicyDomain: p.policyDomain,
      nsisStatus: p.nsisStatus,
      // An identity that was never issued or activated has no assurance; an activated one was proofed to "betydelig".
      nsisLevel: p.nsisStatus === 'NOT_ISSUED' || p.nsisStatus === 'NOT_ACTIVATED' ? 'none' : 'substantial',
      locked: p.locked,
      acceptedTermsVersion: newest,
      mustAcceptTerms: this.mustAccept(acc),
      deviceCount: devices.length,
      devices: { locked: devices.length - usable.length, types: [...new Set(devices.map((d) => d.type))].sort() },
    };
  }

  private mustAccept(acc: readonly TermsAcceptance[]): boolean {
    const now = this.clock();
    const effective = this.termsVersions.filter((v) => Date.parse(v.effectiveFrom) <= now);
    if (effective.length === 0) return false;
    const required = [...effective].reverse().find((v) => v.requiresReacceptance) ?? effective[0]!;
    return !acc.some((a) => a.version >= required.version);
  }

  lockIdentity(key: PersonKey, body: WriteBody): IdpPerson {
    const p = this.person(key);
    if (!p.locked) {
      p.statusBeforeLock = p.nsisStatus;
      p.nsisStatus = 'LOCKED_BY_MUNICIPALITY';
    }
    p.locked = { by: body.actor.username, at: this.nowIso(), reason: body.reason };
    this.touch(p);
    this.adminEvent('DEACTIVATE_BY_ADMIN', `Identiteten er spærret af kommunen. Begrundelse: ${body.reason}`, p, body);
    return this.personView(key);
  }

  unlockIdentity(key: PersonKey, body: WriteBody): IdpPerson {
    const p = this.person(key);
    if (p.locked) {
      p.nsisStatus = p.statusBeforeLock ?? 'ACTIVE';
      p.statusBeforeLock = null;
      p.locked = null;
      this.touch(p);
    }
    this.adminEvent('REACTIVATE_BY_ADMIN', `Spærringen af identiteten er ophævet. Begrundelse: ${body.reason}`, p, body);
    return this.personView(key);
  }

  // ----- devices --------------------------------------------------------------------------------

  newDeviceId(): string {
    return `dev-${String(this.nextDeviceSeq++).padStart(6, '0')}`;
  }

  deviceView(d: SimDevice): MfaDevice {
    const now = this.clock();
    const timed = d.lockedUntilMs !== null && d.lockedUntilMs > now;
    const locked = d.lockedIndefinitely || timed;
    return {
      id: d.id,
      type: d.type,
      name: d.name,
      nsisLevel: d.nsisLevel,
      locked,
      lockedUntil: timed && !d.lockedIndefinitely ? new Date(d.lockedUntilMs!).toISOString() : null,
      lockedReason: locked ? d.lockedReason : null,
      lastUsed: d.lastUsed,
      registered: d.registered,
      serialNumber: d.serialNumber,
    };
  }

  listDevices(key: PersonKey, cursor: string | undefined, limit: number): Page<MfaDevice> {
    const p = this.person(key);
    const all = (this.devices.get(personKeyOf(p.domain, p.username)) ?? []).map((d) => this.deviceView(d));
    return pageSlice(all, cursor, limit);
  }

  private device(key: PersonKey, deviceId: string): { p: SimPerson; d: SimDevice; list: SimDevice[] } {
    const p = this.person(key);
    const list = this.devices.get(personKeyOf(p.domain, p.username)) ?? [];
    const d = list.find((x) => x.id === deviceId);
    if (!d) throw new SimError('not-found', `Enheden ${deviceId} findes ikke hos ${p.username}`);
    return { p, d, list };
  }

  lockDevice(key: PersonKey, deviceId: string, body: LockDeviceBody): MfaDevice {
    const { p, d } = this.device(key, deviceId);
    let untilMs: number | null = null;
    if (body.until !== undefined) {
      untilMs = Date.parse(body.until);
      if (untilMs <= this.clock()) throw new SimError('validation', 'Spærringen skal slutte i fremtiden');
    }
    d.lockedIndefinitely = untilMs === null;
    d.lockedUntilMs = untilMs;
    d.lockedReason = body.reason;
    this.touch(p);
    this.adminEvent(ownActions.lockDevice, `MFA-enheden "${d.name}" er spærret. Begrundelse: ${body.reason}`, p, body, `Enhed: ${d.id}`);
    return this.deviceView(d);
  }

  unlockDevice(key: PersonKey, deviceId: string, body: WriteBody): MfaDevice {
    const { p, d } = this.device(key, deviceId);
    d.lockedIndefinitely = false;
    d.lockedUntilMs = null;
    d.lockedReason = null;
    this.touch(p);
    this.adminEvent(ownActions.unlockDevice, `Spærringen af MFA-enheden "${d.name}" er ophævet. Begrundelse: ${body.reason}`, p, body, `Enhed: ${d.id}`);
    return this.deviceView(d);
  }

  removeDevice(key: PersonKey, deviceId: string, body: WriteBody): void {
    const { p, d, list } = this.device(key, deviceId);
    list.splice(list.indexOf(d), 1);
    if (d.serialNumber !== null) {
      const t = this.hardwareTokens.get(d.serialNumber);
      if (t) {
        t.assignedTo = null;
        t.deviceId = null;
      }
    }
    this.touch(p);
    this.adminEvent('DELETED_MFA_DEVICE', `MFA-enheden "${d.name}" er fjernet. Begrundelse: ${body.reason}`, p, body, `Enhed: ${d.id} (${d.type})`);
  }

  /**
   * Training hook: the person typed a wrong code on this device at login. Like OS2faktor, 5 wrong codes in a
   * row lock the device for 5 minutes by themselves; a right code (codeAccepted) starts the count again.
   */
  wrongCode(key: PersonKey, deviceId: string): MfaDevice {
    const { p, d } = this.device(key, deviceId);
    if (this.deviceView(d).locked) return this.deviceView(d);
    d.wrongCodes = (d.wrongCodes ?? 0) + 1;
    if (d.wrongCodes >= DEVICE_WRONG_CODES_BEFORE_LOCK) {
      d.wrongCodes = 0;
      d.lockedUntilMs = this.clock() + DEVICE_LOCK_MINUTES * 60_000;
      d.lockedIndefinitely = false;
      d.lockedReason = null;
      this.appendEvent({
        action: ownActions.deviceLockedByWrongCodes,
        message: `MFA-enheden "${d.name}" er spærret i ${DEVICE_LOCK_MINUTES} minutter efter ${DEVICE_WRONG_CODES_BEFORE_LOCK} forkerte koder`,
        person: p,
        performer: null,
        details: `Enhed: ${d.id}`,
      });
    }
    return this.deviceView(d);
  }

  codeAccepted(key: PersonKey, deviceId: string): void {
    this.device(key, deviceId).d.wrongCodes = 0;
  }

  testPush(key: PersonKey, deviceId: string, body: WriteBody): TestPushResult {
    const { p, d } = this.device(key, deviceId);
    if (d.type !== 'app' && d.type !== 'browser-extension') {
      throw new SimError('device-state', `Der kan ikke sendes test-push til en enhed af typen ${d.type}`);
    }
    if (this.deviceView(d).locked) throw new SimError('device-state', `MFA-enheden "${d.name}" er spærret`);
    const at = this.nowIso();
    d.lastUsed = at;
    this.adminEvent('ADMIN_MFA_TEST', `Test-push sendt til "${d.name}". Begrundelse: ${body.reason}`, p, body, `Enhed: ${d.id}`);
    return { deviceId: d.id, outcome: 'approved', at };
  }

  hardwareToken(serialNumber: string): HardwareToken {
    const t = this.hardwareTokens.get(serialNumber);
    if (!t) throw new SimError('not-found', `Kodeviseren ${serialNumber} findes ikke`);
    return { ...t, assignedTo: t.assignedTo ? { ...t.assignedTo } : null };
  }

  listHardwareTokens(status: 'free' | 'assigned' | undefined, cursor: string | undefined, limit: number): Page<HardwareToken> {
    let all = [...this.hardwareTokens.values()];
    if (status === 'free') all = all.filter((t) => t.assignedTo === null);
    if (status === 'assigned') all = all.filter((t) => t.assignedTo !== null);
    return pageSlice(all, cursor, limit);
  }

  assignHardwareToken(key: PersonKey, body: AssignTokenBody): MfaDevice {
    const p = this.person(key);
    const k = personKeyOf(p.domain, p.username);
    const t = this.hardwareTokens.get(body.serialNumber);
    if (!t) throw new SimError('not-found', `Kodeviseren ${body.serialNumber} findes ikke`);
    if (t.assignedTo !== null) {
      // The same assignment again (e.g. a retry) answers with the device it already made.
      if (personKeyOf(t.assignedTo.domain, t.assignedTo.username) === k) {
        const existing = (this.devices.get(k) ?? []).find((d) => d.id === t.deviceId);
        if (existing) return this.deviceView(existing);
      }
      throw new SimError('token-assigned', `Kodeviseren ${body.serialNumber} er allerede tildelt en anden person`);
    }
    const d: SimDevice = {
      id: this.newDeviceId(),
      type: 'hardware-token',
      name: `Kodeviser ${t.serialNumber}`,
      nsisLevel: 'substantial',
      lockedUntilMs: null,
      lockedIndefinitely: false,
      lockedReason: null,
      lastUsed: null,
      registered: this.nowIso(),
      serialNumber: t.serialNumber,
    };
    const list = this.devices.get(k) ?? [];
    list.push(d);
    this.devices.set(k, list);
    t.assignedTo = { domain: p.domain, username: p.username };
    t.deviceId = d.id;
    this.touch(p);
    this.adminEvent(ownActions.assignToken, `Kodeviser ${t.serialNumber} tildelt. Begrundelse: ${body.reason}`, p, body);
    return this.deviceView(d);
  }

  releaseHardwareToken(key: PersonKey, serialNumber: string, body: WriteBody): void {
    const p = this.person(key);
    const k = personKeyOf(p.domain, p.username);
    const t = this.hardwareTokens.get(serialNumber);
    if (!t || t.assignedTo === null || personKeyOf(t.assignedTo.domain, t.assignedTo.username) !== k) {
      throw new SimError('not-found', `Kodeviseren ${serialNumber} er ikke tildelt ${p.username}`);
    }
    const list = this.devices.get(k) ?? [];
    const idx = list.findIndex((d) => d.id === t.deviceId);
    if (idx >= 0) list.splice(idx, 1);
    t.assignedTo = null;
    t.deviceId = null;
    this.touch(p);
    // OS2faktor logs a released hardware token as KODEVISER_RESET, not as a deleted device.
    this.adminEvent('KODEVISER_RESET', `Kodeviser ${serialNumber} frigivet. Begrundelse: ${body.reason}`, p, body);
  }

  // ----- password policies ----------------------------------------------------------------------

  policy(domain: string): PasswordPolicy {
    const pol = this.policies.get(domain.toLowerCase());
    if (!pol) throw new SimError('not-found', `Der findes ingen password-politik for domænet ${domain}`);
    return pol;
  }

  updatePolicy(domain: string, body: PasswordPolicyUpdate): PasswordPolicy {
    const cur = this.policy(domain);
    if (body.basedOnVersion !== cur.version) {
      throw new SimError('conflict', `Password-politikken for ${cur.domain} er ændret af en anden (version ${cur.version}); hent den igen`, {
        currentVersion: cur.version,
      });
    }
    const violations = fullServiceViolations(body.settings);
    if (violations.length > 0) {
      throw new SimError('full-service-rule', `Full Service IdP-reglen for NSIS-domæner er ikke overholdt: ${violations.map((v) => v.message).join('; ')}`, {
        violations,
      });
    }
    const next: PasswordPolicy = {
      ...cur,
      version: cur.version + 1,
      updatedAt: this.nowIso(),
      updatedBy: body.actor.username,
      settings: structuredClone(body.settings),
    };
    this.policies.set(cur.domain.toLowerCase(), next);
    this.adminEvent('CHANGE_PASSWORD_SETTINGS', `Password-politikken for ${cur.domain} er ændret. Begrundelse: ${body.reason}`, null, body, JSON.stringify(next.settings));
    return next;
  }

  // ----- terms ----------------------------------------------------------------------------------

  termsVersion(version: number): TermsVersion {
    const v = this.termsVersions.find((x) => x.version === version);
    if (!v) throw new SimError('not-found', `Version ${version} af vilkårstillægget findes ikke`);
    return v;
  }

  currentTerms(): TermsVersion | null {
    const now = this.clock();
    return [...this.termsVersions].reverse().find((v) => Date.parse(v.effectiveFrom) <= now) ?? null;
  }

  publishTerms(body: PublishTermsVersion): TermsVersion {
    const newest = this.termsVersions.at(-1)?.version ?? null;
    if (body.basedOnVersion !== newest) {
      throw new SimError('conflict', `Vilkårstillægget er ændret af en anden (nyeste version er ${newest ?? 'ingen'}); hent det igen`, {
        currentVersion: newest,
      });
    }
    const at = this.nowIso();
    const v: TermsVersion = {
      version: (newest ?? 0) + 1,
      content: body.content,
      contentHash: sha256Hex(body.content),
      author: body.actor.displayName ?? body.actor.username,
      createdAt: at,
      requiresReacceptance: body.requiresReacceptance,
      effectiveFrom: body.effectiveFrom ?? at,
      reason: body.reason,
    };
    this.termsVersions.push(v);
    // Who must accept may change for everyone (a version in effect now that asks for acceptance again).
    if (Date.parse(v.effectiveFrom) <= this.clock()) this.touchEveryone();
    this.adminEvent(
      'CHANGE_TERMS_AND_CONDITIONS',
      `Vilkårstillæg version ${v.version} er udgivet${v.requiresReacceptance ? ' (kræver ny accept)' : ''}. Begrundelse: ${body.reason}`,
      null,
      body,
      `sha256:${v.contentHash}`,
    );
    return v;
  }

  /** Training hook: a person accepts the current terms at login. */
  acceptCurrentTerms(key: PersonKey): TermsAcceptance {
    const p = this.person(key);
    const cur = this.currentTerms();
    if (!cur) throw new SimError('not-found', 'Der er ingen gældende vilkår');
    const a: TermsAcceptance = {
      domain: p.domain,
      username: p.username,
      version: cur.version,
      contentHash: cur.contentHash,
      nsisContentHash: this.nsisTerms.contentHash,
      acceptedAt: this.nowIso(),
    };
    const k = personKeyOf(p.domain, p.username);
    this.acceptances.set(k, [...(this.acceptances.get(k) ?? []), a]);
    this.touch(p);
    this.appendEvent({ action: 'ACCEPTED_TERMS', message: `Vilkår version ${cur.version} accepteret`, person: p, performer: null, details: null });
    return a;
  }

  acceptancesOfPerson(key: PersonKey, cursor: string | undefined, limit: number): Page<TermsAcceptance> {
    const p = this.person(key);
    return pageSlice(this.acceptances.get(personKeyOf(p.domain, p.username)) ?? [], cursor, limit);
  }

  acceptancesOfVersion(version: number, cursor: string | undefined, limit: number): Page<TermsAcceptance> {
    this.termsVersion(version);
    const all: TermsAcceptance[] = [];
    for (const list of this.acceptances.values()) for (const a of list) if (a.version === version) all.push(a);
    return pageSlice(all, cursor, limit);
  }

  // ----- audit log ------------------------------------------------------------------------------

  /** The newest id ever given (ids never repeat, even after retention has deleted the newest events). */
  auditHead(): number {
    this.highestId = Math.max(this.highestId, this.audit.at(-1)?.id ?? 0);
    return this.highestId;
  }

  /**
   * The head as OS2faktor's `GET /api/auditlog/head` answers it: the largest id in the log, which is null
   * when the log is empty (SQL MAX over no rows), not 0.
   */
  auditHeadAnswer(): number | null {
    return this.audit.at(-1)?.id ?? null;
  }

  /**
   * OS2faktor's retention: every event is kept 13 months, login events (its 3-month LOGIN_HISTORY report
   * types) 3 months. Returns how many events were deleted. Ids are not reused.
   */
  applyRetention(now = this.clock()): number {
    this.auditHead();
    const monthsAgo = (n: number) => {
      const d = new Date(now);
      d.setUTCMonth(d.getUTCMonth() - n);
      return d.getTime();
    };
    const all = monthsAgo(RETENTION_MONTHS.all);
    const logins = monthsAgo(RETENTION_MONTHS.logins);
    const keep = this.audit.filter((e) => {
      const t = Date.parse(e.time);
      return t >= all && (t >= logins || !loginRetentionActions.includes(e.action));
    });
    const removed = this.audit.length - keep.length;
    if (removed > 0) this.audit.splice(0, this.audit.length, ...keep);
    return removed;
  }

  /** Index of the first event with id > after (binary search: ids ascend but skip). */
  private firstAfter(after: number): number {
    let lo = 0;
    let hi = this.audit.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.audit[mid]!.id <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  readAudit(after: number, limit: number): AuditPage {
    const start = this.firstAfter(after);
    const items = this.audit.slice(start, start + limit);
    const next = items.at(-1)?.id ?? after;
    return { items, next, hasMore: start + items.length < this.audit.length };
  }

  writeAudit(w: AuditEventWrite): { result: AuditWriteResult } {
    const fingerprint = JSON.stringify(w);
    const seen = this.writes.get(w.eventId);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        throw new SimError('conflict', `Hændelsen ${w.eventId} findes allerede med et andet indhold`);
      }
      return { result: { id: seen.id, eventId: w.eventId, created: false } };
    }
    const person = w.person ? this.people.get(personKeyOf(w.person.domain, w.person.username)) : undefined;
    const ev = this.appendEvent({
      action: w.action,
      message: w.reason ? `${w.message} Begrundelse: ${w.reason}` : w.message,
      person: person ?? (w.person ? { ...w.person, displayName: null } : null),
      performer: { username: w.performer.username, displayName: w.performer.displayName ?? null },
      details: w.details,
      time: w.time,
      correlationId: w.correlationId,
      source: 'console',
      eventId: w.eventId,
    });
    this.writes.set(w.eventId, { id: ev.id, fingerprint });
    return { result: { id: ev.id, eventId: w.eventId, created: true } };
  }

  // ----- console journals (the anchor) ------------------------------------------------------------

  journalView(j: SimJournal): JournalView {
    return { journalId: j.journalId, workstation: j.workstation, createdAt: j.createdAt, firstSeenAt: j.firstSeenAt, head: j.heads.at(-1) ?? null, heads: j.heads.length };
  }

  journal(journalId: string): JournalView {
    const j = this.journals.get(journalId);
    if (!j) throw new SimError('not-found', `Journalen ${journalId} er ukendt`);
    return this.journalView(j);
  }

  journalsOf(workstation: string): JournalView[] {
    const w = workstation.toLowerCase();
    return [...this.journals.values()].filter((j) => j.workstation.toLowerCase() === w).map((j) => this.journalView(j));
  }

  journalHeads(journalId: string, after: number, limit: number): HeadPage {
    const j = this.journals.get(journalId);
    if (!j) throw new SimError('not-found', `Journalen ${journalId} er ukendt`);
    const start = j.heads.findIndex((h) => h.seq > after);
    const items = start < 0 ? [] : j.heads.slice(start, start + limit);
    return { items, next: items.at(-1)?.seq ?? after, hasMore: start >= 0 && start + items.length < j.heads.length };
  }

  journalHeadAt(journalId: string, seq: number): AcknowledgedHead {
    const h = this.journals.get(journalId)?.heads.find((x) => x.seq === seq);
    if (!h) throw new SimError('not-found', `IdP'en har ikke bekræftet post ${seq} i journalen ${journalId}`);
    return h;
  }

  /**
   * A batch from a console's outbox. It must continue the chain this IdP has acknowledged for the journal:
   * the record after the last acknowledged head must point to that head's hash. A batch that does not
   * (a re-hashed, truncated or restored journal) is refused whole, so the console cannot move past it.
   * The same batch again (a retry after a lost answer) is answered with the head it already made.
   */
  shipJournalBatch(journalId: string, b: JournalBatch): JournalBatchResult {
    if (b.journal.journalId !== journalId) throw new SimError('validation', 'Journalens id i adressen og i partiet er forskellige');
    const j = this.journals.get(journalId);
    const last = j?.heads.at(-1) ?? null;
    const conflict = (message: string) => new SimError('conflict', message, { acknowledged: last });
    if (last) {
      if (b.head.seq <= last.seq) {
        const known = j!.heads.find((h) => h.seq === b.head.seq);
        if (!known || known.hash !== b.head.hash) {
          throw conflict(`IdP'en har allerede bekræftet journalen til post ${last.seq}; partiet til post ${b.head.seq} passer ikke med det bekræftede`);
        }
      } else {
        const next = b.events.find((e) => e.seq === last.seq + 1);
        if (!next) throw conflict(`Partiet begynder ved post ${b.events[0]!.seq}, men IdP'en har kun bekræftet til post ${last.seq}`);
        if (next.prevHash !== last.hash) {
          throw conflict(`Post ${next.seq} bygger ikke på den hash, IdP'en bekræftede ved post ${last.seq}: journalen er ændret`);
        }
      }
    }
    // Check every event before applying any, so a refused batch changes nothing.
    for (const e of b.events) this.checkAuditWrite(e.event);
    const events = b.events.map((e: ChainedEvent) => this.writeAudit(e.event).result);
    const now = this.nowIso();
    const journal: SimJournal = j ?? { journalId, workstation: b.journal.workstation, createdAt: b.journal.createdAt, firstSeenAt: now, heads: [] };
    if (!j) this.journals.set(journalId, journal);
    let head = journal.heads.find((h) => h.seq === b.head.seq);
    if (!head) {
      head = { seq: b.head.seq, hash: b.head.hash, acknowledgedAt: now };
      journal.heads.push(head);
    }
    return { journalId, head, events };
  }

  // ----- attestation of evidence --------------------------------------------------------------------

  /** The attestation key, made on first use; `created` tells the caller to persist it. */
  ensureAttestationKey(): { created: boolean } {
    if (this.attestation) return { created: false };
    this.attestation = createAttestationKey();
    return { created: true };
  }

  attestationCertificate(): AttestationCertificate {
    this.ensureAttestationKey();
    return certificateView(this.attestation!);
  }

  /** Signs an evidence manifest and notes it in the audit log, with the manifest's digest. */
  attestEvidence(req: AttestationRequest): Attestation {
    this.ensureAttestationKey();
    const a = attest(this.attestation!, req, this.nowIso());
    this.appendEvent({
      action: ownActions.evidenceAttested,
      message: `Manifestet for en revisionspakke er underskrevet (SHA-256 ${a.manifestSha256})`,
      person: null,
      performer: { username: req.actor.username, displayName: req.actor.displayName ?? null },
      details: JSON.stringify({ manifestSha256: a.manifestSha256, journalId: req.journalId, certificate: a.certificate.fingerprintSha256 }),
      source: 'idp-admin-api',
    });
    return a;
  }

  private checkAuditWrite(w: AuditEventWrite): void {
    const seen = this.writes.get(w.eventId);
    if (seen && seen.fingerprint !== JSON.stringify(w)) {
      throw new SimError('conflict', `Hændelsen ${w.eventId} findes allerede med et andet indhold`);
    }
  }

  appendEvent(e: {
    action: string;
    message: string;
    person: { domain: string; username: string; displayName: string | null; cprMasked?: string | null } | null;
    performer: { username: string; displayName: string | null } | null;
    details: string | null;
    time?: string;
    correlationId?: string | null;
    source?: string;
    eventId?: string | null;
    ipAddress?: string | null;
  }): AuditEvent {
    const ev: AuditEvent = {
      id: this.auditHead() + 1,
      time: e.time ?? this.nowIso(),
      action: e.action,
      message: e.message,
      ipAddress: e.ipAddress ?? null,
      correlationId: e.correlationId ?? null,
      person: e.person ? { domain: e.person.domain, username: e.person.username, displayName: e.person.displayName } : null,
      performer: e.performer,
      details: e.details,
      cprMasked: e.person?.cprMasked ?? null,
      source: e.source ?? 'idp',
      eventId: e.eventId ?? null,
    };
    this.audit.push(ev);
    return ev;
  }

  private adminEvent(action: string, message: string, p: SimPerson | null, body: WriteBody, details: string | null = null): void {
    this.appendEvent({
      action,
      message,
      person: p,
      performer: { username: body.actor.username, displayName: body.actor.displayName ?? null },
      details,
      correlationId: this.correlationId,
      source: 'idp-admin-api',
    });
  }
}
