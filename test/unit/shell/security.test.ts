import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, guardSession, guardWebContents, isTrustedSender, webPreferences } from '../../../src-main/shell/security.ts';

// The Electron binary cannot run here, so the shell's policy is checked through the objects it hands
// to Electron: the exact webPreferences, the CSP, and what the guards do with real events.

const directives = (csp: string) =>
  new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name as string, values];
  }));

describe('Electron shell security', () => {
  it('creates the window sandboxed, isolated and without Node', () => {
    const prefs = webPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('has a CSP with no inline or remote script and no remote origins at all', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|unsafe-eval/);
  });

  it('ships the same script policy in index.html', () => {
    const html = readFileSync('src-renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    const inHtml = directives(meta);
    const shared = directives(CONTENT_SECURITY_POLICY);
    for (const [name, values] of inHtml) expect(values, name).toEqual(shared.get(name));
    expect(inHtml.get('script-src')).toEqual(["'self'"]);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script element
  });

  it('denies navigation, redirects, webviews and new windows', () => {
    const contents = new EventEmitter() as EventEmitter & { setWindowOpenHandler: ReturnType<typeof vi.fn> };
    contents.setWindowOpenHandler = vi.fn();
    guardWebContents(contents as never);
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      contents.emit(event, e, 'https://evil.example/');
      expect(e.preventDefault, event).toHaveBeenCalledOnce();
    }
    const handler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as () => { action: string };
    expect(handler()).toEqual({ action: 'deny' });
  });

  it('refuses every permission request and sets CSP on every response', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    let headers: ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
    guardSession({
      setPermissionRequestHandler: (h: never) => (request = h),
      setPermissionCheckHandler: (h: never) => (check = h),
      webRequest: { onHeadersReceived: (h: never) => (headers = h) },
    } as never);
    const cb = vi.fn();
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read']) request?.({}, p, cb);
    expect(cb.mock.calls.every(([ok]) => ok === false)).toBe(true);
    expect(check?.()).toBe(false);
    const out = vi.fn();
    headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, out);
    expect(out.mock.calls[0]?.[0].responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('accepts IPC only from the console origin', () => {
    expect(isTrustedSender('app://console/index.html')).toBe(true);
    expect(isTrustedSender('https://console/index.html')).toBe(false);
    expect(isTrustedSender('app://evil/index.html')).toBe(false);
    expect(isTrustedSender('file:///C:/app/index.html')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});
