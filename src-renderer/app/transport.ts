import type { PreloadBridge } from '../../shared/bridge.ts';
import type { OpInput, OpName, OpOutput, OpResult } from '../../shared/operations/index.ts';
import type { ErrorCode, MessageParams } from '../../shared/errors.ts';

declare global {
  interface Window {
    /** The Electron preload's bridge; absent when the renderer is served by the web host. */
    lokalIdp?: PreloadBridge;
  }
}

export class OpError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** The message by key and values, for the operator's language (see shared/errors.ts). */
  readonly key: string | undefined;
  readonly params: MessageParams | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, ref?: { key?: string | undefined; params?: MessageParams | undefined }) {
    super(message);
    this.code = code;
    this.details = details;
    this.key = ref?.key;
    this.params = ref?.params;
  }
  /** Field → message, when the error is a validation error. */
  get fields(): Record<string, string> {
    return (this.details?.fields as Record<string, string> | undefined) ?? {};
  }
}

const TOKEN_KEY = 'lia.token';

/**
 * The web host hands the per-run token to the browser in the URL fragment (never sent to a server,
 * never logged by proxies); keep it for this tab and wipe it from the address bar.
 */
export function captureTokenFromUrl(): void {
  const m = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

export function hasTransport(): boolean {
  return Boolean(window.lokalIdp) || Boolean(sessionStorage.getItem(TOKEN_KEY));
}

async function viaHttp(operation: string, input: unknown): Promise<OpResult<OpName>> {
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  let res: Response;
  try {
    res = await fetch(`/api/op/${operation}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, error: { code: 'internal', message: 'Konsollens værtsproces svarer ikke. Er den stoppet?', key: 'hostDown' } };
  }
  return (await res.json()) as OpResult<OpName>;
}

/** The renderer's one way to main: the same typed call in Electron and in the browser. */
export async function invoke<N extends OpName>(operation: N, input: OpInput<N>): Promise<OpOutput<N>> {
  const result = window.lokalIdp ? await window.lokalIdp.invoke(operation, input) : await viaHttp(operation, input);
  if (result.ok) return result.data as OpOutput<N>;
  const { code, message, details, key, params } = result.error;
  throw new OpError(code as ErrorCode, message, details, { key, params });
}
