import type { RetentionSettings } from '../../../shared/domain/audit.ts';
import type { AuditStore } from '../../store/audit-store.ts';
import type { Journal } from '../../store/journal.ts';

/** Login-type events, kept for a shorter time than the rest (as the peer does). */
export const LOGIN_ACTIONS = ['LOGIN', 'WRONG_PASSWORD', 'TOO_MANY_ATTEMPTS', 'ACCEPT_MFA', 'REJECT_MFA'] as const;

const monthsAgo = (months: number, now: Date) => new Date(now.getFullYear(), now.getMonth() - months, now.getDate()).toISOString();

/**
 * Applies retention. The console's journal is hash-chained and can only be shortened from its start,
 * so it follows the longest period; nothing the IdP has not yet acknowledged is ever removed.
 */
export function applyRetention(journal: Journal, store: AuditStore, ackedSeq: number, settings: RetentionSettings, now = new Date()) {
  const journalCut = journal.purgeBefore(monthsAgo(settings.consoleMonths, now), ackedSeq);
  const idpRemoved = store.purgeIdpBefore(
    { logins: monthsAgo(settings.idpLoginMonths, now), other: monthsAgo(settings.idpOtherMonths, now) },
    LOGIN_ACTIONS,
  );
  return { journalRemoved: journalCut.removed, idpRemoved, anchorSeq: journalCut.anchorSeq };
}
