/** Politikker: password policy and terms of use on the IdP (filled in by the policies feature). */
export const policiesOps = {};
