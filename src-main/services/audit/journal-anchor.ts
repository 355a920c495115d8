import type { IdpJournalComparison, JournalCheck, JournalFinding, JournalFindingDetail, JournalIdpDetail } from '../../../shared/domain/audit.ts';
import type { AcknowledgedHead, JournalView } from '../../../shared/idp/journal.ts';
import { ConsoleError, errorRef } from '../../../shared/errors.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import type { Journal, VerifyOptions } from '../../store/journal.ts';

const range = (from: number, to: number) => (from === to ? `post ${from}` : `poster ${from}–${to}`);
const when = (iso: string) => new Date(iso).toLocaleString('da-DK', { dateStyle: 'short', timeStyle: 'short' });
const NOT_COMPARED = 'Journalen kunne ikke sammenlignes med IdP\'en';

/**
 * Compares the console's journal with what the IdP acknowledged for it — the anchor outside the
 * console's files. The IdP keeps every head it acknowledged (seq + hash); each is looked up here:
 *  - the journal is shorter than the newest head: truncated, or an older copy put back (rolled back);
 *  - a head's hash differs from the record here (or the record is gone): changed or re-hashed, and the
 *    range is named between the last head that still fits and the first that does not;
 *  - the IdP does not know the journal although it claims acknowledged records: re-made;
 *  - the IdP knows an earlier journal of this workstation that stopped before this one started: replaced.
 * Unreachable or not set up is said plainly and never reported as agreement.
 */
export async function compareWithIdp(
  journal: Journal,
  idp: IdpPort | null,
  localAckedSeq: number,
): Promise<{ idp: IdpJournalComparison; idpDetail: JournalIdpDetail; findings: JournalFinding[]; details: JournalFindingDetail[] }> {
  if (!idp) {
    return {
      idp: { state: 'not-configured', message: `${NOT_COMPARED}: den lokale IdP er ikke sat op.`, acknowledged: null },
      idpDetail: { code: 'notConfigured', params: {} },
      findings: [],
      details: [],
    };
  }
  const me = journal.identity();
  let known: JournalView | null;
  let siblings: JournalView[];
  const heads: AcknowledgedHead[] = [];
  try {
    known = await idp.getJournal(me.journalId);
    siblings = (await idp.listJournals(me.workstation)).filter((j) => j.journalId !== me.journalId && j.head);
    if (known) {
      for (let after = 0; ; ) {
        const page = await idp.journalHeads(me.journalId, after, 1000);
        heads.push(...page.items);
        if (!page.hasMore || page.items.length === 0) break;
        after = page.next;
      }
    }
  } catch (e) {
    const why = e instanceof ConsoleError ? e.message : 'ukendt fejl';
    return {
      idp: { state: 'unavailable', message: `${NOT_COMPARED}: ${why}.`, acknowledged: null },
      idpDetail: { code: 'unavailable', params: {}, ...(e instanceof ConsoleError ? { error: errorRef(e) } : {}) },
      findings: [],
      details: [],
    };
  }

  const findings: JournalFinding[] = [];
  const details: JournalFindingDetail[] = [];
  // Each finding in Danish (evidence, journal, Danish screen) and by code with its values (any other language).
  const found = (f: JournalFinding, code: JournalFindingDetail['code'], params: JournalFindingDetail['params']) => {
    findings.push(f);
    details.push({ code, params });
  };
  // An earlier journal of this workstation that stopped before this one was first seen (or before now,
  // when the IdP has not seen this one yet) was replaced by it.
  const startedAt = known?.firstSeenAt ?? new Date().toISOString();
  const replaced = siblings.filter((j) => j.head!.acknowledgedAt <= startedAt).sort((a, b) => (a.head!.acknowledgedAt < b.head!.acknowledgedAt ? 1 : -1))[0];
  if (replaced) {
    const h = replaced.head!;
    found(
      {
        kind: 'idp-replaced', fromSeq: 1, toSeq: h.seq,
        message: `Journalen er erstattet af en ny: IdP'en kender en tidligere journal fra arbejdsstationen ${replaced.workstation} (id ${replaced.journalId}, oprettet ${when(replaced.createdAt)}), bekræftet til og med post ${h.seq} den ${when(h.acknowledgedAt)}. Denne journal er oprettet ${when(me.createdAt)}; ${range(1, h.seq)} fra den tidligere journal findes ikke her.`,
      },
      'idpReplaced',
      { workstation: replaced.workstation, journalId: replaced.journalId, createdAt: replaced.createdAt, seq: h.seq, acknowledgedAt: h.acknowledgedAt, thisCreatedAt: me.createdAt },
    );
  }

  if (!known) {
    if (localAckedSeq > 0) {
      found(
        {
          kind: 'idp-unknown-journal', fromSeq: 1, toSeq: localAckedSeq,
          message: `IdP'en kender ikke denne journal (id ${me.journalId}), selv om journalen siger, at ${range(1, localAckedSeq)} er bekræftet af IdP'en. Journalen er genskabt eller genberegnet uden for konsollen.`,
        },
        'idpUnknownJournal',
        { journalId: me.journalId },
      );
    }
    return findings.length
      ? {
          idp: { state: 'tampered', message: `Journalen passer ikke med IdP'ens optegnelser: ${findings.map((f) => f.message).join(' ')}`, acknowledged: null },
          idpDetail: { code: 'tampered', params: { count: findings.length } },
          findings,
          details,
        }
      : {
          idp: { state: 'confirmed', message: 'IdP\'en har endnu ikke bekræftet nogen poster fra denne journal; intet strider mod IdP\'ens optegnelser.', acknowledged: null },
          idpDetail: { code: 'noneYet', params: {} },
          findings,
          details,
        };
  }

  const anchor = journal.anchor();
  const localHead = journal.head();
  const localEnd = localHead?.seq ?? 0;
  const newest = known.head;
  let lastFit = anchor?.seq ?? 0;
  let mismatch: { first: AcknowledgedHead; count: number; from: number; gone: boolean } | null = null;
  for (const h of heads) {
    // Records before the retention anchor were removed on purpose; only the anchor itself is left to compare.
    if (anchor && h.seq < anchor.seq) continue;
    if (h.seq > localEnd) break;
    const here = journal.hashAt(h.seq);
    if (here === h.hash) {
      if (!mismatch) lastFit = h.seq;
      continue;
    }
    if (mismatch) mismatch.count++;
    else mismatch = { first: h, count: 1, from: lastFit + 1, gone: here === null };
  }
  if (mismatch) {
    const h = mismatch.first;
    const later = mismatch.count > 1 ? ` ${mismatch.count - 1} senere bekræftelser passer heller ikke.` : '';
    const fits = lastFit > 0 ? ` Post ${lastFit} passer stadig.` : '';
    const params = { seq: h.seq, acknowledgedAt: h.acknowledgedAt, lastFit, later: mismatch.count - 1 };
    if (mismatch.gone) {
      // Acknowledged records removed, and newer ones written after them.
      found(
        {
          kind: 'idp-truncated', fromSeq: mismatch.from, toSeq: h.seq,
          message: `Der mangler poster i området ${mismatch.from}–${h.seq}: IdP'en bekræftede post ${h.seq} den ${when(h.acknowledgedAt)}, men den findes ikke i journalen.${fits}${later}`,
        },
        'idpTruncatedGap',
        params,
      );
    } else {
      found(
        {
          kind: 'idp-changed', fromSeq: mismatch.from, toSeq: h.seq,
          message: `${range(mismatch.from, h.seq).replace(/^p/, 'P')} er ændret eller genberegnet: IdP'en bekræftede post ${h.seq} den ${when(h.acknowledgedAt)} med en anden hash end journalen har nu.${fits}${later}`,
        },
        'idpChanged',
        params,
      );
    }
  }
  if (newest && localEnd < newest.seq) {
    const from = localEnd + 1;
    // A copy that never knew those acknowledgements is older than the IdP's record: it was put back.
    const older = localAckedSeq < newest.seq && journal.identity().highSeq < newest.seq;
    const params = { seq: newest.seq, acknowledgedAt: newest.acknowledgedAt, end: localEnd, acked: localAckedSeq };
    if (older) {
      found(
        {
          kind: 'idp-rolled-back', fromSeq: from, toSeq: newest.seq,
          message: `Journalen er erstattet af en ældre kopi: IdP'en bekræftede post ${newest.seq} den ${when(newest.acknowledgedAt)}, men journalen slutter ved post ${localEnd} og kender kun bekræftelser til og med post ${localAckedSeq}. ${range(from, newest.seq).replace(/^p/, 'P')} mangler.`,
        },
        'idpRolledBack',
        params,
      );
    } else {
      found(
        {
          kind: 'idp-truncated', fromSeq: from, toSeq: newest.seq,
          message: `Journalen er afkortet: IdP'en har bekræftet poster til og med post ${newest.seq} (${when(newest.acknowledgedAt)}), men journalen slutter ved post ${localEnd}. ${range(from, newest.seq).replace(/^p/, 'P')} mangler.`,
        },
        'idpTruncated',
        params,
      );
    }
  }
  const acknowledged = newest ? { seq: newest.seq, hash: newest.hash, acknowledgedAt: newest.acknowledgedAt } : null;
  if (findings.length) {
    return {
      idp: { state: 'tampered', message: `Journalen passer ikke med IdP'ens optegnelser: ${findings.map((f) => f.message).join(' ')}`, acknowledged },
      idpDetail: { code: 'tampered', params: { count: findings.length } },
      findings,
      details,
    };
  }
  const pending = localEnd - (newest?.seq ?? 0);
  return {
    idp: {
      state: 'confirmed',
      message: newest
        ? `IdP'en har bekræftet journalen til og med post ${newest.seq} (${when(newest.acknowledgedAt)}), og hashen passer.${pending > 0 ? ` ${pending.toLocaleString('da-DK')} nyere poster er endnu ikke bekræftet af IdP'en.` : ''}`
        : 'IdP\'en kender journalen, men har ikke bekræftet nogen poster endnu.',
      acknowledged,
    },
    idpDetail: newest ? { code: 'confirmed', params: { seq: newest.seq, acknowledgedAt: newest.acknowledgedAt, pending: Math.max(0, pending) } } : { code: 'knownNoneYet', params: {} },
    findings,
    details,
  };
}

/** The whole check: the local chain walked (with progress) and the comparison with the IdP. */
export async function checkJournal(journal: Journal, idp: IdpPort | null, localAckedSeq: number, opts: VerifyOptions = {}): Promise<JournalCheck> {
  const local = await journal.verifyAsync(opts);
  const cmp = await compareWithIdp(journal, idp, localAckedSeq);
  const id = journal.identity();
  return {
    ok: local.ok && cmp.idp.state === 'confirmed',
    chainIntact: local.ok,
    count: local.count,
    journalId: id.journalId,
    workstation: id.workstation,
    head: local.head,
    findings: [...local.findings, ...cmp.findings],
    findingDetails: [...local.details, ...cmp.details],
    findingsOmitted: local.findingsOmitted,
    idp: cmp.idp,
    idpDetail: cmp.idpDetail,
    checkedAt: new Date().toISOString(),
  };
}

/** One Danish sentence for a check, for logs, the journal and the report's first line. */
export function describeCheck(c: JournalCheck): string {
  const chain = c.chainIntact
    ? `Hash-kæden er intakt (${c.count.toLocaleString('da-DK')} poster kontrolleret).`
    : `HASH-KÆDEN ER BRUDT: ${c.findings.filter((f) => !f.kind.startsWith('idp-')).length + c.findingsOmitted} brud fundet.`;
  return `${chain} ${c.idp.message}`;
}
