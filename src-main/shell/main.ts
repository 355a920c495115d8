// The thin Electron shell: one hardened window, one IPC binding, settings in electron-store and secrets
// through safeStorage. Everything else is the same core the web host runs.
import { app, BrowserWindow, dialog, net, protocol, session } from 'electron';
import Store from 'electron-store';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Settings } from '../../shared/domain/settings.ts';
import { logBackgroundError, runInBackground } from '../background.ts';
import { createCore } from '../composition/core.ts';
import { boundHeapGrowth } from '../heap.ts';
import { ConsoleError } from '../../shared/errors.ts';
import { parseStoredSettings, type SettingsStore } from '../store/settings-store.ts';
import { bindIpc } from './ipc.ts';
import { safeSecretStore } from './secrets.ts';
import { startUpdates, updatePlan } from './updates.ts';
import { APP_ORIGIN, APP_SCHEME, guardSession, guardWebContents, webPreferences } from './security.ts';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_e, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => app.quit());

  // Electron's ready event cannot be awaited at the top of the shell; a start that fails after the
  // settings were read (window, protocol) is shown and ends the app instead of being lost.
  runInBackground('Start af konsollen', app.whenReady().then(async () => {
    const rendererDir = join(import.meta.dirname, '../renderer');
    protocol.handle(APP_SCHEME, (req) => {
      const { pathname } = new URL(req.url);
      const file = normalize(join(rendererDir, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
      if (!file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
      return net.fetch(pathToFileURL(file).toString());
    });
    guardSession(session.defaultSession);

    // Settings that exist but cannot be read stop the console with a Danish message: falling back to the
    // training environment would hide a live setup whose secrets are still stored.
    let store: Store<Record<string, unknown>>;
    let core: Awaited<ReturnType<typeof createCore>>;
    try {
      store = new Store<Record<string, unknown>>({ name: 'settings' });
      const where = store.path;
      const settings: SettingsStore = {
        read: () => {
          const raw = store.get('settings');
          // Never saved: a fresh install, which starts in the training environment.
          return raw === undefined ? Settings.parse({}) : parseStoredSettings(raw, where);
        },
        write: (s) => store.set('settings', Settings.parse(s)),
      };
      // The main process: keep its old space near what lives (src-main/heap.ts).
      boundHeapGrowth();
      core = await createCore({
        dataDir: app.getPath('userData'),
        settings,
        secrets: safeSecretStore(store),
        version: app.getVersion(),
      });
    } catch (e) {
      // Unreadable settings and an invalid machine policy carry their own Danish message.
      const message =
        e instanceof ConsoleError
          ? e.message
          : `Indstillingerne kan ikke læses (${e instanceof Error ? e.message : String(e)}). Konsollen starter ikke i træningsmiljøet i stedet, fordi en opsætning til rigtige systemer kan være gemt. Ret eller flyt indstillingsfilen, og start konsollen igen.`;
      dialog.showErrorBox('Lokal IdP Admin kan ikke starte', message);
      app.exit(1);
      return;
    }

    window = new BrowserWindow({
      width: 1400,
      height: 900,
      title: 'Lokal IdP Admin',
      show: false,
      webPreferences: webPreferences(join(import.meta.dirname, '../preload/preload.cjs')),
    });
    const ownId = window.webContents.id;
    bindIpc(core.dispatch, (id) => id === ownId);
    window.once('ready-to-show', () => window?.show());
    // The page reports its own state once loaded; a load that fails is logged.
    runInBackground('Indlæsning af brugerfladen', window.loadURL(`${APP_ORIGIN}/index.html`));
    // Electron does not wait for before-quit's handlers; unshipped records stay in the outbox for next time.
    app.on('before-quit', () => runInBackground('Lukning af konsollen', core.close()));
    // Updates are checked behind the window; a failed check is logged and tried at the next start.
    runInBackground('Opdateringstjek', startUpdates(updatePlan(core.settings.read(), core.machinePolicy, app.isPackaged), (m) => console.error(m)));
  }), (e) => {
    logBackgroundError('Start af konsollen')(e);
    dialog.showErrorBox('Lokal IdP Admin kan ikke starte', e instanceof Error ? e.message : String(e));
    app.exit(1);
  });
}
