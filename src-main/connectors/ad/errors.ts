// Turning what ldapts and Node throw into ConsoleErrors with Danish messages that name AD.
import type { DcFailure } from '../../../shared/domain/connection-test.ts';
import { ConsoleError, keyedError } from '../../../shared/errors.ts';

/** The subset of ldapts' ResultCodeError we rely on (numeric LDAP result code + server text). */
interface LdapResultError {
  code: number;
  message: string;
}

export function isLdapResultError(e: unknown): e is LdapResultError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'number';
}

/** Socket/TLS level failures: the DC is unreachable or untrustworthy, so try the next one. */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof ConsoleError) return e.code === 'unavailable-ad';
  if (!(e instanceof Error)) return false;
  if (isLdapResultError(e)) return e.code === 51 || e.code === 52; // busy, unavailable
  return true;
}

const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

/** What went wrong reaching one DC, as a code (the renderer words it; describeConnectionError in Danish). */
export function connectionErrorCode(e: unknown): DcFailure {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : '';
  const msg = typeof err.message === 'string' ? err.message : '';
  if (TLS_TRUST_CODES.has(code)) return 'tlsUntrusted';
  if (code === 'CERT_HAS_EXPIRED') return 'certExpired';
  if (code === 'CERT_NOT_YET_VALID') return 'certNotYetValid';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'certName';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  if (/timed? ?out|timeout/i.test(msg) || code === 'ETIMEDOUT') return 'timeout';
  if (/closed|socket/i.test(msg)) return 'reset';
  if (isLdapResultError(e) && (e.code === 51 || e.code === 52)) return 'busy';
  if (/TLS|SSL|certificate/i.test(msg) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return 'tls';
  return 'failed';
}

const dcFailureText: Record<DcFailure, (host: string, seconds: string) => string> = {
  tlsUntrusted: (h) => `${h}: certifikatet er ikke udstedt af en CA, konsollen stoler på (tjek CA-filen i AD-profilen)`,
  certExpired: (h) => `${h}: domænecontrollerens certifikat er udløbet`,
  certNotYetValid: (h) => `${h}: domænecontrollerens certifikat er endnu ikke gyldigt`,
  certName: (h) => `${h}: certifikatet er udstedt til et andet navn end adressen i AD-profilen`,
  refused: (h) => `${h}: forbindelsen blev afvist (kører AD-tjenesten?)`,
  dns: (h) => `${h}: navnet kan ikke slås op i DNS`,
  unreachable: (h) => `${h}: kan ikke nås på netværket`,
  reset: (h) => `${h}: forbindelsen blev afbrudt`,
  timeout: (h, s) => `${h}: svarede ikke inden for ${s} s`,
  busy: (h) => `${h}: domænecontrolleren er optaget eller utilgængelig`,
  tls: (h) => `${h}: TLS-forbindelsen kunne ikke oprettes`,
  failed: (h) => `${h}: forbindelsen mislykkedes`,
};

/** A Danish sentence for a connection-level failure against one DC. */
export function describeConnectionError(e: unknown, host: string, timeoutMs: number): string {
  return dcFailureText[connectionErrorCode(e)](host, (timeoutMs / 1000).toLocaleString('da-DK', { maximumFractionDigits: 1 }));
}

export function unavailable(reasons: string[], details?: Record<string, unknown>): ConsoleError {
  const text = reasons.length === 1 ? reasons[0] : reasons.join('; ');
  return new ConsoleError('unavailable-ad', `Active Directory svarer ikke (${text}).`, details).withKey('adUnavailable');
}

/** AD's sub-codes in a failed bind ("… AcceptSecurityContext error, data 775, …"). */
export function bindFailure(e: LdapResultError): ConsoleError {
  const data = /data ([0-9a-f]{3,8})/i.exec(e.message)?.[1]?.toLowerCase();
  switch (data) {
    case '775':
      return keyedError('unauthenticated', 'adBindLocked', 'Kontoen er låst i Active Directory. Bed en kollega eller IT om at låse den op.');
    case '533':
      return keyedError('unauthenticated', 'adBindDisabled', 'Kontoen er deaktiveret i Active Directory.');
    case '701':
      return keyedError('unauthenticated', 'adBindExpired', 'Kontoen er udløbet i Active Directory.');
    case '532':
    case '773':
      return keyedError('unauthenticated', 'adBindMustChange', 'Adgangskoden skal skiftes, før du kan logge ind. Skift den i Windows og prøv igen.');
    case '530':
    case '531':
      return keyedError('unauthenticated', 'adBindRestricted', 'Kontoen må ikke logge ind fra denne maskine eller på dette tidspunkt (Active Directory).');
    default:
      return keyedError('unauthenticated', 'adBindWrong', 'Forkert brugernavn eller adgangskode (Active Directory).');
  }
}

/** Password policy refusals: Samba says why; Windows only says 0000052D. */
function passwordRefusal(message: string): ConsoleError {
  const short = /too short.*?(\d+)\s*characters/i.exec(message);
  if (short) {
    return keyedError('refused', 'adPasswordTooShortMin', `Active Directory afviste adgangskoden: den er for kort. Den skal være mindst ${short[1]} tegn.`, { min: Number(short[1]) }, { reason: 'too-short', minLength: Number(short[1]) });
  }
  if (/too short/i.test(message)) {
    return keyedError('refused', 'adPasswordTooShort', 'Active Directory afviste adgangskoden: den er for kort.', undefined, { reason: 'too-short' });
  }
  if (/complexity/i.test(message)) {
    return keyedError('refused', 'adPasswordComplexity', 'Active Directory afviste adgangskoden: den opfylder ikke kravene til kompleksitet (store og små bogstaver, tal og tegn, og ikke brugerens navn).', undefined, { reason: 'complexity' });
  }
  if (/history|already used/i.test(message)) {
    return keyedError('refused', 'adPasswordHistory', 'Active Directory afviste adgangskoden: den har været brugt før.', undefined, { reason: 'history' });
  }
  if (/too young|minimum password age/i.test(message)) {
    return keyedError('refused', 'adPasswordMinAge', 'Active Directory afviste adgangskoden: den må ikke skiftes igen så hurtigt.', undefined, { reason: 'min-age' });
  }
  return keyedError('refused', 'adPasswordPolicy', 'Active Directory afviste adgangskoden: den opfylder ikke domænets adgangskodepolitik (længde, kompleksitet eller historik).', undefined, { reason: 'policy' });
}

export interface WriteContext {
  /** What was being done, as a Danish noun phrase, e.g. "nulstille adgangskoden". */
  action: string;
  /** What a missing object is, e.g. "Personen" or "Gruppen". */
  subject?: string;
}

/** Map an LDAP result error from a read or a write. Connection errors are handled by the caller. */
export function mapResultError(e: LdapResultError, ctx: WriteContext): ConsoleError {
  const msg = e.message;
  if (/0000052D/i.test(msg) || /check_password_restrictions/i.test(msg)) return passwordRefusal(msg);
  switch (e.code) {
    case 50:
      return new ConsoleError('forbidden', `Active Directory tillader ikke, at du ${ctx.action}: din konto har ikke rettigheden (AD-delegering).`).withKey('adNoRight');
    case 32:
      return new ConsoleError('not-found', `${ctx.subject ?? 'Objektet'} findes ikke (længere) i Active Directory.`).withKey('adObjectGone');
    case 49:
      return bindFailure(e);
    case 8:
    case 13:
      return keyedError('refused', 'adNeedsTls', 'Active Directory kræver en krypteret forbindelse (ldaps:// eller StartTLS) til dette.');
    case 16:
      return keyedError('conflict', 'adChangedMeanwhile', 'Værdien er ændret i Active Directory, siden den blev læst (en anden har ændret den). Hent personen igen og prøv igen.');
    case 19:
      return new ConsoleError('refused', `Active Directory afviste at ${ctx.action} (værdien overholder ikke en regel i AD).`).withKey('adConstraint');
    case 21:
    case 34:
      return new ConsoleError('validation', `Active Directory afviste at ${ctx.action}: ugyldig værdi eller DN.`).withKey('adInvalidValue');
    case 53:
      return new ConsoleError('refused', `Active Directory ville ikke ${ctx.action}.`).withKey('adUnwilling');
    case 3:
      return keyedError('unavailable-ad', 'adTimeLimit', 'Active Directory nåede ikke at svare (tidsgrænse på serveren).');
    case 51:
    case 52:
      return keyedError('unavailable-ad', 'adBusy', 'Active Directory er optaget eller utilgængelig lige nu.');
    default:
      return new ConsoleError('refused', `Active Directory afviste at ${ctx.action} (LDAP-kode ${e.code}).`).withKey('adRefusedCode', { ldapCode: e.code });
  }
}
