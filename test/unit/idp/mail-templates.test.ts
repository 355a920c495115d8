import { describe, expect, it } from 'vitest';
import { MailTemplateUpdate, mailTextProblems } from '../../../shared/idp/mail-templates.ts';
import { seedIdpState } from '../../../src-main/training/idp-sim/seed.ts';
import { mailTemplates, updateMailTemplate } from '../../../src-main/training/idp-sim/mail-templates.ts';
import { SimError } from '../../../src-main/training/idp-sim/state.ts';

describe('mail template text', () => {
  it('accepts the allowed subset and the documented placeholders', () => {
    expect(mailTextProblems('<p>Kære {modtager}</p><p><b>Bemærk</b>: se <a href="https://kommune.dk/it">her</a> &amp; <a href="{IDP_URL}">IdP</a><br/></p>', 'body')).toEqual([]);
    expect(mailTextProblems('Dit kodeord udløber {EXPIRE_DATE}', 'subject')).toEqual([]);
  });

  it.each([
    ['<script>alert(1)</script>'],
    ['<p onclick="x()">hej</p>'],
    ['<img src=x onerror=alert(1)>'],
    ['<a href="javascript:alert(1)">x</a>'],
    ['<a href="https://x" target="_blank">x</a>'],
    ['<p>hej'.concat('<')],
    ['<style>p{}</style>'],
    ['&#60;script&#62;'],
    ['<p>hej\u202edlrow</p>'],
    ['<iframe src="https://x"></iframe>'],
  ])('refuses unsafe HTML: %s', (body) => {
    expect(mailTextProblems(body, 'body').length).toBeGreaterThan(0);
  });

  it('refuses undocumented placeholders and HTML in the subject', () => {
    expect(mailTextProblems('Hej {fornavn}', 'body')[0]).toContain('{fornavn}');
    expect(mailTextProblems('<b>Hej</b>', 'subject').length).toBe(1);
    expect(MailTemplateUpdate.safeParse({ actor: { username: 'a' }, reason: 'Fordi det skal', basedOnVersion: 1, body: '<script>x</script>' }).success).toBe(false);
  });
});

describe('mail templates in the simulator', () => {
  const state = () => seedIdpState({ people: [{ username: 'a1', domain: 'kommune.dk', displayName: 'A' }], now: Date.parse('2026-11-23T12:00:00Z'), auditEvents: 50 });
  const ctx = { actor: { username: 'admin' }, reason: 'Full Service: undgå dobbelte mails' };

  it('has the two fixed Full Service templates, on and not editable', () => {
    const s = state();
    const fixed = [...mailTemplates(s).values()].filter((t) => t.fixed);
    expect(fixed.map((t) => t.type).sort()).toEqual(['FULL_SERVICE_IDP_ASSIGNED', 'FULL_SERVICE_IDP_REMOVED']);
    expect(fixed.every((t) => t.enabled)).toBe(true);
    expect(() => updateMailTemplate(s, 'FULL_SERVICE_IDP_ASSIGNED', { ...ctx, basedOnVersion: 1, enabled: false })).toThrow(SimError);
  });

  it('switches a municipal template off with a reason, journaled, and refuses a stale version', () => {
    const s = state();
    const t = updateMailTemplate(s, 'NSIS_ALLOWED', { ...ctx, basedOnVersion: 1, enabled: false });
    expect(t).toMatchObject({ enabled: false, version: 2, updatedBy: 'admin' });
    expect(s.audit.at(-1)).toMatchObject({ action: 'LIA_CHANGE_EMAIL_TEMPLATE', performer: { username: 'admin' } });
    expect(s.audit.at(-1)!.message).toContain(ctx.reason);
    expect(() => updateMailTemplate(s, 'NSIS_ALLOWED', { ...ctx, basedOnVersion: 1, enabled: true })).toThrow(/ændret af en anden/);
  });
});
