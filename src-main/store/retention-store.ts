import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { RetentionSettings } from '../../shared/domain/audit.ts';
import { ConsoleError } from '../../shared/errors.ts';

export interface RetentionStore {
  read(): RetentionSettings;
  write(settings: RetentionSettings): RetentionSettings;
}

/**
 * How long each kind of audit event is kept: a small JSON file; a missing one means the defaults. One that
 * exists but cannot be read fails closed: the defaults (13 months) may be shorter than what was set, and
 * the daily purge would then delete audit records that were meant to be kept.
 */
export function fileRetentionStore(file: string): RetentionStore {
  const unreadable = (why: string) =>
    new ConsoleError('internal', `Opbevaringsperioderne i ${file} kan ikke læses (${why}). Intet slettes, før perioderne er gemt igen under Revision.`);
  return {
    read() {
      if (!existsSync(file)) return RetentionSettings.parse({});
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw unreadable(e instanceof Error ? e.message : String(e));
      }
      const r = RetentionSettings.safeParse(raw);
      if (!r.success) throw unreadable(r.error.issues.map((i) => `${i.path.join('.') || 'filen'}: ${i.message}`).join('; '));
      return r.data;
    },
    write(settings) {
      const clean = RetentionSettings.parse(settings);
      // Write-then-rename, so a crash never leaves half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(clean, null, 2), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      return clean;
    },
  };
}
