import { z } from 'zod';
import { Timestamp, WriteContext } from './common.ts';
import { isSafeReasonText } from '../domain/person.ts';

/**
 * Mail (and Digital Post) templates of the Local IdP, modelled on OS2faktor's EmailTemplateType: one template
 * per type. In Full Service IdP mode two of them are fixed (vendor text, always on, not editable); the
 * municipality's own templates can be viewed, switched on and off, and have their subject and body edited.
 *
 * The body is a small, fixed subset of HTML. It is checked, never rewritten: anything outside the subset is
 * refused with the reason, so what the administrator previewed is exactly what is stored and sent. That is
 * why no sanitizer library is used here — a sanitizer silently changes the text; a refusal tells the
 * administrator, and the rule below is short enough to review line by line.
 */

/** The two Full Service IdP templates: the person got an erhvervsidentitet, or lost it. */
export const fixedTemplateTypes = ['FULL_SERVICE_IDP_ASSIGNED', 'FULL_SERVICE_IDP_REMOVED'] as const;

/** The municipality's own templates (OS2faktor's types to the account holder). */
export const municipalTemplateTypes = [
  'PERSON_DEACTIVATED',
  'PERSON_DEACTIVATION_REPEALED',
  'NSIS_ALLOWED',
  'PASSWORD_EXPIRES',
  'MITID_ACTIVATED',
  'MITID_DEACTIVATED',
  'TOO_MANY_PASSWORD_WRONG_NON_WHITELIST',
  'NEW_LOGIN_FOREIGN_COUNTRY',
  'NEW_USER',
  'PASSWORD_LEAKED',
  'PERSON_SET_RANDOM_PASSWORD',
] as const;

export const MailTemplateType = z.enum([...fixedTemplateTypes, ...municipalTemplateTypes]);
export type MailTemplateType = z.infer<typeof MailTemplateType>;

/**
 * Municipal templates that tell the person the same as a fixed one. The Full Service plan recommends turning
 * them off, or the person gets two mails. (The console's judgement, from what each type is sent for.)
 */
export const duplicatesOfFixed: Partial<Record<MailTemplateType, (typeof fixedTemplateTypes)[number]>> = {
  NSIS_ALLOWED: 'FULL_SERVICE_IDP_ASSIGNED',
  MITID_ACTIVATED: 'FULL_SERVICE_IDP_ASSIGNED',
  MITID_DEACTIVATED: 'FULL_SERVICE_IDP_REMOVED',
};

/** OS2faktor's documented placeholders; any other {word} in a subject or body is refused. */
export const mailPlaceholders = [
  '{modtager}',
  '{brugernavn}',
  '{nemloginuuid}',
  '{ip}',
  '{antal}',
  '{max}',
  '{liste}',
  '{land}',
  '{IDP_URL}',
  '{ROLLOVER_TTS}',
  '{EXPIRE_DATE}',
  '{kommune}',
  '{kontaktpunkt}',
  '{aktiveringslink}',
  '{logo}',
  '{ekstraTekst}',
] as const;

/** Tags allowed in a body, each without attributes; `<a>` only as `<a href="https://…">` or mailto:. */
const bareTags = ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'ul', 'ol', 'li', 'h1', 'h2', 'h3'];
const bareTag = new RegExp(`^</?(?:${bareTags.join('|')})\\s*/?>$`, 'i');
const anchorOpen = /^<a href="(?:https:\/\/[^"<>\s{}]+|mailto:[^"<>\s{}]+|\{IDP_URL\}|\{aktiveringslink\})">$/i;
const anchorClose = /^<\/a>$/i;

/** Every reason a subject or body is refused (Danish); empty = accepted. */
export function mailTextProblems(text: string, kind: 'subject' | 'body'): string[] {
  const out: string[] = [];
  // Control and bidi characters have no place in a mail text (the same rule as for reasons).
  if (!isSafeReasonText(text)) out.push('Teksten indeholder usynlige styretegn.');
  for (const m of text.matchAll(/\{[^{}\s]{0,40}\}/g)) {
    if (!(mailPlaceholders as readonly string[]).includes(m[0])) out.push(`Ukendt flettefelt ${m[0]}. Brug kun de dokumenterede flettefelter.`);
  }
  if (kind === 'subject') {
    if (/[<>]/.test(text)) out.push('Emnet må ikke indeholde HTML.');
    return [...new Set(out)];
  }
  // Every "<" must open one of the allowed tags, written exactly as allowed; nothing else may hide in it.
  let i = text.indexOf('<');
  while (i >= 0) {
    const end = text.indexOf('>', i);
    const tag = end < 0 ? text.slice(i) : text.slice(i, end + 1);
    if (end < 0 || !(bareTag.test(tag) || anchorOpen.test(tag) || anchorClose.test(tag))) {
      out.push(`HTML-koden ${JSON.stringify(tag.slice(0, 60))} er ikke tilladt. Tilladt er ${bareTags.map((t) => `<${t}>`).join(' ')} og <a href="https://…">.`);
    }
    i = end < 0 ? -1 : text.indexOf('<', end + 1);
  }
  if (/>/.test(text.replace(/<[^<>]*>/g, ''))) out.push('Teksten indeholder et ">" uden for et tilladt HTML-mærke; skriv &gt;.');
  // Entities: named ones of ordinary text, or numeric ones that do not produce a "<".
  for (const m of text.matchAll(/&(#x?[0-9a-f]+|[a-z]+);?/gi)) {
    const e = m[1]!.toLowerCase();
    if (/^#/.test(e)) {
      const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (code === 60 || code === 62 || code < 32) out.push(`Tegnkoden ${m[0]} er ikke tilladt.`);
    } else if (!['amp', 'lt', 'gt', 'quot', 'nbsp', 'aelig', 'oslash', 'aring'].includes(e)) {
      out.push(`Tegnkoden ${m[0]} er ikke tilladt.`);
    }
  }
  return [...new Set(out)];
}

export const MailSubject = z
  .string()
  .trim()
  .min(1, 'Emnet må ikke være tomt')
  .max(200)
  .superRefine((s, ctx) => mailTextProblems(s, 'subject').forEach((message) => ctx.addIssue({ code: 'custom', message })));
export const MailBody = z
  .string()
  .trim()
  .min(1, 'Teksten må ikke være tom')
  .max(20_000)
  .superRefine((s, ctx) => mailTextProblems(s, 'body').forEach((message) => ctx.addIssue({ code: 'custom', message })));

export const MailTemplate = z.object({
  type: MailTemplateType,
  label: z.string().describe('What the template is sent for, in Danish.'),
  fixed: z.boolean().describe('A Full Service IdP template: vendor text, always enabled, not editable (403 forbidden on update).'),
  enabled: z.boolean(),
  subject: z.string(),
  body: z.string().describe('HTML in the allowed subset (see mailTextProblems).'),
  channels: z.array(z.enum(['email', 'eboks'])).min(1).describe('At least one channel is on (as in OS2faktor).'),
  version: z.number().int().min(1),
  updatedAt: Timestamp,
  updatedBy: z.string().nullable(),
});
export type MailTemplate = z.infer<typeof MailTemplate>;

export const MailTemplateList = z.object({ items: z.array(MailTemplate) });

/** A change to a municipal template: any of subject, body, enabled; basedOnVersion guards against a lost update. */
export const MailTemplateUpdate = WriteContext.extend({
  basedOnVersion: z.number().int().min(1),
  enabled: z.boolean().optional(),
  subject: MailSubject.optional(),
  body: MailBody.optional(),
})
  .strict()
  .refine((u) => u.enabled !== undefined || u.subject !== undefined || u.body !== undefined, { message: 'Intet at ændre' });
export type MailTemplateUpdate = z.infer<typeof MailTemplateUpdate>;

/** For shared/idp/openapi.ts. */
export const mailTemplateComponents: [string, z.ZodType, string][] = [
  ['MailTemplate', MailTemplate, 'A mail / Digital Post template (OS2faktor EmailTemplateType).'],
  ['MailTemplateList', MailTemplateList, 'Every template: the fixed Full Service ones first.'],
  ['MailTemplateUpdate', MailTemplateUpdate, 'Change a municipal template. Subject and body may use only the documented placeholders; the body only the allowed HTML subset (else 400 validation, nothing changed). A stale basedOnVersion gets 409.'],
];

const M = '/mail-templates';
export const mailTemplateOps = [
  { method: 'get', path: M, id: 'listMailTemplates', tag: 'Mail templates', summary: 'Every mail template, fixed and municipal', ok: { status: 200, schema: 'MailTemplateList', description: 'The templates' }, errors: [] },
  { method: 'get', path: `${M}/{type}`, id: 'getMailTemplate', tag: 'Mail templates', summary: 'One template', ok: { status: 200, schema: 'MailTemplate', description: 'The template' }, errors: [404] },
  {
    method: 'put', path: `${M}/{type}`, id: 'updateMailTemplate', tag: 'Mail templates', summary: 'Change a municipal template (subject, body, enabled)',
    description: 'Audited as LIA_CHANGE_EMAIL_TEMPLATE (this contract\'s action: OS2faktor\'s LogAction, as read, has none for a template change) with the reason and the new text. A fixed Full Service template answers 403 forbidden. Beyond OS2faktor: OS2faktor edits templates only in its own admin portal; this API, the optimistic version and the refusal (instead of cleaning) of HTML outside the subset are this contract\'s own.',
    body: 'MailTemplateUpdate', ok: { status: 200, schema: 'MailTemplate', description: 'Saved, with the new version' }, errors: [403, 404, 409],
  },
] as const;

export const mailTemplateTypeParam = { name: 'type', in: 'path', required: true, schema: { type: 'string' }, description: 'The template type, e.g. NSIS_ALLOWED' } as const;
