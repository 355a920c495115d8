import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src-main/composition/core.ts';
import { memorySlot } from '../../src-main/dispatch/session.ts';
import { fileSettingsStore, memorySecretStore } from '../../src-main/store/settings-store.ts';
import type { TrainingEnvironment } from '../../src-main/training/environment.ts';
import type { MitIdSimulator } from '../../src-main/training/mitid-sim/index.ts';

export const TRAINING_PASSWORD = 'Traening-2026';

/**
 * A core on a fresh temp data folder, in the training environment. The simulators are off unless a
 * test asks for them, so unit tests stay fast.
 */
export async function testCore(opts: { simulators?: boolean; adjustEnvironment?: CoreOptions['adjustEnvironment'] } = {}): Promise<{ core: Core; dataDir: string; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lia-test-'));
  const core = await createCore({
    trainingSimulators: opts.simulators ?? false,
    // Tests drive the outbox themselves (core.syncAudit) instead of a background timer.
    auditSyncIntervalMs: 0,
    dataDir,
    settings: fileSettingsStore(join(dataDir, 'settings.json')),
    secrets: memorySecretStore(),
    version: '0.0.0-test',
    logError: () => {},
    ...(opts.adjustEnvironment ? { adjustEnvironment: opts.adjustEnvironment } : {}),
  });
  return {
    core,
    dataDir,
    async dispose() {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A training core with its simulators, signed in as `username`: the core, its MitID Erhverv simulator and the caller. */
export async function signedInTrainingCore(username = 'brugeradmin') {
  const env = await testCore({ simulators: true });
  const sim = (env.core.environment() as TrainingEnvironment).simulators.mitid?.simulator as MitIdSimulator;
  const who = caller();
  const r = await env.core.dispatch('session.login', { username, password: TRAINING_PASSWORD }, who);
  if (!r.ok) throw new Error(`${username}: ${r.error.message}`);
  return { ...env, sim, who };
}

/** A caller as a host would make one: its own session slot. */
export function caller(workstation = 'test') {
  return { slot: memorySlot(), workstation };
}

/**
 * A fresh training core per test (beforeEach/afterEach), and a way to sign in as one of its operators.
 * `current()` is the core of the running test.
 */
export function useTestCore(hooks: { beforeEach(fn: () => Promise<void>): void; afterEach(fn: () => Promise<void>): void }) {
  let env: Awaited<ReturnType<typeof testCore>>;
  hooks.beforeEach(async () => {
    env = await testCore();
  });
  hooks.afterEach(async () => env.dispose());
  return {
    current: (): Core => env.core,
    async signIn(username: string) {
      const c = caller();
      const r = await env.core.dispatch('session.login', { username, password: TRAINING_PASSWORD }, c);
      if (!r.ok) throw new Error(`${username}: ${r.error.message}`);
      return c;
    },
  };
}
