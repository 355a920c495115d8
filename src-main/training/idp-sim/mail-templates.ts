// Mail templates in the IdP simulator (shared/idp/mail-templates.ts). Kept beside the state, like the create
// claims, so the rest of the simulator does not change shape. The seed is the training municipality before
// its switch to Full Service: its own "you got an identity" mail (NSIS_ALLOWED) is still on and would be
// sent together with the fixed FULL_SERVICE_IDP_ASSIGNED one.
import type { z } from 'zod';
import { MailTemplateType, MailTemplateUpdate, type MailTemplate } from '../../../shared/idp/mail-templates.ts';
import { ownActions } from '../../../shared/idp/audit.ts';
import { SimError, type IdpState } from './state.ts';

type Add = (method: string, path: string, handler: (ctx: { params: string[]; body: unknown }) => { status: number; body?: unknown }) => void;

const seedTemplates: [MailTemplate['type'], string, boolean, boolean, string, string][] = [
  ['FULL_SERVICE_IDP_ASSIGNED', 'Du har fået en erhvervsidentitet (Full Service IdP)', true, true, 'Du har fået en erhvervsidentitet', '<p>Kære {modtager}</p><p>{kommune} har givet dig en erhvervsidentitet (MitID Erhverv) til brugernavnet {brugernavn}. Du logger ind med dit kodeord og en MFA-enhed.</p><p>Spørgsmål: {kontaktpunkt}</p>'],
  ['FULL_SERVICE_IDP_REMOVED', 'Du har mistet din erhvervsidentitet (Full Service IdP)', true, true, 'Din erhvervsidentitet er lukket', '<p>Kære {modtager}</p><p>Din erhvervsidentitet hos {kommune} til brugernavnet {brugernavn} er lukket.</p><p>Spørgsmål: {kontaktpunkt}</p>'],
  ['NSIS_ALLOWED', 'Personen har fået lov til at bruge en erhvervsidentitet', false, true, 'Velkommen til din nye erhvervsidentitet', '<p>Hej {modtager}</p><p>Du kan nu aktivere din erhvervsidentitet her: <a href="{aktiveringslink}">aktivér</a>.</p>'],
  ['MITID_ACTIVATED', 'Personens MitID Erhverv er aktiveret', false, false, 'Din MitID Erhverv er aktiveret', '<p>Hej {modtager}</p><p>Din MitID Erhverv er nu aktiveret.</p>'],
  ['MITID_DEACTIVATED', 'Personens MitID Erhverv er deaktiveret', false, false, 'Din MitID Erhverv er deaktiveret', '<p>Hej {modtager}</p><p>Din MitID Erhverv er deaktiveret.</p>'],
  ['PERSON_DEACTIVATED', 'Personens erhvervsidentitet er spærret', false, true, 'Din erhvervsidentitet er spærret', '<p>Hej {modtager}</p><p>Din erhvervsidentitet er spærret af {kommune}. Kontakt {kontaktpunkt}.</p>'],
  ['PERSON_DEACTIVATION_REPEALED', 'Spærringen af personens erhvervsidentitet er ophævet', false, true, 'Din erhvervsidentitet er åbnet igen', '<p>Hej {modtager}</p><p>Spærringen af din erhvervsidentitet er ophævet.</p>'],
  ['PASSWORD_EXPIRES', 'Personens kodeord udløber snart', false, true, 'Dit kodeord udløber {EXPIRE_DATE}', '<p>Hej {modtager}</p><p>Dit kodeord udløber {EXPIRE_DATE}. Skift det på {IDP_URL}.</p>'],
  ['TOO_MANY_PASSWORD_WRONG_NON_WHITELIST', 'Mange forkerte kodeord fra ukendt netværk', false, true, 'Forkerte kodeord på din konto', '<p>Hej {modtager}</p><p>Der er tastet forkert kodeord {antal} gange fra {ip}.</p>'],
  ['NEW_LOGIN_FOREIGN_COUNTRY', 'Login fra et andet land', false, true, 'Login fra {land}', '<p>Hej {modtager}</p><p>Der er logget ind på din konto fra {land}.</p>'],
  ['NEW_USER', 'Ny bruger', false, false, 'Velkommen', '<p>Hej {modtager}</p><p>Velkommen til {kommune}.</p>'],
  ['PASSWORD_LEAKED', 'Personens kodeord er fundet i et læk', false, true, 'Skift dit kodeord', '<p>Hej {modtager}</p><p>Dit kodeord er fundet i en liste over lækkede kodeord. Skift det på {IDP_URL}.</p>'],
  ['PERSON_SET_RANDOM_PASSWORD', 'Administrator har sat et tilfældigt kodeord', false, true, 'Dit kodeord er nulstillet', '<p>Hej {modtager}</p><p>En administrator har nulstillet dit kodeord.</p>'],
];

const templatesOf = new WeakMap<IdpState, Map<string, MailTemplate>>();

/** The templates of one simulator state, seeded on first use. */
export function mailTemplates(state: IdpState): Map<string, MailTemplate> {
  let m = templatesOf.get(state);
  if (!m) {
    const at = new Date(state.clock() - 400 * 86_400_000).toISOString();
    m = new Map(
      seedTemplates.map(([type, label, fixed, enabled, subject, body]) => [
        type,
        { type, label, fixed, enabled, subject, body, channels: ['email', 'eboks'], version: 1, updatedAt: at, updatedBy: null } satisfies MailTemplate,
      ]),
    );
    templatesOf.set(state, m);
  }
  return m;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new SimError('validation', 'Ugyldige data i forespørgslen', { issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return r.data;
}

export function updateMailTemplate(state: IdpState, type: string, u: MailTemplateUpdate): MailTemplate {
  const all = mailTemplates(state);
  const cur = all.get(type);
  if (!cur) throw new SimError('not-found', `Skabelonen ${type} findes ikke`);
  if (cur.fixed) throw new SimError('forbidden', `${type} er en fast Full Service IdP-skabelon; den kan ikke ændres eller slås fra`);
  if (u.basedOnVersion !== cur.version) {
    throw new SimError('conflict', `Skabelonen ${type} er ændret af en anden (version ${cur.version}); hent den igen`, { currentVersion: cur.version });
  }
  const next: MailTemplate = {
    ...cur,
    ...(u.enabled !== undefined ? { enabled: u.enabled } : {}),
    ...(u.subject !== undefined ? { subject: u.subject } : {}),
    ...(u.body !== undefined ? { body: u.body } : {}),
    version: cur.version + 1,
    updatedAt: new Date(state.clock()).toISOString(),
    updatedBy: u.actor.username,
  };
  all.set(type, next);
  const what = [u.enabled !== undefined ? (u.enabled ? 'slået til' : 'slået fra') : null, u.subject !== undefined ? 'emne ændret' : null, u.body !== undefined ? 'tekst ændret' : null].filter(Boolean).join(', ');
  state.appendEvent({
    action: ownActions.changeMailTemplate,
    message: `Mailskabelonen ${type} er ændret (${what}). Begrundelse: ${u.reason}`,
    person: null,
    performer: { username: u.actor.username, displayName: u.actor.displayName ?? null },
    details: JSON.stringify({ type, version: next.version, enabled: next.enabled, subject: next.subject, body: next.body }),
    source: 'idp-admin-api',
  });
  return next;
}

export function registerMailTemplateRoutes(add: Add, state: IdpState): void {
  const type = (ctx: { params: string[] }) => parse(MailTemplateType, ctx.params[0]);
  add('GET', '/mail-templates', () => ({ status: 200, body: { items: [...mailTemplates(state).values()] } }));
  add('GET', '/mail-templates/([^/]+)', (ctx) => {
    const t = mailTemplates(state).get(type(ctx));
    if (!t) throw new SimError('not-found', 'Skabelonen findes ikke');
    return { status: 200, body: t };
  });
  add('PUT', '/mail-templates/([^/]+)', (ctx) => ({ status: 200, body: updateMailTemplate(state, type(ctx), parse(MailTemplateUpdate, ctx.body)) }));
}
