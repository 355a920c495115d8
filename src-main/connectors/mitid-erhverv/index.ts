export type { CallOptions, MitIdCapabilities, MitIdErhvervPort, MitIdProfileUpdate, PersonMatch } from './port.ts';
export { createMitIdErhvervClient, mitIdClientOptionsFromProfile, MitIdErhvervClient, type MitIdErhvervClientOptions } from './client.ts';
export type { CaBundle, TransportEvent } from './transport.ts';
