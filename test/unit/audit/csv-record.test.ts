// The evidence CSV's own record formatter must write exactly what csv-stringify writes with the same
// options (every field quoted, semicolons, CRLF): a differential test over awkward and random fields.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { expect, it } from 'vitest';
import { createCsvWriter, csvRecord, evidenceColumns } from '../../../src-main/services/evidence.ts';

const options = { delimiter: ';', quoted: true, record_delimiter: 'windows' as const };
const awkward = ['', 'plain', 'Ib "Bamse" Larsen', '"', '""', 'a;b', 'linje 1\nlinje 2', 'cr\r\nlf', 'Søren Ærbø Åse', ' foran', 'bagved ', '=SUM(A1)', '\t', '😀'];

it('writes the same bytes as csv-stringify for awkward fields', () => {
  for (const a of awkward) for (const b of awkward) expect(csvRecord([a, b, 'x'])).toBe(stringify([[a, b, 'x']], options));
});

it('writes the same bytes as csv-stringify for random rows', () => {
  const alphabet = 'ab ;"\r\n,æøåÆØÅ\'\\\t=';
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows = Array.from({ length: 2000 }, () =>
    Array.from({ length: 1 + Math.floor(rnd() * 14) }, () => Array.from({ length: Math.floor(rnd() * 12) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')),
  );
  expect(rows.map(csvRecord).join('')).toBe(stringify(rows, options));
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
