// The OpenAPI document in resources/ is the zod contract rendered; this keeps them the same.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { idpOpenApiDocument, idpOpenApiYaml, toYaml } from '../../../shared/idp/openapi.ts';

const file = fileURLToPath(new URL('../../../resources/openapi/idp-admin-api.yaml', import.meta.url));

it('resources/openapi/idp-admin-api.yaml matches the zod contract (UPDATE_IDP_OPENAPI=1 rewrites it)', () => {
  const generated = idpOpenApiYaml();
  if (process.env['UPDATE_IDP_OPENAPI'] === '1') writeFileSync(file, generated);
  expect(readFileSync(file, 'utf8')).toBe(generated);
});

it('documents every operation of the contract with auth, errors and schemas', () => {
  const doc = idpOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
  expect(doc.openapi).toBe('3.1.0');
  const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
  expect(ops.length).toBe(33 + 4 + 1 + 3); // + the four create-claim operations, the people change feed and the three mail-template ones
  // The change feed: one page per call, with the cursor in and out, tombstones in the item.
  const feed = doc.paths['/people/changes']!['get'] as unknown as { parameters: { name: string; in: string }[]; responses: Record<string, unknown> };
  expect(feed.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(['after', 'limit']);
  expect(JSON.stringify(feed.responses['200'])).toContain('PersonChangePage');
  for (const f of ['"next"', '"head"', '"hasMore"', '"reset"']) expect(JSON.stringify(doc.components.schemas['PersonChangePage'])).toContain(f);
  for (const f of ['"removed"', '"person"', '"changedAt"']) expect(JSON.stringify(doc.components.schemas['PersonChange'])).toContain(f);
  for (const f of ['"nsisLevel"', '"devices"']) expect(JSON.stringify(doc.components.schemas['IdpPerson'])).toContain(f);
  // Where the contract goes beyond OS2faktor, the document says so.
  expect(doc.paths['/people/{domain}/{username}/devices/{deviceId}/lock']!['post']).toHaveProperty('x-beyond-os2faktor');
  expect(doc.paths['/audit/journals/{journalId}/batches']!['post']).toHaveProperty('x-beyond-os2faktor');
  expect(doc.paths['/mail-templates/{type}']!['put']!.responses).toHaveProperty('403');
  expect(JSON.stringify(doc.components.schemas['AuditHead'])).toContain('null');
  // The journal anchor and the attestation: batches refused with 409 when they do not continue the chain.
  expect(doc.paths['/audit/journals/{journalId}/batches']!['post']!.responses).toHaveProperty('409');
  expect(doc.paths['/audit/journals/{journalId}/heads/{seq}']!['get']!.responses).toHaveProperty('404');
  expect(doc.paths['/attestation/signatures']!['post']!.responses).toHaveProperty('201');
  for (const id of ['JournalBatch', 'ChainHead', 'AcknowledgedHead', 'AttestationRequest', 'Attestation', 'AttestationCertificate']) expect(doc.components.schemas).toHaveProperty(id);
  for (const op of ops) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '500', '503']));
  expect(doc.paths['/password-policies/{domain}']!['put']!.responses).toHaveProperty('422');
  expect(doc.paths['/password-policies/{domain}']!['put']!.responses).toHaveProperty('409');
  const settings = JSON.stringify(doc.components.schemas['PasswordPolicySettings']);
  for (const f of ['minLength', 'maxLength', 'requireComplexPassword', 'disallowDanishCharacters', 'allowedSpecialCharacters', 'bannedWords', 'checkLeakedPasswords', 'forceChangePasswordIntervalDays', 'passwordHistoryCount', 'triesBeforeLock', 'lockedMinutes', 'maxPasswordChangesPerDay', 'canNotChangePasswordGroup', 'nsis']) {
    expect(settings).toContain(`"${f}"`);
  }
});

it('emits YAML that quotes what would otherwise change meaning', () => {
  expect(toYaml({ a: 'yes', b: '200', c: 'x: y', d: [], e: { f: [{ g: 1, h: null }] } })).toBe(
    'a: "yes"\nb: "200"\nc: "x: y"\nd: []\ne:\n  f:\n    - g: 1\n      h: null\n',
  );
});
