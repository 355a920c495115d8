import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConsoleError, type ErrorPayload } from '../../shared/errors.ts';
import { isOpName, operations, type OpName, type OpOutput, type OpParsedInput } from '../../shared/operations/index.ts';
import type { OperationSpec } from '../../shared/operation.ts';
import { dnIsWithin, type Role } from '../../shared/roles.ts';
import type { ActiveSession, CallContext } from './session.ts';
import type { Journal } from '../store/journal.ts';
import type { Person } from '../../shared/domain/person.ts';

export interface HandlerContext {
  call: CallContext;
  correlationId: string;
  /** The signed-in operator's session; null only for public operations. */
  session: ActiveSession | null;
  /** Like `session`, but throws `unauthenticated` when nobody is signed in. */
  requireSession(): ActiveSession;
}

export type Handler<N extends OpName> = (input: OpParsedInput<N>, ctx: HandlerContext) => Promise<OpOutput<N>>;
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
}

/** Field path → message, for the UI to put next to the field. */
function zodFields(err: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of err.issues) {
    const key = issue.path.length ? issue.path.join('.') : '(input)';
    fields[key] ??= issue.message;
  }
  return fields;
}

function redact(input: unknown, secretFields: readonly string[] | undefined): unknown {
  if (!secretFields?.length || typeof input !== 'object' || input === null) return input;
  const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const f of secretFields) if (f in copy) copy[f] = '[skjult]';
  return copy;
}

/**
 * The only way into the services. Order matters and is the same for every host:
 * operation → input (zod) → signed in → role → helpdesk scope → intent → service → output (zod) → outcome.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const idleTimeoutMs = deps.idleTimeoutMs ?? 60 * 60 * 1000;

  return async function dispatch(name: string, rawInput: unknown, call: CallContext): Promise<DispatchResult> {
    const correlationId = call.correlationId ?? randomUUID();
    if (!isOpName(name)) {
      return { ok: false, error: { code: 'not-found', message: `Ukendt operation: ${name.slice(0, 80)}` } };
    }
    const spec = operations[name] as OperationSpec;
    const journaled = spec.writes || spec.sensitive === true;

    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const fields = zodFields(parsed.error);
      const list = Object.entries(fields).map(([f, m]) => `${f}: ${m}`).join('; ');
      return { ok: false, error: { code: 'validation', message: `Ugyldige oplysninger – ${list}`, details: { fields } } };
    }
    const input = parsed.data;

    let session = call.slot.get();
    if (session && Date.now() - session.lastUsedAt > idleTimeoutMs) {
      call.slot.set(null);
      await session.directory.close().catch(() => {});
      session = null;
    }
    if (session) session.lastUsedAt = Date.now();

    const ctx: HandlerContext = {
      call,
      correlationId,
      session,
      requireSession() {
        const s = call.slot.get();
        if (!s) throw new ConsoleError('unauthenticated', 'Du er ikke logget ind.');
        return s;
      },
    };

    try {
      if (spec.access !== 'public' || journaled) {
        if (!session) throw new ConsoleError('unauthenticated', 'Du er ikke logget ind.');
        if (Array.isArray(spec.access)) {
          const allowed = spec.access as readonly Role[];
          if (!session.operator.roles.some((r) => allowed.includes(r))) {
            throw new ConsoleError('forbidden', `Din rolle giver ikke adgang til: ${spec.summary}.`, { operation: name });
          }
        }
      }
    } catch (e) {
      return { ok: false, error: toPayload(e) };
    }

    const target = spec.target ? spec.target(input) : undefined;
    const reason = typeof (input as { reason?: unknown }).reason === 'string' ? (input as { reason: string }).reason : null;
    let intentSeq: number | null = null;
    // The target's name and OU go into the journal so each record reads on its own; the same lookup
    // serves the helpdesk scope check below.
    let targetPerson: Person | null = null;
    if (journaled && session && target) {
      targetPerson = await session.directory.getPerson(target.personId).catch(() => null);
    }
    const journalTarget = target
      ? { id: target.personId, label: targetPerson ? `${targetPerson.displayName} (${targetPerson.username})` : null, ou: targetPerson ? parentDn(targetPerson.dn) : null }
      : null;
    if (journaled && session) {
      intentSeq = deps.journal.append({
        kind: 'intent',
        operation: name,
        operator: session.operator,
        workstation: call.workstation,
        correlationId,
        target: journalTarget,
        reason,
        outcome: null,
        summary: { input: redact(input, spec.secretFields) },
      });
    }

    const journalOutcome = (outcome: 'success' | 'refused' | 'failed' | 'unknown', summary: Record<string, unknown>) => {
      if (intentSeq === null || !session) return;
      deps.journal.append({
        kind: 'outcome',
        operation: name,
        operator: session.operator,
        workstation: call.workstation,
        correlationId,
        target: journalTarget,
        reason,
        outcome,
        summary,
      });
    };

    try {
      if (spec.writes && session && target) await enforceScope(session, spec, target.personId, targetPerson);
      const handler = deps.handlers[name] as (i: unknown, c: HandlerContext) => Promise<unknown>;
      const result = await handler(input, ctx);
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

export type Dispatch = ReturnType<typeof createDispatcher>;

/**
 * A helpdesk operator limited to OUs may act only on people inside them — unless another of their
 * roles already grants the operation without limits.
 */
async function enforceScope(session: ActiveSession, spec: OperationSpec, personId: string, known: Person | null): Promise<void> {
  const { roles, helpdeskOus } = session.operator;
  if (helpdeskOus === null) return;
  const allowed = spec.access === 'public' || spec.access === 'signed-in' ? roles : spec.access;
  const unscoped = roles.some((r) => r !== 'helpdesk' && allowed.includes(r));
  if (unscoped) return;
  const person = known ?? (await session.directory.getPerson(personId));
  if (!helpdeskOus.some((ou) => dnIsWithin(person.dn, ou))) {
    throw new ConsoleError('forbidden', 'Personen ligger uden for de organisationsenheder, du er helpdesk for.', {
      personId,
    });
  }
}

function outcomeFor(code: string): 'refused' | 'failed' | 'unknown' {
  if (code === 'forbidden' || code === 'refused' || code === 'conflict' || code === 'validation' || code === 'not-found') return 'refused';
  // When a system did not answer, we cannot know whether the change landed.
  if (code.startsWith('unavailable-')) return 'unknown';
  return 'failed';
}

export function toPayload(e: unknown): ErrorPayload {
  if (e instanceof ConsoleError) return e.toPayload();
  if (e instanceof z.ZodError) {
    return { code: 'validation', message: 'Ugyldige oplysninger', details: { fields: zodFields(e) } };
  }
  return { code: 'internal', message: 'Der opstod en intern fejl. Prøv igen, eller kontakt IT-afdelingen.' };
}

export type { OpName };

/** The DN of the container an entry lives in (its OU). */
function parentDn(dn: string): string | null {
  // The first unescaped comma ends the entry's own RDN (RFC 4514).
  for (let i = 0; i < dn.length; i++) {
    if (dn[i] === '\\') i++;
    else if (dn[i] === ',') return dn.slice(i + 1).trim();
  }
  return null;
}
