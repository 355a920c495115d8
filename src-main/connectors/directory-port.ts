import type { Person, PersonSummary } from '../../shared/domain/person.ts';
import type { PingResult } from '../../shared/domain/settings.ts';
import type { OperatorDomain } from '../../shared/roles.ts';

/** A group the operator is a member of, directly or nested (from tokenGroups). */
export interface DirectoryGroup {
  sid: string;
  /** sAMAccountName of the group. */
  name: string;
  dn: string;
}

export interface OperatorIdentity {
  dn: string;
  username: string;
  displayName: string;
  groups: DirectoryGroup[];
}

/** The password policy that governs one person: their PSO (msDS-ResultantPSO), else the domain's. */
export interface PasswordPolicy {
  source: 'pso' | 'domain';
  /** The PSO's name, or "Domænets standardpolitik". */
  name: string;
  /** DN of the PSO or of the domain object. */
  dn: string;
  /** False when the operator may not read the PSO's settings (AD hides them by default); numbers are then null. */
  readable: boolean;
  minLength: number | null;
  historyLength: number | null;
  complexity: boolean | null;
  /** null = passwords never expire. */
  maxAgeDays: number | null;
  minAgeDays: number | null;
  /** 0 = accounts are never locked out. */
  lockoutThreshold: number | null;
  /** null = locked until an administrator unlocks. */
  lockoutDurationMinutes: number | null;
  lockoutWindowMinutes: number | null;
}

/** A PSO as listed from the Password Settings Container. */
export type AdPso = PasswordPolicy & { source: 'pso'; precedence: number | null; appliesTo: string[] };
export interface AdPasswordPolicies {
  domain: PasswordPolicy;
  psos: AdPso[];
}

/** The settings AD can enforce itself (a PSO's fields). */
export interface MirroredPolicySettings {
  minLength: number;
  historyLength: number;
  complexity: boolean;
  /** null = never expires. */
  maxAgeDays: number | null;
  minAgeDays: number;
  lockoutThreshold: number;
  lockoutDurationMinutes: number;
  lockoutWindowMinutes: number;
}

export interface MirroredPolicySpec {
  /** The IdP's policy domain; the PSO is named from it. */
  domain: string;
  settings: MirroredPolicySettings;
  /** DNs of the AD groups whose members the domain's policy governs. */
  appliesTo: string[];
}

export interface PeopleQuery {
  text: string;
  limit: number;
  /** Only people inside these OUs (DNs); null or absent = everyone. The total counts only them. */
  within?: readonly string[] | null;
}

/**
 * An operator's own connection to the directory. Writes go through it so that AD's delegation applies
 * to the person who clicked, not to a service account.
 */
export interface DirectorySession {
  readonly identity: OperatorIdentity;
  /**
   * The AD domain this bind is in (#19): every read and write of the session goes to that domain's DCs
   * under its base DN, and the operator's roles come from its role mapping. Absent where one domain is
   * all there is (a directory made from a bare profile).
   */
  readonly domain?: OperatorDomain;
  searchPeople(q: PeopleQuery): Promise<{ items: PersonSummary[]; total: number }>;
  /** personId = objectGUID. Throws ConsoleError('not-found') when unknown. */
  getPerson(personId: string): Promise<Person>;
  unlockAccount(personId: string): Promise<void>;
  /**
   * Set a new password (admin reset, no old password). mustChange=true makes the person choose a new
   * one at next logon; false clears that flag. Policy refusals → ConsoleError('refused').
   */
  resetPassword(personId: string, newPassword: string, mustChange: boolean): Promise<void>;
  /** Enable or disable the account; a no-op when it already is in that state. */
  setEnabled(personId: string, enabled: boolean): Promise<void>;
  /** Idempotent: adding an existing member or removing a non-member succeeds. */
  addToGroup(personId: string, groupDn: string): Promise<void>;
  removeFromGroup(personId: string, groupDn: string): Promise<void>;
  getResultantPasswordPolicy(personId: string): Promise<PasswordPolicy>;
  /**
   * Write the IdP's password policy for a domain into AD as a fine-grained password policy (PSO) that
   * applies to the given groups, so AD itself enforces it. Creates or updates; under the operator's bind.
   */
  mirrorPasswordPolicy(spec: MirroredPolicySpec): Promise<{ dn: string; created: boolean }>;
  /**
   * The password policies AD has now: the domain's default and every fine-grained policy (PSO) the operator
   * can see, with precedence (lower wins) and the groups it applies to. For checks, not for one person.
   */
  readPasswordPolicies(): Promise<AdPasswordPolicies>;
  /** The mirrored PSO of a domain as AD has it now, or null when there is none (or it cannot be read). */
  readMirroredPolicy(domain: string): Promise<(MirroredPolicySettings & { appliesTo: string[] }) | null>;
  close(): Promise<void>;
}

/** The console's view of Active Directory. Real adapter: ldapts; training adapter: in memory. */
export interface DirectoryPort {
  readonly kind: 'ad' | 'training';
  /**
   * Bind as the operator. Wrong credentials → ConsoleError('unauthenticated'); DC unreachable →
   * ConsoleError('unavailable-ad').
   */
  signIn(username: string, password: string): Promise<DirectorySession>;
  /** A cheap reachability check for the status bar and "test connection". */
  ping(): Promise<PingResult>;
}
