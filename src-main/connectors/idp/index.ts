// The IdpPort and its adapters: the IdP admin API v1 client and OS2faktor Login's read-only audit log.
export type { AuditLogSource, IdpPort, LockDeviceInput } from './idp-port.ts';
export { auditEventsAfter } from './idp-port.ts';
export { createIdpClient, idpClientOptionsFromProfile } from './client.ts';
export type { IdpAuth, IdpClientOptions } from './client.ts';
export { idpHttpFor } from './http.ts';
export type { IdpHttp } from './http.ts';
export { createOs2faktorAuditLog, os2faktorTimeToIso, OS2FAKTOR_PAGE_SIZE } from './os2faktor-audit-log.ts';
export type { Os2faktorAuditLogOptions } from './os2faktor-audit-log.ts';
export { claimKeyFor, createIdpClaimsClient } from './claims.ts';
export type { CreateClaimsPort } from './claims.ts';
