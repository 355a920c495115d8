import { z } from 'zod';
import { op } from '../operation.ts';
import { BulkAction, BulkJobView, BulkRowState, BulkRowView, BulkTarget } from '../domain/bulk.ts';
import { Reason } from '../domain/person.ts';

/** Bulk jobs are for administrators and user administrators only. */
const bulkRoles = ['administrator', 'useradmin'] as const;
const JobId = z.string().uuid('Ukendt opgave');

export const bulkOps = {
  'bulk.targets': op({
    summary: 'Vis enheder til masseopgaver',
    access: bulkRoles,
    scope: 'filtered',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({ ous: z.array(z.object({ dn: z.string(), label: z.string(), people: z.number().int() })) }),
  }),
  'bulk.plan': op({
    summary: 'Prøvekørsel af masseopgave',
    access: bulkRoles,
    scope: 'filtered',
    writes: false,
    invalidates: ['bulk.list'],
    input: z.object({ action: BulkAction, target: BulkTarget }).strict(),
    output: z.object({ job: BulkJobView }),
  }),
  'bulk.list': op({
    summary: 'Vis masseopgaver',
    access: bulkRoles,
    scope: 'none',
    writes: false,
    input: z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.object({ jobs: z.array(BulkJobView) }),
  }),
  'bulk.get': op({
    summary: 'Vis en masseopgave',
    access: bulkRoles,
    scope: 'none',
    writes: false,
    input: z
      .object({
        jobId: JobId,
        states: z.array(BulkRowState).max(6).default([]),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(0).max(5000).default(500),
      })
      .strict(),
    output: z.object({ job: BulkJobView, rows: z.array(BulkRowView), matching: z.number().int() }),
  }),
  'bulk.start': op({
    summary: 'Start masseopgave',
    access: bulkRoles,
    scope: 'none',
    writes: true,
    invalidates: ['bulk.get', 'bulk.list'],
    input: z.object({ jobId: JobId, reason: Reason, concurrency: z.number().int().min(1).max(16).default(4) }).strict(),
    output: z.object({ job: BulkJobView }),
  }),
  'bulk.pause': op({
    summary: 'Sæt masseopgave på pause',
    access: bulkRoles,
    scope: 'none',
    writes: true,
    invalidates: ['bulk.get', 'bulk.list'],
    input: z.object({ jobId: JobId, reason: Reason }).strict(),
    output: z.object({ job: BulkJobView }),
  }),
  'bulk.resume': op({
    summary: 'Genoptag masseopgave',
    access: bulkRoles,
    scope: 'none',
    writes: true,
    invalidates: ['bulk.get', 'bulk.list'],
    input: z.object({ jobId: JobId, reason: Reason }).strict(),
    output: z.object({ job: BulkJobView }),
  }),
  'bulk.cancel': op({
    summary: 'Annullér masseopgave',
    access: bulkRoles,
    scope: 'none',
    writes: true,
    invalidates: ['bulk.get', 'bulk.list'],
    input: z.object({ jobId: JobId, reason: Reason }).strict(),
    output: z.object({ job: BulkJobView }),
  }),
  'bulk.addNote': op({
    summary: 'Tilføj note til masseopgave',
    access: bulkRoles,
    scope: 'none',
    writes: true,
    invalidates: ['bulk.get', 'bulk.list'],
    // The note is the reason field: journaled like every reason, shown on the job.
    input: z.object({ jobId: JobId, reason: Reason }).strict(),
    output: z.object({ job: BulkJobView }),
  }),
  'bulk.retryFailed': op({
    summary: 'Prøv fejlede rækker igen',
    access: bulkRoles,
    scope: 'none',
    writes: true,
    invalidates: ['bulk.get', 'bulk.list'],
    input: z.object({ jobId: JobId, reason: Reason, seqs: z.array(z.number().int().min(1)).max(20_000).optional() }).strict(),
    output: z.object({ job: BulkJobView, retried: z.number().int() }),
  }),
  'bulk.resultFile': op({
    summary: 'Hent resultatfil for masseopgave',
    access: bulkRoles,
    scope: 'none',
    writes: false,
    input: z.object({ jobId: JobId }).strict(),
    output: z.object({ path: z.string(), fileName: z.string(), csv: z.string() }),
  }),
};
