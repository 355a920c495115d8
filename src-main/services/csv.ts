// The one CSV formatter of the console. Every CSV it writes (evidence `haendelser.csv`, the people
// export, the terms acceptance export, the bulk result file) goes through here, so a name, a reason or
// an error text that a user typed can never reach a spreadsheet as a live formula.
//
// CSV injection, as OWASP's guidance describes it: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
// carriage return is run by Excel/LibreOffice as a formula (`=HYPERLINK(…)`, DDE). Such a cell is written
// with a single quote in front, inside double quotes, with its own double quotes doubled — the spreadsheet
// then shows the text as typed and runs nothing. Semicolons and line breaks inside a quoted field are data.

/** Semicolon-separated, CRLF: what Danish Excel opens as is (with the BOM that `csvDocument` adds). */
const DELIMITER = ';';
const RECORD_END = '\r\n';
const BOM = '\uFEFF';

/**
 * True when a spreadsheet would read the cell as the start of a formula. A first-character test only:
 * it runs for every field of a million-row evidence export, so it must cost next to nothing.
 */
export function isFormulaLike(s: string): boolean {
  const c = s.charCodeAt(0);
  // '=' 61, '+' 43, '-' 45, '@' 64, tab 9, CR 13 (NaN for '' compares false).
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

export type CsvValue = string | number | null | undefined;

/**
 * How fields are quoted. `all` (the default): every non-empty field, as csv-stringify's `quoted: true`
 * writes it. `minimal`: only fields that hold a separator, quote or line break — the bulk result file's
 * established format. In both, a formula-like field is always neutralised and quoted.
 */
export type CsvQuoting = 'all' | 'minimal';

const NEEDS_QUOTES = /[;"\r\n]/;

/** One field. An empty field stays empty (as csv-stringify writes it): Excel reads both forms as empty. */
export function csvCell(value: CsvValue, quoting: CsvQuoting = 'all'): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  if (s === '') return '';
  if (isFormulaLike(s)) return `"'${s.includes('"') ? s.replaceAll('"', '""') : s}"`;
  if (quoting === 'minimal' && !NEEDS_QUOTES.test(s)) return s;
  return `"${s.includes('"') ? s.replaceAll('"', '""') : s}"`;
}

/**
 * One CSV record with every field quoted (RFC 4180) and formula-like fields neutralised. Written by hand
 * rather than with csv-stringify: on the evidence export's hot path csv-stringify alone measured 46–50 MB/s,
 * below the 50 MB/s goal for a million events. For harmless fields the output is byte-identical to
 * csv-stringify's `{ delimiter: ';', quoted: true, record_delimiter: 'windows' }` (a unit test checks it).
 */
export function csvRecord(row: readonly string[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    const s = row[i] as string;
    let field: string;
    if (s === '') field = '';
    else {
      const body = s.includes('"') ? s.replaceAll('"', '""') : s;
      field = isFormulaLike(s) ? `"'${body}"` : `"${body}"`;
    }
    line += i ? `${DELIMITER}${field}` : field;
  }
  return line + RECORD_END;
}

/** A record of mixed values (numbers, null) with the chosen quoting. */
export function csvLine(row: readonly CsvValue[], quoting: CsvQuoting = 'all'): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i ? DELIMITER : '') + csvCell(row[i], quoting);
  return line + RECORD_END;
}

/** A whole file: UTF-8 BOM (so Danish Excel reads æøå), a header record, then the rows. */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvValue[])[], quoting: CsvQuoting = 'all'): string {
  let out = BOM + csvLine(header, quoting);
  for (const r of rows) out += csvLine(r, quoting);
  return out;
}
