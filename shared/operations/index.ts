import type { z } from 'zod';
import type { OperationSpec } from '../operation.ts';
import { auditOps } from './audit.ts';
import { bulkOps } from './bulk.ts';
import { fullServiceOps } from './fullservice.ts';
import { peopleOps } from './people.ts';
import { policiesOps } from './policies.ts';
import { sessionOps } from './session.ts';
import { settingsOps } from './settings.ts';
import { transfersOps } from './transfers.ts';
import { tokensOps } from './tokens.ts';
import { driftFixOps } from './driftfix.ts';

/** The one table of operations. Add a capability here, give it a handler in main and a hook in the UI. */
export const operations = {
  ...sessionOps,
  ...settingsOps,
  ...peopleOps,
  ...auditOps,
  ...policiesOps,
  ...bulkOps,
  ...transfersOps,
  ...tokensOps,
  ...driftFixOps,
  ...fullServiceOps,
} satisfies Record<string, OperationSpec>;

export type Operations = typeof operations;
export type OpName = keyof Operations;
export type OpInput<N extends OpName> = z.input<Operations[N]['input']>;
export type OpParsedInput<N extends OpName> = z.output<Operations[N]['input']>;
export type OpOutput<N extends OpName> = z.output<Operations[N]['output']>;

export const opNames = Object.keys(operations) as OpName[];

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(operations, name);
}

/** Result envelope shared by IPC and the web host. */
export type OpResult<N extends OpName> =
  | { ok: true; data: OpOutput<N> }
  | { ok: false; error: { code: string; message: string; key?: string; params?: Record<string, string | number>; details?: Record<string, unknown> } };
