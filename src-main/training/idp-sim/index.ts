// The Local IdP simulator: the IdP admin API (v1) in memory, seeded from the training directory.
export { startIdpSimulator } from './server.ts';
export type { IdpSimulator, IdpSimulatorOptions } from './server.ts';
export { IdpSimFaults } from './faults.ts';
export { seedIdpState, defaultSeedPeople } from './seed.ts';
export type { IdpSeedOptions, SeedPerson } from './seed.ts';
export { IdpState, SimError } from './state.ts';
export { startTrainingIdp } from './training.ts';
export type { TrainingIdp } from './training.ts';
