import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJson } from '../../../src-main/connectors/http/json.ts';
import { IDP } from '../../../src-main/connectors/idp/http.ts';
import { MITID } from '../../../src-main/connectors/mitid-erhverv/transport.ts';

describe('parseJson: zod on every answer', () => {
  const Person = z.object({ name: z.string(), cpr: z.string().regex(/^\d{10}$/) });

  it('names the system and the fields that did not fit, never their values', () => {
    let caught: unknown;
    try {
      parseJson(IDP, JSON.stringify({ name: 7, cpr: '010180-1234' }), Person);
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'unavailable-idp', message: 'Lokal IdP svarede med et uventet format' });
    const issues = (caught as { details: { issues: string[] } }).details.issues;
    expect(issues.map((i) => i.split(':')[0])).toEqual(['name', 'cpr']);
    expect(JSON.stringify(caught)).not.toContain('1234');
  });

  it('tells a body that is not JSON apart, in the system’s own error code', () => {
    expect(() => parseJson(MITID, '<html>Service Unavailable</html>', Person)).toThrow(
      expect.objectContaining({ code: 'unavailable-mitid', message: 'MitID Erhverv svarede med et uventet format (ikke JSON)' }),
    );
  });

  it('returns the parsed data', () => {
    expect(parseJson(MITID, '{"name":"Anne","cpr":"0101801234","extra":1}', Person)).toEqual({ name: 'Anne', cpr: '0101801234' });
  });
});
