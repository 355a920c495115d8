// Types only: what the services depend on and what they offer. The composition root builds the real
// things; services, dispatch and hosts import these types from here, never from the root, so the layers
// form no circle (lint enforces it).
import type { z } from 'zod';
import type { Person } from '../shared/domain/person.ts';
import type { AdDomain, RoleMapping, SystemStatus } from '../shared/domain/settings.ts';
import type { auditOps } from '../shared/operations/audit.ts';
import type { bulkOps } from '../shared/operations/bulk.ts';
import type { transfersOps } from '../shared/operations/transfers.ts';
import type { tokensOps } from '../shared/operations/tokens.ts';
import type { driftFixOps } from '../shared/operations/driftfix.ts';
import type { peopleOps } from '../shared/operations/people.ts';
import type { sessionOps } from '../shared/operations/session.ts';
import type { settingsOps } from '../shared/operations/settings.ts';
import type { PersonKey } from '../shared/idp/common.ts';
import type { LinkRule } from '../shared/mitid/link-rule.ts';
import type { OperationSpec } from '../shared/operation.ts';
import type { PoliciesConfig, policiesOps } from '../shared/operations/policies.ts';
import type { fullServiceOps } from '../shared/operations/fullservice.ts';
import type { Operator, Scope } from '../shared/roles.ts';
import type { DirectoryPort, DirectorySession } from './connectors/directory-port.ts';
import type { CreateClaimsPort } from './connectors/idp/claims.ts';
import type { IdpPort } from './connectors/idp/idp-port.ts';
import type { MitIdErhvervPort } from './connectors/mitid-erhverv/port.ts';
import type { JournalOutcome } from './store/journal.ts';

export type { CreateClaimsPort, DirectoryPort, DirectorySession, IdpPort, MitIdErhvervPort };

/** How sure the console must be that an uncertain MitID Erhverv create did not land before it is sent again. */
export interface ConfirmPolicy {
  /** Searches that must not show the person before a pending create counts as not landed. */
  absentSearches: number;
  /** …spread over at least this long since the attempt. */
  windowMs: number;
}

/** A domain's rules for its people (see Connections.rulesFor). */
export interface DomainRules {
  linkRule: LinkRule;
  /** The AD group that mirrors who may sign (null: the domain does not use one). */
  signingGroupDn: string | null;
}

/** The systems the console talks to. Built by an environment; the same shape in training and live. */
export interface Connections {
  directory: DirectoryPort;
  /** null when the IdP is not set up. */
  idp: IdpPort | null;
  /** null when MitID Erhverv is not set up. */
  mitid: MitIdErhvervPort | null;
  /** The IdP's create claims (null: no IdP). */
  createClaims: CreateClaimsPort | null;
  /**
   * What differs per AD domain for a person (by DN; null = no AD account, the municipality's own): how
   * their subjectNameId is built and the group that mirrors who may sign. Asked per person, never
   * assumed from the first domain: a wrong rule would look up, or pay for, the wrong identity.
   */
  rulesFor(dn: string | null): DomainRules;
  /** The IdP's key for a person of the directory. */
  idpKey(dn: string, username: string): PersonKey;
  /**
   * The base DN of the domain, other than the municipality's own, that an identity with no AD account
   * belongs to by its local credential's subjectNameId (its link rule's suffix); null (or absent): the
   * municipality's. A school teacher's identity is not the municipality's to see or fix as an orphan.
   */
  subjectDomain?(subject: string): string | null;
  /**
   * With several AD domains: the configured domain a person lives in (by DN; with no AD account, by their
   * local credential's suffix, else the municipality's own) — the list's domain column, filter and counts.
   * Absent, or null, with one domain.
   */
  domainOf?(dn: string | null, subject: string | null): { id: string; name: string } | null;
  status(): Promise<SystemStatus[]>;
  close(): Promise<void>;
}

/** A training operator shown on the sign-in screen. */
export interface OperatorCard {
  username: string;
  password: string;
  role: string;
}

/**
 * Where the console runs: the built-in training municipality or the real systems. It supplies everything
 * that differs between the two; outside `training/` and the composition root nothing asks which it is.
 */
export interface Environment {
  connections: Connections;
  /** Shown as the training banner; nothing else may branch on it. */
  readonly isTraining: boolean;
  /**
   * Which AD groups grant which role in a domain (by id; null = a session with no domain: the first).
   * null: that domain's groups grant no role.
   */
  roleMapping(domainId: string | null): RoleMapping | null;
  /** The policies feature's settings until an administrator saves their own. */
  readonly policyDefaults: PoliciesConfig;
  /**
   * The AD domains when the environment brings its own (training: the municipality's and the schools');
   * absent: the settings' list (live).
   */
  readonly domains?: readonly AdDomain[];
  /**
   * A leaked-password service the environment brings along, used instead of the configured endpoint
   * (training: its local k-anonymity range simulator, so training never asks the internet). Absent in live.
   */
  readonly leakedPasswordService?: { endpoint: string; ca: string };
  /** Ready-made operators offered on the sign-in screen (none in live). */
  readonly operatorCards: readonly OperatorCard[];
  /** Names exactly these systems, so a cache of other systems' people is never shown. */
  readonly cacheKey: string;
  /** Secrets feed the live clients: a changed secret means the connections are built again. */
  readonly usesStoredSecrets: boolean;
  /** Confirmation window for uncertain creates (short in training, so a trainee sees one settle). */
  readonly createConfirm?: ConfirmPolicy;
}

/** A signed-in operator: who they are, and their own bind to the directory. */
export interface ActiveSession {
  operator: Operator;
  /** The bind of `operator`'s own domain (in a call: of the grant the call acts as). */
  directory: DirectorySession;
  /**
   * Binds in further domains, one per grant in `operator.also` (#19). In a call: the binds of every grant
   * that allows it, `directory` included — what a list reads under.
   */
  others?: DirectorySession[];
  startedAt: number;
  lastUsedAt: number;
}

/** The person an operation names, as the dispatcher resolved it for the scope check and the journal. */
export interface ResolvedTarget {
  id: string;
  /** The AD entry; null for a person without an AD account (an identity only in MitID Erhverv). */
  person: Person | null;
  dn: string | null;
  /** For a person without an AD account who belongs to another domain than the municipality's: its base DN (for the access decision). */
  domainDn?: string | null;
  /** Name and username (or the identity's name), so a journal record reads on its own. */
  label: string | null;
  /** The DN of the person's OU. */
  ou: string | null;
}

/** An extra journal record a service writes beside the dispatcher's intent and outcome. */
export interface CallEvent {
  operation: string;
  /** Who the record names; default: the signed-in operator (a sign-in names the one just signed in). */
  operator?: Operator;
  reason: string | null;
  outcome: JournalOutcome | null;
  summary: Record<string, unknown>;
  target?: { id: string; label: string | null; ou: string | null } | null;
}

/** What a service method gets besides its input: who calls, from where, in which scope, about whom. */
export interface Call {
  correlationId: string;
  /** Name of the workstation or host, for the journal. */
  workstation: string;
  /** The signed-in operator's session; null only for public operations. */
  session: ActiveSession | null;
  /** Like `session`, but throws `unauthenticated` when nobody is signed in. */
  requireSession(): ActiveSession;
  /** Replace the caller's session (sign-in and sign-out). */
  setSession(session: ActiveSession | null): void;
  /** The operator's OU scope for this operation (null = whole organisation); lists are filtered to it. */
  scope: Scope;
  /** For operations with scope 'person': the person, already checked to be in scope. */
  target: ResolvedTarget | null;
  /** Journal an event in this call's name (operator, workstation, correlation id). */
  record(event: CallEvent): void;
}

/** A feature's service: one method per operation of its slice of the contract, shaped like it. */
export type FeatureService<T extends Record<string, OperationSpec>> = {
  [N in keyof T]: (input: z.output<T[N]['input']>, call: Call) => Promise<z.output<T[N]['output']>>;
};

/** Every feature's service; together they answer every operation of the contract. */
export interface Services {
  session: FeatureService<typeof sessionOps>;
  settings: FeatureService<typeof settingsOps>;
  people: FeatureService<typeof peopleOps>;
  audit: FeatureService<typeof auditOps>;
  policies: FeatureService<typeof policiesOps>;
  bulk: FeatureService<typeof bulkOps>;
  transfers: FeatureService<typeof transfersOps>;
  tokens: FeatureService<typeof tokensOps>;
  driftFix: FeatureService<typeof driftFixOps>;
  fullService: FeatureService<typeof fullServiceOps>;
}
