import { z } from 'zod';
import { ConsoleError } from '../../../shared/errors.ts';
import { API_KEY_HEADER } from '../../../shared/idp/common.ts';
import type { AuditEvent, AuditPage } from '../../../shared/idp/audit.ts';
import type { AuditLogSource } from './idp-port.ts';
import { createIdpHttp } from './http.ts';

/** OS2faktor Login answers at most this many rows per read, whatever is asked. */
export const OS2FAKTOR_PAGE_SIZE = 100;

/**
 * One row of OS2faktor's `view_audit_log_api` as its `/api/auditlog/read` serialises it. Everything but
 * the id is treated as optional: the view has changed between releases, and the action is an open string.
 */
const LocalDateTime = z.union([z.string().min(10), z.array(z.number().int()).min(3).max(7)]);
export const Os2faktorAuditRow = z.object({
  id: z.number().int().min(1),
  tts: LocalDateTime,
  ipAddress: z.string().nullish(),
  correlationId: z.string().nullish(),
  personId: z.number().nullish(),
  personName: z.string().nullish(),
  cpr: z.string().nullish(),
  performerId: z.number().nullish(),
  performerName: z.string().nullish(),
  logAction: z.string().nullish(),
  message: z.string().nullish(),
  personDomain: z.string().nullish(),
  samaccountName: z.string().nullish(),
  detailType: z.string().nullish(),
  detailContent: z.string().nullish(),
  detailSupplement: z.string().nullish(),
});
export type Os2faktorAuditRow = z.infer<typeof Os2faktorAuditRow>;

const Head = z.object({ head: z.number().int().min(0).nullable() });

const cphParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Copenhagen',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Copenhagen's offset from UTC at an instant, in ms. */
function cphOffset(utcMs: number): number {
  const parts = Object.fromEntries(cphParts.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * OS2faktor stores Danish wall-clock time without an offset (Java LocalDateTime); the console works in
 * UTC. Accepts the ISO string and Jackson's array form.
 */
export function os2faktorTimeToIso(tts: string | number[]): string {
  let f: number[];
  if (typeof tts === 'string') {
    if (/[zZ]|[+-]\d\d:?\d\d$/.test(tts)) {
      const ms = Date.parse(tts);
      if (Number.isNaN(ms)) throw new Error('bad time');
      return new Date(ms).toISOString();
    }
    const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?$/.exec(tts);
    if (!m) throw new Error('bad time');
    f = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
    f.push(Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)) * 1_000_000);
  } else f = tts;
  const [y, mo, d, h = 0, mi = 0, s = 0, nanos = 0] = f;
  const wall = Date.UTC(y!, mo! - 1, d!, h, mi, s, Math.floor(nanos / 1_000_000));
  // Two passes settle the offset across the DST switch.
  let utc = wall - cphOffset(wall);
  utc = wall - cphOffset(utc);
  return new Date(utc).toISOString();
}

/** The full CPR never leaves the adapter: ddmmyy-XXXX as everywhere in the UI. */
function maskCpr(cpr: string | null | undefined): string | null {
  const m = /^(\d{6})-?\d{4}$/.exec(cpr?.trim() ?? '');
  return m ? `${m[1]}-XXXX` : null;
}

export function mapOs2faktorRow(r: Os2faktorAuditRow): AuditEvent {
  const details = [r.detailContent, r.detailSupplement].filter((x): x is string => typeof x === 'string' && x.length > 0).join('\n\n');
  return {
    id: r.id,
    time: os2faktorTimeToIso(r.tts),
    action: r.logAction?.trim() || 'UNKNOWN',
    message: r.message ?? '',
    ipAddress: r.ipAddress ?? null,
    correlationId: r.correlationId ?? null,
    person:
      r.samaccountName || r.personName
        ? { domain: r.personDomain ?? '', username: r.samaccountName ?? '', displayName: r.personName ?? null }
        : null,
    performer: r.performerName ? { username: r.performerName, displayName: r.performerName } : null,
    details: details || null,
    cprMasked: maskCpr(r.cpr),
    source: 'os2faktor',
    eventId: null,
  };
}

export interface Os2faktorAuditLogOptions {
  /** OS2faktor Login's address, e.g. https://kommune.os2faktor.dk */
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  ca?: string | Buffer;
  retries?: number;
  retryDelayMs?: number;
}

/**
 * Read-only AuditLogSource over what OS2faktor Login exposes today: `GET /api/auditlog/head` and
 * `GET /api/auditlog/read?offset=<lastId>` (rows with id > offset, 100 per call, header `ApiKey`).
 */
export function createOs2faktorAuditLog(opts: Os2faktorAuditLogOptions): AuditLogSource & { close(): void } {
  // The stack checks the address (https, or http to loopback only) before the key is ever sent.
  const h = createIdpHttp({
    baseURL: opts.baseUrl,
    headers: { [API_KEY_HEADER]: opts.apiKey },
    timeoutMs: opts.timeoutMs ?? 30_000,
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
    ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}),
  });
  return {
    async auditHead() {
      return (await h.request({ method: 'GET', path: '/api/auditlog/head', schema: Head, idempotent: true })).head ?? 0;
    },
    /** `limit` is ignored: OS2faktor always answers with up to 100 rows. */
    async readAudit(after: number): Promise<AuditPage> {
      if (!Number.isSafeInteger(after) || after < 0) throw new ConsoleError('validation', 'Ugyldig position i hændelsesloggen').withKey('idpBadLogPosition');
      const offset = after;
      const rows = await h.request({ method: 'GET', path: '/api/auditlog/read', query: { offset }, schema: z.array(Os2faktorAuditRow), idempotent: true });
      let items: AuditEvent[];
      try {
        items = rows.filter((r) => r.id > offset).sort((a, b) => a.id - b.id).map(mapOs2faktorRow);
      } catch {
        throw new ConsoleError('unavailable-idp', 'OS2faktor sendte en hændelse med et tidspunkt, konsollen ikke kan læse').withKey('idpBadLogTime');
      }
      // A full page means there may be more; an empty one ends the read.
      return { items, next: items.at(-1)?.id ?? offset, hasMore: rows.length >= OS2FAKTOR_PAGE_SIZE };
    },
    close: () => h.close(),
  };
}
