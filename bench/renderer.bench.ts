import { chromium, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { median, round, type Benchmark } from './lib.ts';
import { chromiumArgs, chromiumPath, startHost } from './support/web-host.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const RUNS = 5;

/** JS the browser must load before the first paint: the entry script and its static imports. */
function initialJsGzip(dir: string): number {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const m of html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\.?\/?([^"]+\.js)"/g)) files.add(m[1] as string);
  let total = 0;
  for (const f of files) total += gzipSync(readFileSync(join(dir, f))).length;
  return total;
}

/** Resident memory of the page's renderer process, read from /proc through Chromium's own process list. */
async function rendererRssMb(page: Page): Promise<number> {
  const cdp = await page.context().browser()!.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
  const rss = info.processInfo
    .filter((p) => p.type === 'renderer')
    .map((p) => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        return 0;
      }
    });
  return Math.max(...rss, 0) / 1024;
}

const referenceHtml = (rows: number) =>
  `<!doctype html><meta charset="utf-8"><table>${Array.from({ length: rows }, (_, i) => `<tr data-testid="person-row"><td>Person ${i}</td><td>user${i}</td><td>Enhed</td><td>Aktiv</td></tr>`).join('')}</table>`;

const bench: Benchmark = {
  name: 'renderer',
  description: `the console in Chromium through the web host with ${PEOPLE.toLocaleString('da-DK')} people; reference: a static page with the same 200 rows`,
  async run() {
    execFileSync('node_modules/.bin/vite', ['build', '--config', 'vite.renderer.config.ts'], { stdio: 'ignore' });
    const jsGzipKb = initialJsGzip('dist/renderer') / 1024;
    const host = await startHost({ LOKALIDP_TRAINING_PEOPLE: String(PEOPLE) });
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      const times: number[] = [];
      const refTimes: number[] = [];
      let rss = 0;
      let refRss = 0;
      for (let i = 0; i < RUNS; i++) {
        // Sign in once through the API so the timing covers opening the console, not typing a password.
        const ctx = await browser.newContext();
        const page = await ctx.newPage();
        await page.goto(`${host.url}#token=${host.token}`);
        await page.getByLabel('Brugernavn').fill('helpdesk');
        await page.getByLabel('Adgangskode').fill('Traening-2026');
        await page.getByRole('button', { name: 'Log ind' }).click();
        await page.getByTestId('person-row').first().waitFor();
        const t0 = Date.now();
        await page.reload();
        await page.getByTestId('person-row').first().waitFor();
        times.push(Date.now() - t0);
        rss = Math.max(rss, await rendererRssMb(page));
        await ctx.close();

        const rctx = await browser.newContext();
        const rpage = await rctx.newPage();
        const r0 = Date.now();
        await rpage.setContent(referenceHtml(200));
        await rpage.getByTestId('person-row').first().waitFor();
        refTimes.push(Date.now() - r0);
        refRss = Math.max(refRss, await rendererRssMb(rpage));
        await rctx.close();
      }
      const rows = median(times);
      const refRows = median(refTimes);
      return {
        metrics: {
          initialJsGzip: { value: round(jsGzipKb, 1), unit: 'KB' },
          rowsVisible: { value: rows, unit: 'ms' },
          rendererMemory: { value: round(rss, 1), unit: 'MB' },
        },
        reference: {
          rowsVisible: { value: refRows, unit: 'ms' },
          rendererMemory: { value: round(refRss, 1), unit: 'MB' },
        },
        ratio: round(rows / Math.max(refRows, 1)),
        goal: { initialJsGzip: '< 600 KB', rowsVisible: '< 1000 ms', rendererMemory: '< 300 MB' },
        pass: jsGzipKb < 600 && rows < 1000 && rss < 300,
        notes: [`median of ${RUNS} reloads of a signed-in console; memory is the renderer process's resident set`],
      };
    } finally {
      await browser.close();
      host.stop();
    }
  },
};
export default bench;
