// `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one. Each writes
// bench/results/<name>.json and prints one line per metric; the table in bench/README.md is refreshed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricPasses, type Benchmark, type BenchResult } from './lib.ts';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const available = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`Ukendt benchmark: ${unknown.join(', ')}. Findes: ${available.join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const name of wanted.length ? wanted : available) {
  const bench = (await import(join(dir, `${name}.bench.ts`))).default as Benchmark;
  console.log(`\n▶ ${bench.name}: ${bench.description}`);
  let result: BenchResult;
  try {
    result = await bench.run();
  } catch (e) {
    failed = true;
    console.error(`✗ ${bench.name} kunne ikke køre:`, e);
    continue;
  }
  const file = join(dir, 'results', `${bench.name}.json`);
  const passes = metricPasses(result);
  const metricPass = Object.fromEntries(Object.entries(passes).filter((e): e is [string, boolean] => e[1] !== null));
  writeFileSync(file, JSON.stringify({ name: bench.name, date: new Date().toISOString(), ...result, metricPass }, null, 2) + '\n');
  for (const [key, m] of Object.entries(result.metrics)) {
    const ref = result.reference[key];
    const verdict = passes[key] === null ? '' : passes[key] ? ' (nået)' : ' (IKKE nået)';
    const goal = result.goal[key] ? `  mål ${result.goal[key]}${verdict}` : '';
    const vs = ref ? `  reference ${ref.value} ${ref.unit}  (×${(m.value / (ref.value || 1)).toFixed(2)})` : '';
    console.log(`  ${bench.name}.${key}: ${m.value} ${m.unit}${vs}${goal}`);
  }
  console.log(`  ratio ${result.ratio} — ${result.pass ? 'mål nået' : 'mål IKKE nået'}`);
  for (const n of result.notes ?? []) console.log(`  note: ${n}`);
}

// Refresh the results table in bench/README.md from every result file present.
const readme = join(dir, 'README.md');
const rows = readdirSync(join(dir, 'results'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => {
    const r = JSON.parse(readFileSync(join(dir, 'results', f), 'utf8')) as BenchResult & { name: string; date: string };
    // Each row says whether that metric met its goal; the benchmark's overall pass stays in the JSON.
    const passes = metricPasses(r);
    return Object.entries(r.metrics).map(([k, m]) => {
      const ref = r.reference[k];
      const pass = r.goal[k] === undefined ? '–' : passes[k] === null ? '?' : passes[k] ? 'ja' : 'nej';
      return `| ${r.name} | ${k} | ${m.value} ${m.unit} | ${ref ? `${ref.value} ${ref.unit}` : '–'} | ${r.goal[k] ?? '–'} | ${pass} | ${r.date.slice(0, 10)} |`;
    });
  });
const table = ['| Benchmark | Metric | Console | Reference | Goal | Pass | Date |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
const text = readFileSync(readme, 'utf8');
writeFileSync(readme, text.replace(/<!-- results -->[\s\S]*<!-- \/results -->/, `<!-- results -->\n${table}\n<!-- /results -->`));
process.exit(failed ? 1 : 0);
