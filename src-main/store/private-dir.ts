import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { ConsoleError } from '../../shared/errors.ts';

/**
 * Creates the console's data folder readable by its owner only (0700 on POSIX) and tightens one that an
 * older version (or the user) left readable by others. The folder holds the journal, caches of people
 * and evidence packages. Windows keeps the per-user ACLs of the profile folder it lives in.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(dir, 0o700);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'ukendt fejl';
    throw new ConsoleError(
      'internal',
      `Datamappen ${dir} kan læses af andre brugere (rettigheder ${mode.toString(8)}), og konsollen kan ikke begrænse dem (${code}). Vælg en mappe, du selv ejer.`,
    );
  }
}
