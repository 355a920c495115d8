// The IdP admin API contract (v1): zod schemas shared by the client, the simulator and the console.
export * from './common.ts';
export * from './password-policy.ts';
export * from './terms.ts';
export * from './people.ts';
export * from './audit.ts';
export * from './api.ts';
export * from './journal.ts';
export * from './claims.ts';
export * from './changes.ts';
