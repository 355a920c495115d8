export { startMitIdSimulator, type MitIdSimulator, type MitIdSimulatorOptions, type MitIdSimStats } from './server.ts';
export { MitIdSimFaults } from './faults.ts';
export { MitIdSimState, type SimIdentity, type SimAuthenticator, type SimRight } from './state.ts';
export { seedMitIdSimulator, type MitIdSeedOptions, type MitIdSeedReport, type SeedPerson } from './seed.ts';
export { fictitiousCpr } from './seed.ts';
export { startTrainingMitIdErhverv, type TrainingMitId, type TrainingMitIdOptions } from './training.ts';
