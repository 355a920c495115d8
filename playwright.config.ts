import { defineConfig } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The console is driven in Debian's Chromium through the web host; Playwright's own browser builds are
// never downloaded. CHROMIUM_PATH overrides where Chromium lives.
const port = Number(process.env.E2E_PORT ?? 5790);
const token = process.env.CONSOLE_TOKEN ?? randomBytes(24).toString('base64url');
process.env.CONSOLE_TOKEN = token;
const dataDir = mkdtempSync(join(tmpdir(), 'lia-e2e-'));
// LIA_E2E_LIVE=0 leaves out test/e2e/live and its Samba DC for a quick training-only run while
// developing (one test DC per machine); CI and `npm test` always run both.
const live = process.env.LIA_E2E_LIVE !== '0';

export default defineConfig({
  testDir: 'test/e2e',
  // test/e2e/live runs against a real Samba AD DC and the simulators, started here.
  globalSetup: live ? './test/e2e/live/global-setup.ts' : undefined,
  testIgnore: live ? [] : ['**/live/**'],
  outputDir: 'test-results',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'da-DK',
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: 'node src-main/host-web/main.ts',
    env: { PORT: String(port), CONSOLE_TOKEN: token, LOKALIDP_DATA_DIR: dataDir },
    // The host prints READY when it accepts requests; Playwright polls the URL.
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
