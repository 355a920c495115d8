/** Masseopgaver: bulk jobs (filled in by the bulk feature). */
export const bulkOps = {};
