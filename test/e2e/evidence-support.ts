import { expect, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';

/**
 * Clicks "Hent pakken (zip)" in the finished evidence dialog, takes the browser's download and unpacks
 * it into a fresh temporary folder: returns the zip's path and the package folder (named as in the zip).
 */
export async function downloadPackage(page: Page): Promise<{ zip: string; folder: string; name: string }> {
  const started = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  const download = await started;
  const name = download.suggestedFilename();
  expect(name).toMatch(/^revisionspakke-.+\.zip$/);
  const dir = mkdtempSync(join(tmpdir(), 'lia-e2e-pakke-'));
  const zip = join(dir, name);
  await download.saveAs(zip);
  const entries = unzipSync(readFileSync(zip));
  const folder = join(dir, name.replace(/\.zip$/, ''));
  mkdirSync(folder);
  for (const [path, bytes] of Object.entries(entries)) {
    const [top, file] = path.split('/');
    expect(top).toBe(name.replace(/\.zip$/, ''));
    writeFileSync(join(folder, file!), bytes);
  }
  return { zip, folder, name: name.replace(/\.zip$/, '') };
}
