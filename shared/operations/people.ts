import { z } from 'zod';
import { op } from '../operation.ts';
import { Person, PersonSummary, Reason } from '../domain/person.ts';

const PersonId = z.string().trim().min(1, 'Angiv en person').max(100);

export const peopleOps = {
  'people.search': op({
    summary: 'Søg efter personer',
    access: 'signed-in',
    writes: false,
    input: z
      .object({
        text: z.string().max(10_000).default(''),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({ items: z.array(PersonSummary), total: z.number().int() }),
  }),
  'people.get': op({
    summary: 'Vis en person',
    access: 'signed-in',
    writes: false,
    input: z.object({ personId: PersonId }).strict(),
    output: z.object({ person: Person }),
    target: (i) => ({ personId: i.personId }),
  }),
  'people.unlockAccount': op({
    summary: 'Lås AD-konto op',
    access: ['administrator', 'useradmin', 'helpdesk'],
    writes: true,
    input: z.object({ personId: PersonId, reason: Reason }).strict(),
    output: z.object({ person: Person }),
    target: (i) => ({ personId: i.personId }),
  }),
};
