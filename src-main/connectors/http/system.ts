// Which system an HTTP stack talks to: the name the operator reads in Danish messages and the code it
// gets in the console's closed error set. Everything else in this folder is the same for every system.
import type { ErrorCode } from '../../../shared/errors.ts';

export interface HttpSystem {
  /** As the operator knows it: "MitID Erhverv", "Lokal IdP". */
  readonly name: string;
  /** The genitive, for "…s servercertifikat". */
  readonly genitive: string;
  /** The code for "cannot be reached / failed" in the closed error set. */
  readonly unavailable: Extract<ErrorCode, 'unavailable-mitid' | 'unavailable-idp'>;
  /** "No answer within N s", where operators (and the tests) know a system's own wording. */
  readonly timeoutMessage?: (seconds: string) => string;
}

/** Seconds as Danish text: 0,1 / 2,5 / 30. */
export function danishSeconds(ms: number): string {
  return (ms / 1000).toLocaleString('da-DK', { maximumFractionDigits: 1 });
}
