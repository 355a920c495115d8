// Decoders for AD's binary and integer-encoded attributes.

/** objectGUID (16 bytes, first three fields little-endian) → lower-case UUID string as AD prints it. */
export function guidToString(buf: Buffer): string {
  if (buf.length !== 16) throw new Error(`objectGUID skal være 16 bytes, fik ${buf.length}`);
  const h = (start: number, end: number, reverse: boolean) => {
    const part = Buffer.from(buf.subarray(start, end));
    if (reverse) part.reverse();
    return part.toString('hex');
  };
  return `${h(0, 4, true)}-${h(4, 6, true)}-${h(6, 8, true)}-${h(8, 10, false)}-${h(10, 16, false)}`;
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(s: string): boolean {
  return GUID_RE.test(s);
}

/** The inverse of guidToString: the 16 bytes to search objectGUID with. */
export function guidToBuffer(guid: string): Buffer {
  if (!isGuid(guid)) throw new Error('Ugyldigt GUID');
  const hex = guid.replace(/-/g, '');
  const b = Buffer.from(hex, 'hex');
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

/** objectSid / tokenGroups value → 'S-1-5-21-…'. */
export function sidToString(buf: Buffer): string {
  if (buf.length < 8) throw new Error('SID er for kort');
  const revision = buf.readUInt8(0);
  const count = buf.readUInt8(1);
  if (buf.length !== 8 + 4 * count) throw new Error('SID har forkert længde');
  const authority = buf.readUIntBE(2, 6);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(buf.readUInt32LE(8 + 4 * i));
  return ['S', revision, authority, ...subs].join('-');
}

export function sidToBuffer(sid: string): Buffer {
  const m = /^S-(\d+)-(\d+)((?:-\d+)*)$/i.exec(sid);
  if (!m) throw new Error('Ugyldigt SID');
  const subs = (m[3] ?? '').split('-').filter(Boolean).map(Number);
  if (subs.length > 15 || subs.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffffffff)) throw new Error('Ugyldigt SID');
  const b = Buffer.alloc(8 + 4 * subs.length);
  b.writeUInt8(Number(m[1]), 0);
  b.writeUInt8(subs.length, 1);
  b.writeUIntBE(Number(m[2]), 2, 6);
  subs.forEach((s, i) => b.writeUInt32LE(s, 8 + 4 * i));
  return b;
}

/** 100-ns intervals between 1601-01-01 and 1970-01-01. */
const EPOCH_DIFF = 116444736000000000n;
const NEVER = 0x7fffffffffffffffn;
/** 9999-12-31T23:59:59Z, the last instant a JS Date can print as a four-digit year. */
const MAX_MS = 253402300799999n;

/**
 * A FILETIME attribute (pwdLastSet, lastLogonTimestamp, accountExpires, lockoutTime) → ISO string,
 * or null for "never / not set" (0 and 0x7FFFFFFFFFFFFFFF) and anything unparsable or out of range.
 */
export function fileTimeToIso(value: string | null | undefined): string | null {
  if (value == null || !/^-?\d+$/.test(value.trim())) return null;
  const ft = BigInt(value.trim());
  if (ft <= 0n || ft >= NEVER) return null;
  const ms = (ft - EPOCH_DIFF) / 10000n;
  if (ms < -62135596800000n || ms > MAX_MS) return null;
  return new Date(Number(ms)).toISOString();
}

/** Date → FILETIME string (for writing accountExpires and for the test seed). */
export function dateToFileTime(date: Date): string {
  return (BigInt(date.getTime()) * 10000n + EPOCH_DIFF).toString();
}

/**
 * A duration stored as a negative count of 100-ns intervals (maxPwdAge, lockoutDuration, …) →
 * minutes. null when the attribute is absent or means "never" (0x8000000000000000 or 0 for ages).
 */
export function intervalToMinutes(value: string | null | undefined): number | null {
  if (value == null || !/^-?\d+$/.test(value.trim())) return null;
  const v = BigInt(value.trim());
  if (v === -0x8000000000000000n) return null;
  const abs = v < 0n ? -v : v;
  return Number(abs / 600000000n);
}

/** userAccountControl bits (MS-ADTS 2.2.16). */
export const UAC = {
  SCRIPT: 0x1,
  ACCOUNTDISABLE: 0x2,
  HOMEDIR_REQUIRED: 0x8,
  LOCKOUT: 0x10,
  PASSWD_NOTREQD: 0x20,
  PASSWD_CANT_CHANGE: 0x40,
  ENCRYPTED_TEXT_PWD_ALLOWED: 0x80,
  NORMAL_ACCOUNT: 0x200,
  INTERDOMAIN_TRUST_ACCOUNT: 0x800,
  WORKSTATION_TRUST_ACCOUNT: 0x1000,
  SERVER_TRUST_ACCOUNT: 0x2000,
  DONT_EXPIRE_PASSWORD: 0x10000,
  SMARTCARD_REQUIRED: 0x40000,
  TRUSTED_FOR_DELEGATION: 0x80000,
  NOT_DELEGATED: 0x100000,
  USE_DES_KEY_ONLY: 0x200000,
  DONT_REQ_PREAUTH: 0x400000,
  PASSWORD_EXPIRED: 0x800000,
} as const;

export interface AccountFlags {
  disabled: boolean;
  /** From msDS-User-Account-Control-Computed: the stored LOCKOUT bit is not maintained by AD. */
  lockedOut: boolean;
  /** From msDS-User-Account-Control-Computed. */
  passwordExpired: boolean;
  passwordNotRequired: boolean;
  passwordCantChange: boolean;
  passwordNeverExpires: boolean;
  smartcardRequired: boolean;
  normalAccount: boolean;
  computerAccount: boolean;
  trustedForDelegation: boolean;
  notDelegated: boolean;
  preauthNotRequired: boolean;
}

function toInt(v: string | number | null | undefined): number {
  if (v == null) return 0;
  const n = typeof v === 'number' ? v : Number.parseInt(v, 10);
  // AD sends these as signed 32-bit decimals; treat them as unsigned bit sets.
  return Number.isFinite(n) ? n >>> 0 : 0;
}

export function decodeAccountFlags(userAccountControl: string | number | null | undefined, computed: string | number | null | undefined): AccountFlags {
  const uac = toInt(userAccountControl);
  const comp = toInt(computed);
  const has = (bits: number, flag: number) => (bits & flag) !== 0;
  return {
    disabled: has(uac, UAC.ACCOUNTDISABLE),
    lockedOut: has(comp, UAC.LOCKOUT),
    passwordExpired: has(comp, UAC.PASSWORD_EXPIRED),
    passwordNotRequired: has(uac, UAC.PASSWD_NOTREQD),
    passwordCantChange: has(uac, UAC.PASSWD_CANT_CHANGE),
    passwordNeverExpires: has(uac, UAC.DONT_EXPIRE_PASSWORD),
    smartcardRequired: has(uac, UAC.SMARTCARD_REQUIRED),
    normalAccount: has(uac, UAC.NORMAL_ACCOUNT),
    computerAccount: has(uac, UAC.WORKSTATION_TRUST_ACCOUNT) || has(uac, UAC.SERVER_TRUST_ACCOUNT),
    trustedForDelegation: has(uac, UAC.TRUSTED_FOR_DELEGATION),
    notDelegated: has(uac, UAC.NOT_DELEGATED),
    preauthNotRequired: has(uac, UAC.DONT_REQ_PREAUTH),
  };
}

/** unicodePwd wants the password in double quotes, UTF-16LE. */
export function encodeUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}
