import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConsoleError, type ErrorPayload } from '../../shared/errors.ts';
import { isOpName, operations, type OpName, type OpOutput, type OpParsedInput } from '../../shared/operations/index.ts';
import type { OperationSpec } from '../../shared/operation.ts';
import { can, type Decision, type Denial } from '../../shared/access.ts';
import type { OperatorGrant } from '../../shared/roles.ts';
import type { ActiveSession, Call, ResolvedTarget } from '../ports.ts';
import type { CallContext } from './session.ts';
import type { Journal, JournalOutcome } from '../store/journal.ts';
import { parentDn } from '../../shared/dn.ts';
import { withCorrelation } from '../correlation.ts';
import { portableIssues, setZodLanguage } from '../../shared/validation-text.ts';
import { bindsOf, closeSession } from '../session-binds.ts';

// Main words zod's messages in Danish (the journal, a Danish UI); the renderer rewords each issue in the
// operator's language from the portable issue sent along (shared/validation-text.ts).
setZodLanguage('da');

export type Handler<N extends OpName> = (input: OpParsedInput<N>, call: Call) => Promise<OpOutput<N>>;
/** Every operation in the contract must have a handler: the type makes a missing one a compile error. */
export type Handlers = { [N in OpName]: Handler<N> };

export type DispatchResult = { ok: true; data: unknown } | { ok: false; error: ErrorPayload };

export interface DispatcherDeps {
  handlers: Handlers;
  journal: Journal;
  /** Reports unexpected errors (with stack) to the main-side log; never to the caller. */
  logError?: (correlationId: string, operation: string, err: unknown) => void;
  /** Idle time after which a session is dropped. */
  idleTimeoutMs?: number;
  /** Finds the person an operation names; default: the operator's own directory bind. */
  resolveTarget?: (session: ActiveSession, personId: string) => Promise<ResolvedTarget>;
}

/**
 * An AD person as a target: read under the operator's own bind, so AD's own read rights apply too. With
 * binds in several domains, the person is in one of them: each is asked in turn until one has them.
 */
export async function directoryTarget(session: ActiveSession, personId: string): Promise<ResolvedTarget> {
  let missing: unknown = null;
  for (const directory of bindsOf(session)) {
    try {
      const p = await directory.getPerson(personId);
      return { id: personId, person: p, dn: p.dn, label: `${p.displayName} (${p.username})`, ou: parentDn(p.dn) };
    } catch (e) {
      if (!(e instanceof ConsoleError && e.code === 'not-found')) throw e;
      missing = e;
    }
  }
  throw missing;
}

/**
 * The session a call acts in (#19): as the grant the decision was made by, with its domain's bind, and for
 * a list the binds of every grant that allows it. With one domain, the session itself.
 */
export function actingSession(session: ActiveSession, decision: Decision): ActiveSession {
  if (!decision.allowed || !decision.by || !session.others?.length) return session;
  const binds = bindsOf(session);
  const bindOf = (g: OperatorGrant) => binds.find((d) => (d.domain?.id ?? null) === (g.domain?.id ?? null));
  const [directory, ...others] = (decision.grants ?? [decision.by]).flatMap((g) => bindOf(g) ?? []);
  if (!directory) return session;
  return { ...session, operator: decision.by, directory, others };
}

/**
 * What a handler may store as the session. A call that acts as one of several grants (actingSession) gets a
 * session narrowed to that grant; storing it would silently drop the session's other domains, so that is
 * refused loudly (a programming error, found by the first test that does it), never done.
 */
export function storableSession(session: ActiveSession | null, actor: ActiveSession | null, next: ActiveSession | null): ActiveSession | null {
  if (next !== null && session !== null && actor !== null && actor !== session && next.operator === actor.operator) {
    throw new Error('A call that acts as one grant of several must not store its narrowed session: the other domains would be dropped.');
  }
  return next;
}

/** Field path → Danish message for the UI to put next to the field, and each issue as code + values. */
function zodDetails(err: z.ZodError): { fields: Record<string, string>; issues: Record<string, unknown> } {
  return portableIssues(err);
}

function redact(input: unknown, secretFields: readonly string[] | undefined): unknown {
  if (!secretFields?.length || typeof input !== 'object' || input === null) return input;
  const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const f of secretFields) if (f in copy) copy[f] = '[skjult]';
  return copy;
}

/**
 * The only way into the services. Order matters and is the same for every host:
 * operation → input (zod) → access (role) → target → access (scope) → intent → service → output (zod) → outcome.
 * The access decision is `can()` from the contract, the same one the renderer asks.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const idleTimeoutMs = deps.idleTimeoutMs ?? 60 * 60 * 1000;
  const resolveTarget = deps.resolveTarget ?? directoryTarget;

  return async function dispatch(name: string, rawInput: unknown, call: CallContext): Promise<DispatchResult> {
    const correlationId = call.correlationId ?? randomUUID();
    if (!isOpName(name)) {
      return { ok: false, error: { code: 'not-found', message: `Ukendt operation: ${name.slice(0, 80)}`, key: 'unknownOperation', params: { name: name.slice(0, 80) } } };
    }
    const spec = operations[name] as OperationSpec;
    const journaled = spec.writes || spec.sensitive === true;

    // reportInput: the issue learns the wrong value's type; portableIssues drops the value itself.
    const parsed = spec.input.safeParse(rawInput ?? {}, { reportInput: true });
    if (!parsed.success) {
      const details = zodDetails(parsed.error);
      const list = Object.entries(details.fields).map(([f, m]) => `${f}: ${m}`).join('; ');
      return { ok: false, error: { code: 'validation', message: `Ugyldige oplysninger – ${list}`, details } };
    }
    const input = parsed.data;

    let session = call.slot.get();
    if (session && Date.now() - session.lastUsedAt > idleTimeoutMs) {
      call.slot.set(null);
      // An expired bind that fails to close is dropped all the same; the call goes on signed out.
      await closeSession(session);
      session = null;
    }
    if (session) session.lastUsedAt = Date.now();

    // The role: refused before anything is attempted, so nothing is journaled.
    const byRole = can(session?.operator ?? null, name);
    if (!byRole.allowed) return { ok: false, error: denialPayload(byRole, name) };

    const reason = typeof (input as { reason?: unknown }).reason === 'string' ? (input as { reason: string }).reason : null;
    const personId = spec.target ? spec.target(input).personId : null;
    // The target, read once: for the scope, for the journal record and for the handler.
    let target: ResolvedTarget | null = null;
    let targetError: unknown = null;
    if (session && personId !== null) {
      try {
        target = await resolveTarget(session, personId);
      } catch (e) {
        targetError = e;
      }
    }
    const journalTarget = personId === null ? null : { id: personId, label: target?.label ?? null, ou: target?.ou ?? null };
    const record = (kind: 'intent' | 'outcome' | 'event', outcome: JournalOutcome | null, summary: Record<string, unknown>, as?: OperatorGrant) =>
      deps.journal.append({
        kind, operation: name, operator: as ?? (session as ActiveSession).operator, workstation: call.workstation, correlationId,
        target: journalTarget, reason, outcome, summary,
      });

    // The scope: a person outside the operator's OUs or domain is refused for reads and writes alike.
    const byScope = personId === null ? byRole : target ? can(session?.operator ?? null, name, { dn: target.dn ?? target.domainDn ?? null }) : byRole;
    if (!byScope.allowed) {
      const error = denialPayload(byScope, name);
      // Every refused attempt on a person outside the scope is on record, reads included.
      if (session && journaled) {
        const intent = record('intent', null, { input: redact(input, spec.secretFields) });
        record('outcome', 'refused', { intent, error });
      } else if (session) {
        record('event', 'refused', { error });
      }
      return { ok: false, error };
    }

    // From here the call acts as the grant that allowed it: the journal names that account, and the handler gets its bind.
    const actor = session ? actingSession(session, byScope) : null;
    const operator = actor?.operator;
    const intentSeq = journaled && session ? record('intent', null, { input: redact(input, spec.secretFields) }, operator) : null;
    const journalOutcome = (outcome: JournalOutcome, summary: Record<string, unknown>) => {
      if (intentSeq !== null) record('outcome', outcome, summary, operator);
    };

    const ctx: Call = {
      correlationId,
      workstation: call.workstation,
      session: actor,
      requireSession() {
        // Signed out during the call (session.logout): no session, whatever the call started as.
        const s = call.slot.get();
        if (!s) throw new ConsoleError('unauthenticated', 'Du er ikke logget ind.').withKey('notSignedIn');
        return s === session && actor ? actor : s;
      },
      setSession: (next) => call.slot.set(storableSession(session, actor, next)),
      scope: byScope.scope,
      target,
      // Extra events a service journals: in this call's name, with its correlation id.
      record(event) {
        const slot = call.slot.get();
        const by = event.operator ?? (slot === session && actor ? actor.operator : slot?.operator);
        if (!by) throw new ConsoleError('unauthenticated', 'Du er ikke logget ind.').withKey('notSignedIn');
        deps.journal.append({
          kind: 'event', operation: event.operation, operator: by, workstation: call.workstation, correlationId,
          target: event.target ?? null, reason: event.reason, outcome: event.outcome, summary: event.summary,
        });
      },
    };

    try {
      // A target that could not be read: the handler would fail the same way; say why once.
      if (targetError !== null) throw targetError;
      const handler = deps.handlers[name] as (i: unknown, c: Call) => Promise<unknown>;
      // The systems the handler calls hear the same correlation id (the IdP puts it on its audit events).
      const result = await withCorrelation(correlationId, () => handler(input, ctx));
      const out = spec.output.safeParse(result);
      if (!out.success) {
        throw new Error(`Output of ${name} does not match its contract: ${out.error.message}`);
      }
      journalOutcome('success', { intent: intentSeq });
      return { ok: true, data: out.data };
    } catch (e) {
      const payload = toPayload(e);
      if (payload.code === 'internal') deps.logError?.(correlationId, name, e);
      journalOutcome(outcomeFor(payload.code), { intent: intentSeq, error: payload });
      return { ok: false, error: payload };
    }
  };
}

function denialPayload(d: Denial, operation: string): ErrorPayload {
  // The units and whether the person has an AD account go along as parameters: the renderer says them in English.
  const scope =
    d.reason === 'scope' ? { units: d.units ?? [], noAccount: d.noAccount ?? false }
    : d.reason === 'domain' ? { domain: d.domain ?? '', noAccount: d.noAccount ?? false }
    : d.reason === 'municipality' ? { domain: d.domain ?? '' }
    : {};
  return { code: d.code, message: d.message, details: { operation, reason: d.reason, ...scope } };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

function outcomeFor(code: string): 'refused' | 'failed' | 'unknown' {
  if (code === 'forbidden' || code === 'refused' || code === 'conflict' || code === 'validation' || code === 'not-found') return 'refused';
  // When a system did not answer, we cannot know whether the change landed.
  if (code.startsWith('unavailable-')) return 'unknown';
  return 'failed';
}

export function toPayload(e: unknown): ErrorPayload {
  if (e instanceof ConsoleError) return e.toPayload();
  if (e instanceof z.ZodError) {
    return { code: 'validation', message: 'Ugyldige oplysninger', details: zodDetails(e) };
  }
  return { code: 'internal', message: 'Der opstod en intern fejl. Prøv igen, eller kontakt IT-afdelingen.' };
}

export type { OpName };
