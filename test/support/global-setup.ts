// Shared once-per-run setup for the integration project. Servers that several test files need
// (e.g. the Samba AD DC) are started here and described to the tests through `provide`.
import type { TestProject } from 'vitest/node';

export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  return async () => {};
}
