// Shared once-per-run setup for the integration project. Servers that several test files need
// (e.g. the Samba AD DC) are started here and described to the tests through `provide`.
import type { TestProject } from 'vitest/node';
import { startDc, startSchoolDc, type RunningDc } from './samba/dc.ts';
import type { SambaContext, SchoolSambaContext } from './samba/context.ts';
import { SCHOOL_ADMIN_PASSWORD, SCHOOL_BASE_DN, SCHOOL_DNS, SCHOOL_FACTS } from './samba/school.ts';
import { ADMIN_PASSWORD, ADMIN_UPN, BASE_DN, DNS_DOMAIN, seedFacts } from './samba/seed-facts.ts';

/**
 * The DC costs a few seconds (more on the first run, which provisions and seeds it), so start it
 * only when AD integration tests are part of this run. LIA_SAMBA=always|never overrides.
 */
async function testFilesOf(project: TestProject): Promise<string[] | null> {
  try {
    // The CLI file filters (internal to vitest, hence the cast); absent = every file.
    const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
    return (await project.globTestFiles(filters)).testFiles.map((f) => f.replace(/\\/g, '/'));
  } catch {
    return null;
  }
}

/** Files under these folders need the municipality's DC; files under test/integration/domains/ also the schools'. */
const SAMBA_DIRS = ['/test/integration/ad/', '/test/integration/policies/', '/test/integration/people/', '/test/integration/deploy/', '/test/integration/domains/'];
const SCHOOL_DIRS = ['/test/integration/domains/'];

function needs(files: string[] | null, dirs: string[]): boolean {
  const env = process.env.LIA_SAMBA;
  if (env === 'always') return true;
  if (env === 'never') return false;
  return files === null || files.some((f) => dirs.some((d) => f.includes(d)));
}

/** What a test needs to know of a running DC: where it answers, and its domain. */
function contextOf<D extends { baseDn: string; upnSuffix: string; admin: { username: string; password: string } }>(dc: RunningDc, domain: D) {
  return { url: dc.url, startTlsUrl: dc.startTlsUrl, caFile: dc.caFile, pid: dc.pid, dir: dc.dir, ...domain };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let dc: RunningDc | null = null;
  let school: RunningDc | null = null;
  const files = await testFilesOf(project);
  const log = (m: string) => console.log(m);
  // The two DCs listen on different loopback addresses, so they start side by side.
  const [first, second] = await Promise.allSettled([
    needs(files, SAMBA_DIRS) ? startDc({ log }) : Promise.resolve(null),
    needs(files, SCHOOL_DIRS) ? startSchoolDc({ log }) : Promise.resolve(null),
  ]);
  if (first.status === 'rejected' || second.status === 'rejected') {
    if (first.status === 'fulfilled') await first.value?.stop();
    if (second.status === 'fulfilled') await second.value?.stop();
    throw first.status === 'rejected' ? first.reason : (second as PromiseRejectedResult).reason;
  }
  dc = first.value;
  school = second.value;
  const schoolContext: SchoolSambaContext | null = school ? contextOf(school, { baseDn: SCHOOL_BASE_DN, upnSuffix: SCHOOL_DNS, admin: { username: `Administrator@${SCHOOL_DNS}`, password: SCHOOL_ADMIN_PASSWORD }, facts: SCHOOL_FACTS }) : null;
  const context: SambaContext | null = dc ? contextOf(dc, { baseDn: BASE_DN, upnSuffix: DNS_DOMAIN, admin: { username: ADMIN_UPN, password: ADMIN_PASSWORD }, facts: seedFacts }) : null;
  project.provide('sambaSchool', schoolContext);
  project.provide('samba', context);
  return async () => {
    await Promise.all([dc?.stop(), school?.stop()]);
  };
}
