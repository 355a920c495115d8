import type { JournalFinding, JournalFindingDetail, JournalIdpDetail } from '../../shared/domain/audit.ts';
import type { BulkJobView } from '../../shared/domain/bulk.ts';
import type { ErrorRef } from '../../shared/errors.ts';
import type { AdWeakness, LeakCheck } from '../../shared/domain/policies.ts';
import { weaknessText } from '../../shared/domain/readiness-text.ts';
import type { SystemStatus } from '../../shared/domain/settings.ts';
import type { BudgetFigures, SyncMethod, SyncPhase } from '../../shared/domain/sync.ts';
import type { WriteOutcome } from '../../shared/operations/people.ts';
import type { AdMirrorResult } from '../../shared/operations/policies.ts';
import type { TokenCheck } from '../../shared/operations/tokens.ts';
import { translateError, type Texts } from './error-text.ts';

/**
 * What main says by code and values, worded in the operator's language (#18, one language at a time).
 * Main keeps its Danish sentence beside the code where its journal or exports need it; the screen words
 * the code from the locale tables, whose Danish texts are main's own. Pure: the caller passes `t` and
 * the language, so each mapping is tested in both languages without React.
 */

const danish = (language: string) => language === 'da' || language.startsWith('da-');

/** A paused bulk job's detail; a job paused before details were kept has only main's Danish sentence. */
export function pauseText(pause: NonNullable<BulkJobView['pause']>, { language, t }: Texts): string {
  if (pause.detail) return t(`bulk.pauseText.${pause.detail.code}`, pause.detail.params);
  return danish(language) ? pause.message : '';
}

/** Why a system is in its state (the status bar's tooltip); a refusal from the system reads as any error does. */
export function systemDetailText(s: Pick<SystemStatus, 'system' | 'detail'>, texts: Texts): string {
  const { code, params, error } = s.detail;
  if (code === 'error' && error) return translateError(error, texts);
  return texts.t(`systems.detail.${code}`, { system: texts.t(`systems.${s.system}`), ...params });
}

/**
 * Why a background round failed (a people read of one system, the journal's shipping to the IdP): main's
 * error by its key, as any error reads. Without one (an older main) Danish mode shows main's sentence and
 * any other language nothing, never Danish.
 */
export function failureText(f: { message?: string | null | undefined; error?: ErrorRef | null | undefined }, texts: Texts): string {
  if (f.error) return translateError(f.error, texts);
  return danish(texts.language) ? (f.message ?? '') : '';
}

/** What writing a password policy to AD did (a PSO made or updated, no groups, or AD's refusal). */
export function mirrorText(r: Pick<AdMirrorResult, 'detail'>, texts: Texts): string {
  const { code, groups, error } = r.detail;
  return texts.t(`policies.mirrorResult.${code}`, { groups, error: error ? translateError(error, texts) : '' });
}

/** Where AD's copy of a password policy is weaker than the IdP's: each way by its code, from the readiness text table. */
export function weakerText(weaknesses: readonly AdWeakness[], { language }: Texts): string {
  return weaknesses.map((w) => weaknessText(w, language)).join(' ');
}

/**
 * The leaked-password check: Danish mode shows main's own sentence (it names the service's address or
 * status when it could not answer); any other language its state's text.
 */
export function leakText(leak: LeakCheck, texts: Texts, number: (n: number) => string): string {
  return danish(texts.language) ? leak.message : texts.t(`policies.leak.${leak.state}`, { count: number(leak.count ?? 0) });
}

/** What a MitID Erhverv write about a person did (Genkør's outcome); `dateTime` words the times in it. */
export function outcomeText(said: WriteOutcome, texts: Texts, dateTime: (iso: string) => string): string {
  const params = { ...said.params, ...(typeof said.params['at'] === 'string' ? { at: dateTime(said.params['at']) } : {}) };
  return texts.t(`actions.said.${said.code}`, params);
}

/** How times and figures in a journal check's values read in the operator's language. */
export interface Figures {
  dateTime(iso: string): string;
  number(n: number): string;
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One finding of the journal check: its code's text with the finding's range, the values' times and figures worded here. */
export function journalFindingText(f: Pick<JournalFinding, 'fromSeq' | 'toSeq'>, d: JournalFindingDetail, { t }: Texts, fig: Figures): string {
  const from = f.fromSeq;
  const to = f.toSeq ?? f.fromSeq;
  const p: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d.params)) p[k] = k.endsWith('At') && typeof v === 'string' ? fig.dateTime(v) : v;
  const range = t('audit.journalRange', { count: from === to ? 1 : 2, from, to });
  const fields = String(d.params['fields'] ?? '')
    .split(',')
    .filter(Boolean)
    .map((c) => `»${t(`audit.journalColumns.${c}`, { defaultValue: c })}«`)
    .join(', ');
  const why = typeof d.params['why'] === 'string' ? t(`audit.journalWhy.${d.params['why']}`, { fields, chainedSeq: d.params['chainedSeq'] }) : '';
  const parts = [upperFirst(t(`audit.journalFinding.${d.code}`, { ...p, range, from, to, why }))];
  if (typeof d.params['lastFit'] === 'number' && d.params['lastFit'] > 0) parts.push(t('audit.journalFits', { seq: d.params['lastFit'] }));
  const later = d.params['later'];
  if (typeof later === 'number' && later > 0) parts.push(t('audit.journalLater', { count: later, n: fig.number(later) }));
  return parts.join(' ');
}

/** What the IdP said about the journal; an IdP that could not be asked says why, as any error reads. */
export function journalIdpText(d: JournalIdpDetail, texts: Texts, fig: Figures): string {
  const { t } = texts;
  const p: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d.params)) p[k] = k.endsWith('At') && typeof v === 'string' ? fig.dateTime(v) : v;
  const why = d.error ? translateError(d.error, texts).replace(/\.$/, '') : t('audit.idpCheckUnknown');
  const text = t(`audit.idpCheck.${d.code}`, { ...p, why });
  const pending = d.params['pending'];
  return typeof pending === 'number' && pending > 0 ? `${text} ${t('audit.idpCheckPending', { count: pending, n: fig.number(pending) })}` : text;
}

/** A person write's answer: by its code when main named one (MitID Erhverv and Local IdP writes), else main's sentence. */
export function writeText(r: { message: string; said?: WriteOutcome | undefined }, texts: Texts, dateTime: (iso: string) => string): string {
  return r.said ? outcomeText(r.said, texts, dateTime) : r.message;
}

/**
 * What the IdP says about a typed code display serial number, by its state. A serial that is not valid
 * reads in Danish as zod's (or main's) message, which names what is wrong; in English the rule's text.
 */
export function tokenCheckText(c: Pick<TokenCheck, 'state' | 'serialNumber'> & { message?: string | undefined }, { language, t }: Texts): string {
  if (c.state === 'invalid' && danish(language) && c.message) return c.message;
  return t(`actions.token.check.${c.state}`, { serial: c.serialNumber });
}

/** The MitID Erhverv call budget: the rate now (of the configured one when slowed down), and any wait it was asked for. */
function budgetText(b: BudgetFigures, { t }: Texts, number: (n: number) => string): string {
  const rate = b.rate < b.limit ? t('sync.budgetOf', { rate: number(b.rate), limit: number(b.limit) }) : t('sync.budget', { rate: number(b.rate) });
  return b.waitSeconds > 0 ? t('sync.budgetWait', { budget: rate, seconds: number(b.waitSeconds) }) : rate;
}

/** What a people-list read is doing now (the status bar's and the source badges' tooltips). */
export function syncPhaseText(p: SyncPhase, texts: Texts, number: (n: number) => string): string {
  const { t } = texts;
  switch (p.code) {
    case 'adFull':
      return t('sync.phase.adFull', { why: t(`sync.fullWhy.${p.params.why}`) });
    case 'idpFeed':
      return t('sync.phase.idpFeed', { page: number(p.params.page), what: p.params.full ? t('sync.idpAll') : t('sync.idpChanges') });
    case 'mitidRevalidate':
      return t('sync.phase.mitidRevalidate', { budget: budgetText(p.params.budget, texts, number) });
    case 'mitidDone':
      return t('sync.phase.mitidDone', { changed: number(p.params.changed), revalidated: number(p.params.revalidated), budget: budgetText(p.params.budget, texts, number) });
    default:
      return t(`sync.phase.${p.code}`);
  }
}

/** How a people-list read was done (the same tooltips); a method stored by an earlier version only says so. */
export function syncMethodText(m: SyncMethod, texts: Texts, number: (n: number) => string): string {
  const { t } = texts;
  switch (m.code) {
    case 'adFull':
      return t('sync.method.adFull', { why: t(`sync.fullWhy.${m.params.why}`) });
    case 'adDelta': {
      const every = { count: m.params.sweepMinutes, minutes: number(m.params.sweepMinutes) };
      return t('sync.method.adDelta', { sweep: m.params.swept ? t('sync.sweepNow', every) : t('sync.sweep', every) });
    }
    case 'idpFeed': {
      const pages = t('sync.pages', { count: m.params.pages, n: number(m.params.pages) });
      return m.params.full ? t('sync.method.idpFeedFull', { pages }) : t('sync.method.idpFeed', { pages });
    }
    case 'mitidWaiting':
      return t('sync.method.mitidWaiting', { budget: budgetText(m.params.budget, texts, number) });
    case 'mitidRead': {
      const { searched, changed, revalidated, stopped, waiting, failed, budget } = m.params;
      const notes = [t('sync.method.mitidRead', { count: searched, searched: number(searched), changed: number(changed), revalidated: number(revalidated) })];
      if (stopped) notes.push(t('sync.mitidStopped', { count: waiting, waiting: number(waiting) }));
      if (failed > 0) notes.push(t('sync.mitidFailed', { count: failed, failed: number(failed) }));
      return `${notes.join(', ')}; ${budgetText(budget, texts, number)}`;
    }
    default:
      return t(`sync.method.${m.code}`);
  }
}
