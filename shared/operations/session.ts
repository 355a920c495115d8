import { z } from 'zod';
import { op } from '../operation.ts';
import { Operator } from '../roles.ts';

/** An account and its password, as typed at a sign-in (also the second one, into another domain). */
const Credentials = z
  .object({
    username: z.string().trim().min(1, 'Angiv brugernavn').max(256),
    password: z.string().min(1, 'Angiv adgangskode').max(512),
  })
  .strict();

export const sessionOps = {
  'app.info': op({
    summary: 'Oplysninger om konsollen og miljøet',
    access: 'public',
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({
      version: z.string(),
      training: z.boolean(),
      /** Only in the training environment: the ready-made operators, shown on the sign-in screen. */
      trainingOperators: z.array(z.object({ username: z.string(), password: z.string(), role: z.string() })),
      /** The console language IT fixes with the machine policy (`Language`); null: the operator chooses. */
      policyLanguage: z.enum(['da', 'en']).nullable().default(null),
      /** With several AD domains: each by id, name and the UPN suffix that signs in to it (none with one domain). */
      domains: z.array(z.object({ id: z.string(), name: z.string(), suffix: z.string() })).default([]),
    }),
  }),
  'session.login': op({
    summary: 'Log ind som operatør',
    access: 'public',
    scope: 'none',
    writes: false,
    secretFields: ['password'],
    input: Credentials,
    output: z.object({ operator: Operator }),
  }),
  'session.addDomain': op({
    summary: 'Log også ind i et andet AD-domæne',
    // Signing in, like session.login: the account typed is what is checked (the service requires a session).
    access: 'public',
    scope: 'none',
    writes: false,
    secretFields: ['password'],
    input: Credentials,
    output: z.object({ operator: Operator }),
  }),
  'session.logout': op({
    summary: 'Log ud',
    access: 'public',
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  'session.current': op({
    summary: 'Den indloggede operatør',
    access: 'public',
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({ operator: Operator.nullable() }),
  }),
};
