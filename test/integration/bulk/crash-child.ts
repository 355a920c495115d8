// A console process that starts a planned bulk job and reports progress on stdout until it is killed.
// Run as `node crash-child.ts <config.json>` by crash.test.ts, which kills it with SIGKILL halfway.
import { readFileSync } from 'node:fs';
import { createMitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import { createBulkService } from '../../../src-main/services/bulk/index.ts';
import { openJournal } from '../../../src-main/store/journal.ts';
import type { LinkRule } from '../../../shared/mitid/link-rule.ts';
import type { Operator } from '../../../shared/roles.ts';

interface ChildConfig {
  dbFile: string;
  resultDir: string;
  jobId: string;
  concurrency: number;
  rule: LinkRule;
  operator: Operator;
  sim: { url: string; pfx: string; passphrase: string; caPem: string };
  client: { timeoutMs: number; backoff: { retries: number; baseDelayMs: number; maxDelayMs: number }; breaker: { failureThreshold: number; cooldownMs: number } };
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as ChildConfig;
const client = createMitIdErhvervClient({
  baseUrl: config.sim.url,
  pkcs12: Buffer.from(config.sim.pfx, 'base64'),
  passphrase: config.sim.passphrase,
  ca: config.sim.caPem,
  kind: 'training',
  ...config.client,
});
const journal = openJournal(config.dbFile);
const bulk = createBulkService({ journal, mitid: () => client, linkRuleFor: () => config.rule, resultDir: config.resultDir, logError: () => {} });
bulk.start(config.jobId, { operator: config.operator, workstation: 'crash-child' }, 'Nyansatte skal have lokalt login', config.concurrency);
setInterval(() => {
  const { job } = bulk.get(config.jobId, [], 0, 0);
  process.stdout.write(`progress ${job.counts.done} ${job.state}\n`);
}, 5);
