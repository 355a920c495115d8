import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';

// Builds the Electron shell with electron-vite and inspects what would ship. The Electron binary cannot
// run here, so the preload bundle is executed in a VM with a recording stand-in for `electron`.
beforeAll(() => {
  execFileSync('node_modules/.bin/electron-vite', ['build'], { stdio: 'pipe', timeout: 120_000 });
}, 150_000);

describe('Electron shell bundle', () => {
  it('bundles the preload to one CommonJS file that exposes one invoke function and nothing else', async () => {
    const code = readFileSync('out/preload/preload.cjs', 'utf8');
    const required: string[] = [];
    const exposed: Record<string, unknown> = {};
    const sent: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: { invoke: async (...args: unknown[]) => (sent.push(args), { ok: true, data: null }) },
    };
    const module = { exports: {} };
    runInNewContext(code, {
      require: (id: string) => {
        required.push(id);
        if (id !== 'electron') throw new Error(`preload requires ${id}`);
        return electron;
      },
      module,
      exports: module.exports,
    });
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['lokalIdp']);
    const api = exposed.lokalIdp as Record<string, (...a: unknown[]) => Promise<unknown>>;
    expect(Object.keys(api)).toEqual(['invoke']);
    await api.invoke?.('people.search', { text: 'x' });
    expect(sent).toEqual([['lia:invoke', 'people.search', { text: 'x' }]]);
  });

  it('builds the main process and the renderer with the CSP meta tag', () => {
    expect(readFileSync('out/main/main.js', 'utf8')).toContain('requestSingleInstanceLock');
    expect(readFileSync('out/renderer/index.html', 'utf8')).toContain("script-src 'self'");
  });
});
