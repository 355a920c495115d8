import { chromium, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { median, percentile, round, type Benchmark } from './lib.ts';
import { chromiumArgs, chromiumPath, startHost } from './support/web-host.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const TERMS = ['mads brønd', 'søren', 'jens peter', 'elevhan', 'ågesen', 'lefèvre', 'kirsten ø', 'bo holm', '10345', 'anne k'];

/** Passes over TERMS: more keystrokes, a steadier p95 on a busy machine. */
const ROUNDS = 2;

/** One keystroke: keydown to the frame after it, and the browser's own Event Timing split of it. */
interface Keystroke {
  ms: number;
  /** The first keystroke of a search (after the box was cleared). */
  first: boolean;
  /** Event Timing for this keydown: wait before the handler ran, the handlers, the rest to the next paint. */
  inputDelay: number | null;
  processing: number | null;
}

/** Time from each keydown to the frame after it: what the operator feels while typing. */
async function keystrokes(page: Page, selector: string, text: string): Promise<Keystroke[]> {
  await page.evaluate((sel) => {
    const w = window as unknown as { __lat: number[]; __start: number[]; __onKey?: () => void; __events: Array<{ start: number; delay: number; processing: number }>; __obs?: PerformanceObserver };
    w.__lat = [];
    w.__start = [];
    w.__events = [];
    // One listener per field: left from the last search, it would count every keystroke again.
    const field = document.querySelector(sel);
    if (w.__onKey) field?.removeEventListener('keydown', w.__onKey);
    w.__onKey = () => {
      const t0 = performance.now();
      w.__start.push(t0);
      requestAnimationFrame(() => setTimeout(() => w.__lat.push(performance.now() - t0), 0));
    };
    field?.addEventListener('keydown', w.__onKey);
    // Event Timing (Chromium): where each keydown's time went. durationThreshold 16 is the lowest allowed,
    // so only the slow ones are split — the ones that make the p95.
    w.__obs?.disconnect();
    w.__obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as PerformanceEventTiming[]) {
        if (e.name === 'keydown') w.__events.push({ start: e.startTime, delay: e.processingStart - e.startTime, processing: e.processingEnd - e.processingStart });
      }
    });
    w.__obs.observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
  }, selector);
  await page.locator(selector).click();
  await page.keyboard.type(text, { delay: 60 });
  await page.waitForTimeout(300);
  return page.evaluate(() => {
    const w = window as unknown as { __lat: number[]; __start: number[]; __events: Array<{ start: number; delay: number; processing: number }> };
    return w.__lat.map((ms, i) => {
      const t0 = w.__start[i] ?? 0;
      // The event's timestamp is the hardware time, a little before the listener's performance.now().
      const ev = w.__events.find((e) => Math.abs(e.start - t0) < 8 || (e.start <= t0 && t0 - e.start < e.delay + e.processing + 2));
      return { ms, first: i === 0, inputDelay: ev ? ev.delay : null, processing: ev ? ev.processing : null };
    });
  });
}

const bench: Benchmark = {
  name: 'people',
  description: `Personer with ${PEOPLE.toLocaleString('da-DK')} people in Chromium through the web host: first rows after start and per-keystroke latency while searching; reference: the same typing in a plain input on an empty page`,
  async run() {
    execFileSync('node_modules/.bin/vite', ['build', '--config', 'vite.renderer.config.ts'], { stdio: 'ignore' });
    const host = await startHost({ LOKALIDP_TRAINING_PEOPLE: String(PEOPLE) });
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      const page = await browser.newPage();
      await page.goto(`${host.url}#token=${host.token}`);
      await page.getByLabel('Brugernavn', { exact: true }).fill('helpdesk');
      await page.getByLabel('Adgangskode', { exact: true }).fill('Traening-2026');
      const cold0 = Date.now();
      await page.getByRole('button', { name: 'Log ind' }).click();
      // The first sign-in builds the 100,000-person index from all three systems: minutes on a busy machine.
      await page.getByTestId('person-row').first().waitFor({ timeout: 600_000 });
      const coldFirstRows = Date.now() - cold0;

      const warm: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = Date.now();
        await page.reload();
        await page.getByTestId('person-row').first().waitFor({ timeout: 60_000 });
        warm.push(Date.now() - t0);
      }

      // What else draws frames while the operator types (an animation repaints every frame it runs).
      const animations = await page.evaluate(() =>
        document.getAnimations().map((a) => {
          const el = (a.effect as KeyframeEffect | null)?.target as HTMLElement | null;
          return `${a.constructor.name}:${el?.tagName.toLowerCase() ?? '?'}.${(el?.className?.toString() ?? '').split(' ').slice(0, 2).join('.')}${el?.closest('[data-testid]')?.getAttribute('data-testid') ? `@${el.closest('[data-testid]')!.getAttribute('data-testid')}` : ''}`;
        }),
      );
      const strokes: Keystroke[] = [];
      const results: number[] = [];
      for (const term of Array.from({ length: ROUNDS }, () => TERMS).flat()) {
        await page.getByTestId('people-search').fill('');
        // The cleared list must have arrived, or its count would pass for the search's results.
        await page.waitForFunction(() => !document.querySelector('[data-testid="person-row-stale"]') && document.querySelector('[data-testid="person-row"]'), null, { timeout: 10_000 });
        await page.waitForTimeout(200);
        const before = await page.getByTestId('people-count').innerText();
        strokes.push(...(await keystrokes(page, '[data-testid="people-search"]', term)));
        const t0 = Date.now();
        await page.waitForFunction((b) => document.querySelector('[data-testid="people-count"]')?.textContent !== b, before, { timeout: 10_000 }).catch(() => {});
        results.push(Date.now() - t0 + 300);
      }

      const ref = await browser.newPage();
      await ref.setContent('<!doctype html><input id="q" aria-label="q">');
      const refStrokes: Keystroke[] = [];
      for (const term of Array.from({ length: ROUNDS }, () => TERMS).flat()) {
        await ref.fill('#q', '');
        refStrokes.push(...(await keystrokes(ref, '#q', term)));
      }

      const keys = strokes.map((k) => k.ms);
      const refKeys = refStrokes.map((k) => k.ms);
      const p95 = round(percentile(keys, 95), 1);
      // Where the slow keystrokes' time went (Event Timing), and whether the first keystroke of a search
      // (which marks the rows stale) is the slow one.
      const slow = strokes.filter((k) => k.ms >= percentile(keys, 95));
      const split = (xs: Keystroke[]) => `${xs.length} keystrokes, p95 ${round(percentile(xs.map((k) => k.ms), 95), 1)} ms`;
      const timed = strokes.filter((k) => k.inputDelay !== null);
      const diagnosis = [
        `first keystroke of a search: ${split(strokes.filter((k) => k.first))}; the others: ${split(strokes.filter((k) => !k.first))}`,
        `slowest 5 %: ${slow.length} keystrokes, ${slow.filter((k) => k.first).length} of them first keystrokes; Event Timing on ${slow.filter((k) => k.inputDelay !== null).length} of them`,
        timed.length
          ? `keydowns over 16 ms (Event Timing): ${timed.length}; input delay median ${round(median(timed.map((k) => k.inputDelay ?? 0)), 1)} ms, max ${round(Math.max(...timed.map((k) => k.inputDelay ?? 0)), 1)} ms; handlers median ${round(median(timed.map((k) => k.processing ?? 0)), 1)} ms, max ${round(Math.max(...timed.map((k) => k.processing ?? 0)), 1)} ms`
          : 'no keydown took 16 ms or more by Event Timing',
      ];
      diagnosis.push(`running animations when typing starts: ${animations.length ? animations.join(', ') : 'none'}`);
      console.log(diagnosis.join('\n'));
      const rows = median(warm);
      return {
        metrics: {
          firstRowsAfterSignIn: { value: coldFirstRows, unit: 'ms (index built on first sign-in)' },
          firstRowsOnReload: { value: rows, unit: 'ms' },
          keystrokeP50: { value: round(percentile(keys, 50), 1), unit: 'ms' },
          keystrokeP95: { value: p95, unit: 'ms' },
          resultsAfterTyping: { value: round(median(results)), unit: 'ms (median, incl. 300 ms pause)' },
        },
        reference: {
          keystrokeP50: { value: round(percentile(refKeys, 50), 1), unit: 'ms' },
          keystrokeP95: { value: round(percentile(refKeys, 95), 1), unit: 'ms' },
        },
        ratio: round(p95 / Math.max(percentile(refKeys, 95), 0.1)),
        goal: { firstRowsOnReload: '< 1000 ms', keystrokeP95: '< 16 ms' },
        pass: rows < 1000 && p95 < 16,
        notes: [`${keys.length} keystrokes over ${ROUNDS * TERMS.length} searches; keystroke = keydown to the frame after it`, ...diagnosis],
      };
    } finally {
      await browser.close();
      host.stop();
    }
  },
};
export default bench;
