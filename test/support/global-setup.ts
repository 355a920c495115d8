// Shared once-per-run setup for the integration project. Servers that several test files need
// (e.g. the Samba AD DC) are started here and described to the tests through `provide`.
import type { TestProject } from 'vitest/node';
import { startDc, type RunningDc } from './samba/dc.ts';
import type { SambaContext } from './samba/context.ts';
import { ADMIN_PASSWORD, ADMIN_UPN, BASE_DN, DNS_DOMAIN, seedFacts } from './samba/seed-facts.ts';

/**
 * The DC costs a few seconds (more on the first run, which provisions and seeds it), so start it
 * only when AD integration tests are part of this run. LIA_SAMBA=always|never overrides.
 */
async function runNeedsSamba(project: TestProject): Promise<boolean> {
  const env = process.env.LIA_SAMBA;
  if (env === 'always') return true;
  if (env === 'never') return false;
  try {
    // The CLI file filters (internal to vitest, hence the cast); absent = every file.
    const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
    const { testFiles } = await project.globTestFiles(filters);
    return testFiles.some((f) => ['/test/integration/ad/', '/test/integration/policies/', '/test/integration/people/', '/test/integration/deploy/'].some((d) => f.replace(/\\/g, '/').includes(d)));
  } catch {
    return true;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let dc: RunningDc | null = null;
  if (await runNeedsSamba(project)) {
    dc = await startDc({ log: (m) => console.log(m) });
    const ctx: SambaContext = {
      url: dc.url,
      startTlsUrl: dc.startTlsUrl,
      caFile: dc.caFile,
      baseDn: BASE_DN,
      upnSuffix: DNS_DOMAIN,
      admin: { username: ADMIN_UPN, password: ADMIN_PASSWORD },
      pid: dc.pid,
      dir: dc.dir,
      facts: seedFacts,
    };
    project.provide('samba', ctx);
  } else {
    project.provide('samba', null);
  }
  return async () => {
    await dc?.stop();
  };
}
