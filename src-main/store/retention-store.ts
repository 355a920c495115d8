import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { RetentionSettings } from '../../shared/domain/audit.ts';

export interface RetentionStore {
  read(): RetentionSettings;
  write(settings: RetentionSettings): RetentionSettings;
}

/** How long each kind of audit event is kept: a small JSON file; a missing or unreadable one means the defaults. */
export function fileRetentionStore(file: string): RetentionStore {
  return {
    read() {
      if (!existsSync(file)) return RetentionSettings.parse({});
      try {
        const r = RetentionSettings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        return r.success ? r.data : RetentionSettings.parse({});
      } catch {
        return RetentionSettings.parse({});
      }
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
