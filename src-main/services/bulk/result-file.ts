// The per-row result file: CSV with semicolons, UTF-8 with BOM and CRLF, so Danish Excel opens it as is.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bulkActionDa, bulkPlanDa, bulkResultDa, bulkRowStateDa, bulkSkipDa } from '../../../shared/domain/bulk.ts';
import type { BulkJobRecord, BulkRowRecord } from '../../store/bulk-store.ts';
import { ouLabel, parentDn } from '../../../shared/dn.ts';
import { csvDocument } from '../csv.ts';

export function resultCsv(job: BulkJobRecord, rows: BulkRowRecord[]): string {
  const header = ['Række', 'Brugernavn', 'Navn', 'Enhed', 'Handling', 'Plan', 'Sprunget over fordi', 'Status', 'Resultat', 'MitID Erhverv-uuid', 'Fejl', 'Forsøg', 'Opdateret'];
  const records = rows.map((r) => {
    const ou = r.dn ? parentDn(r.dn) : null;
    return [
      r.seq,
      r.username,
      r.displayName,
      ou ? ouLabel(ou) : null,
      bulkActionDa[job.action],
      bulkPlanDa[r.plan],
      r.skipReason ? bulkSkipDa[r.skipReason] : null,
      bulkRowStateDa[r.state],
      r.result ? (bulkResultDa[r.result] ?? r.result) : null,
      r.uuid,
      r.error,
      r.attempts,
      r.updatedAt,
    ];
  });
  // Fields are quoted only where needed (the file's established format); a formula-like cell is always
  // written quoted with a leading apostrophe, so Excel shows it as text (services/csv.ts).
  return csvDocument(header, records, 'minimal');
}

export function resultFileName(job: BulkJobRecord): string {
  return `masseopgave-${job.createdAt.slice(0, 10)}-${job.id.slice(0, 8)}.csv`;
}

/** Writes (or rewrites) the job's result file; write-then-rename, so a reader never sees half a file. */
export function writeResultFile(dir: string, job: BulkJobRecord, rows: BulkRowRecord[]): { path: string; fileName: string; csv: string } {
  mkdirSync(dir, { recursive: true });
  const fileName = resultFileName(job);
  const path = join(dir, fileName);
  const csv = resultCsv(job, rows);
  writeFileSync(`${path}.tmp`, csv, 'utf8');
  renameSync(`${path}.tmp`, path);
  return { path, fileName, csv };
}
