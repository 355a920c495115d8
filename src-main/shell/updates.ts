// The built-in update check: off unless IT's policy (AutoUpdate) or an administrator turns it on. Municipal
// IT usually rolls out new versions itself (Intune, SCCM, GPO), and a workstation that updates on its own
// would run a version IT has not approved. The decision is pure (tested under Node); only startUpdates
// touches electron-updater, loaded when it is needed.
import type { LoadedPolicy } from '../../shared/domain/machine-policy.ts';
import type { Settings } from '../../shared/domain/settings.ts';

export type UpdatePlan = { check: false; why: string } | { check: true; feedUrl: string | null };

/** Whether to check for updates, and where: the policy's UpdateUrl, else the feed built into the installer. */
export function updatePlan(settings: Settings, policy: LoadedPolicy | null, packaged: boolean): UpdatePlan {
  // settings already carry the policy's AutoUpdate (policy > user setting > default off).
  if (!settings.autoUpdate) return { check: false, why: policy?.policy.AutoUpdate === false ? 'slået fra af IT' : 'slået fra' };
  if (!packaged) return { check: false, why: 'ikke en installeret version' };
  return { check: true, feedUrl: policy?.policy.UpdateUrl ?? null };
}

/** Check once at start; electron-updater downloads in the background and installs when the app quits. */
export async function startUpdates(plan: UpdatePlan, log: (message: string) => void): Promise<void> {
  if (!plan.check) return;
  const { autoUpdater } = await import('electron-updater');
  autoUpdater.autoInstallOnAppQuit = true;
  // Only the generic provider over https (checked by the policy schema); the installer's signature is
  // verified by electron-updater against the publisher of the running version on Windows.
  if (plan.feedUrl) autoUpdater.setFeedURL({ provider: 'generic', url: plan.feedUrl });
  try {
    await autoUpdater.checkForUpdatesAndNotify();
  } catch (e) {
    log(`Opdateringstjek fejlede: ${e instanceof Error ? e.message : String(e)}`);
  }
}
