import { z } from 'zod';
import { op } from '../operation.ts';
import { PersonRow } from '../domain/people.ts';
import { WriteOutcome } from './people.ts';

const PersonId = z.string().trim().min(1, 'Angiv en person').max(100);
const Reason = z.string().trim().min(5, 'Angiv en begrundelse på mindst 5 tegn').max(500);
const HELPDESK = ['administrator', 'useradmin', 'helpdesk'] as const;

/** A kodeviser's serial number as printed on it; spaces are dropped and letters upper-cased, as the IdP keeps them. */
export const KodeviserSerial = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().min(3, 'Skriv serienummeret, som det står på kodeviseren').max(64, 'Serienummeret er for langt').regex(/^[A-Z0-9][A-Z0-9-]*$/, 'Serienummeret må kun indeholde bogstaver, tal og bindestreg'));

export const tokenCheckStates = ['free', 'assigned-here', 'assigned-other', 'unknown', 'invalid'] as const;

/** What the IdP says about a typed serial number, before anything is assigned. */
export const TokenCheck = z.object({
  serialNumber: z.string(),
  state: z.enum(tokenCheckStates),
  /** Danish, for the field; the renderer words `state` with the serial number in the operator's language. */
  message: z.string(),
});
export type TokenCheck = z.infer<typeof TokenCheck>;

export const tokensOps = {
  'people.checkHardwareToken': op({
    summary: 'Kontrollér en kodevisers serienummer',
    access: HELPDESK,
    scope: 'person',
    writes: false,
    input: z.object({ personId: PersonId, serialNumber: z.string().max(100) }).strict(),
    output: TokenCheck,
    target: (i) => ({ personId: i.personId }),
  }),
  'people.assignHardwareToken': op({
    summary: 'Tildel kodeviser',
    access: HELPDESK,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history', 'people.get'],
    input: z.object({ personId: PersonId, serialNumber: KodeviserSerial, reason: Reason }).strict(),
    output: z.object({ outcome: z.string(), message: z.string(), said: WriteOutcome, row: PersonRow.nullable() }),
    target: (i) => ({ personId: i.personId }),
  }),
};
