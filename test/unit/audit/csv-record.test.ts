// The console's CSV record formatter (services/csv.ts, used by the evidence CSV) must write exactly what
// csv-stringify writes with the same options (every field quoted, semicolons, CRLF) for harmless fields,
// and for a formula-like field exactly what csv-stringify writes for the same text behind an apostrophe:
// a differential test over awkward and random fields.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { expect, it } from 'vitest';
import { createCsvWriter, evidenceColumns } from '../../../src-main/services/audit/evidence.ts';
import { csvRecord, isFormulaLike } from '../../../src-main/services/csv.ts';

const options = { delimiter: ';', quoted: true, record_delimiter: 'windows' as const };
const harmless = ['', 'plain', 'Ib "Bamse" Larsen', '"', '""', 'a;b', 'linje 1\nlinje 2', 'cr\r\nlf', 'Søren Ærbø Åse', ' foran', 'bagved ', 'x=SUM(A1)', ' =1+2', '😀'];
const hostile = ['=SUM(A1)', '+1', '-2+3', '@SUM(1)', '\t=1', '\r=1', '=HYPERLINK("https://x.invalid";"klik")', '-', '='];
/** What OWASP asks for: the same field with an apostrophe in front (csv-stringify then quotes it). */
const neutral = (s: string) => (isFormulaLike(s) ? `'${s}` : s);

it('writes the same bytes as csv-stringify for harmless awkward fields', () => {
  for (const a of harmless) for (const b of harmless) expect(csvRecord([a, b, 'x'])).toBe(stringify([[a, b, 'x']], options));
});

it('writes a formula-like field quoted, behind an apostrophe, with its quotes doubled', () => {
  expect(csvRecord(['=HYPERLINK("https://x.invalid";"klik")', 'ok'])).toBe('"\'=HYPERLINK(""https://x.invalid"";""klik"")";"ok"\r\n');
  for (const a of hostile) for (const b of [...harmless, ...hostile]) expect(csvRecord([a, b])).toBe(stringify([[neutral(a), neutral(b)]], options));
});

it('writes the same bytes as csv-stringify for random rows', () => {
  const alphabet = 'ab ;"\r\n,æøåÆØÅ\'\\\t=';
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows = Array.from({ length: 2000 }, () =>
    Array.from({ length: 1 + Math.floor(rnd() * 14) }, () => Array.from({ length: Math.floor(rnd() * 12) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')),
  );
  expect(rows.map(csvRecord).join('')).toBe(stringify(rows.map((r) => r.map(neutral)), options));
  const plain = rows.map((r) => r.filter((f) => !isFormulaLike(f)));
  expect(plain.map(csvRecord).join('')).toBe(stringify(plain, options));
});

it('the writer puts a BOM and the header first and every row after, across batches', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lia-csv-'));
  try {
    const file = join(dir, 'x.csv');
    const w = createCsvWriter(file);
    const rows = Array.from({ length: 2500 }, (_, i) => [String(i), `navn "${i}"`, 'a;b']);
    for (const r of rows) await w.write(r);
    await w.end();
    expect(readFileSync(file, 'utf8')).toBe('\uFEFF' + stringify([evidenceColumns, ...rows], options));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
