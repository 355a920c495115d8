// The sync benchmark's warm start: a new console in a process of its own, on the data folder the first one
// left, as a console started the next morning is. In the benchmark's own process the closed console's heap
// was still there: collected before the start, it left V8 with a shrunken young generation and an old-space
// limit set from a small heap, so the start paid for collections a new process does not make (a full one in
// the middle of the MitID Erhverv search); not collected, the start paid for collecting the old console.
// The modules are loaded before the clock starts, as the Electron main process has loaded its bundle before
// it builds the core; the code runs cold, as in a new process.
import { boundHeapGrowth } from '../../src-main/heap.ts';
import { createCore } from '../../src-main/composition/core.ts';
import { memorySlot } from '../../src-main/dispatch/session.ts';
import { fileSettingsStore, memorySecretStore } from '../../src-main/store/settings-store.ts';
import type { SecretKey } from '../../shared/domain/settings.ts';
import { call, type Caller } from './core-call.ts';

export interface WarmStartRequest {
  dataDir: string;
  settingsFile: string;
  /** The secrets as the first console held them: key, value and what they are bound to. */
  secrets: [SecretKey, string, string][];
  operator: { username: string; password: string };
  /** What makes each change visible in its row: a display name's start, a suspended identity, a locked one. */
  renamed: { ids: string[]; prefix: string };
  suspendedIds: string[];
  lockedIds: string[];
  timeoutMs: number;
}

export interface WarmStartResult {
  coreMs: number;
  loginMs: number;
  firstRowsMs: number;
  allVisibleMs: number;
  visible: number;
  rows: number;
  indexed: number;
  peakRssMb: number;
}

async function warmStart(q: WarmStartRequest): Promise<WarmStartResult> {
  // As both hosts do before they build their core.
  boundHeapGrowth();
  const secrets = memorySecretStore();
  for (const [key, value, binding] of q.secrets) secrets.set(key, value, binding);
  const w0 = performance.now();
  const core = await createCore({ dataDir: q.dataDir, settings: fileSettingsStore(q.settingsFile), secrets, version: 'bench', auditSyncIntervalMs: 0, logError: () => {} });
  const coreMs = performance.now() - w0;
  const who: Caller = { slot: memorySlot(), workstation: 'bench-warm' };
  const l0 = performance.now();
  await call(core, 'session.login', q.operator, who);
  const loginMs = performance.now() - l0;
  const p0 = performance.now();
  const page = await call(core, 'people.list', { limit: 100 }, who);
  // The console's own work: start and first page; the sign-in (a bind to the DC) in between is the operator's.
  const firstRowsMs = coreMs + (performance.now() - p0);
  // Polled every 20 ms by row, not by a search over every row: the measuring must not slow what it measures.
  const row = (id: string) => core.people().row(id);
  const visibleNow = () =>
    q.renamed.ids.filter((id) => row(id)?.displayName.startsWith(q.renamed.prefix)).length +
    q.suspendedIds.filter((id) => row(id)?.mitid.status === 'Suspended').length +
    q.lockedIds.filter((id) => row(id)?.idp.locked === true).length;
  const expected = q.renamed.ids.length + q.suspendedIds.length + q.lockedIds.length;
  let visible = 0;
  while (visible < expected && performance.now() - w0 < q.timeoutMs) {
    visible = visibleNow();
    if (visible < expected) await new Promise((r) => setTimeout(r, 20));
  }
  const allVisibleMs = performance.now() - w0 - loginMs;
  await core.people().idle();
  await core.close();
  return { coreMs, loginMs, firstRowsMs, allVisibleMs, visible, rows: page.rows.length, indexed: page.indexed, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

process.once('message', (q) => {
  warmStart(q as WarmStartRequest).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (e: unknown) => process.send?.({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }, () => process.exit(1)),
  );
});
// The request is sent once this process listens for it (a message that arrives before is not kept).
process.send?.({ ready: true });
