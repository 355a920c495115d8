import { z } from 'zod';
import { Domain, PAGE_LIMIT_MAX, Timestamp, Username } from './common.ts';
import { IdpPerson } from './people.ts';

/**
 * The people change feed: every person whose facts (NSIS status and level, identity lock, MFA device
 * summary, terms acceptance) changed since a cursor, one bounded page per call, so a console keeps its
 * copy of 100,000 people fresh with a handful of calls instead of one per person.
 *
 *   GET /people/changes?after=<cursor>&limit=<n>
 *
 * Each change carries the person as they are when the page is read (so a person changed twice in a row
 * appears once, at the newer position). A person the IdP no longer has comes as a tombstone. The cursor
 * is opaque; without one the feed starts from the beginning (every person the IdP has, then everything
 * since). A cursor the IdP cannot continue from (its feed was rebuilt) is answered from the beginning
 * with `reset: true`: the caller must then treat what it reads as the whole set.
 */
export const FeedCursor = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/, 'Ugyldig cursor');

export const PERSON_CHANGES_DEFAULT = 500;

export const PersonChangesQuery = z.object({
  after: FeedCursor.optional(),
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PERSON_CHANGES_DEFAULT),
});
export type PersonChangesQuery = z.input<typeof PersonChangesQuery>;

export const PersonChange = z
  .object({
    domain: Domain,
    username: Username,
    removed: z.boolean().describe('A tombstone: the IdP no longer has this person.'),
    person: IdpPerson.nullable().describe('The person as they are now; null for a tombstone.'),
    changedAt: Timestamp.describe('When the newest change to the person was applied.'),
  })
  .refine((c) => c.removed === (c.person === null), { message: 'En sletning har ingen person, og en ændring har én', path: ['person'] });
export type PersonChange = z.infer<typeof PersonChange>;

export const PersonChangePage = z.object({
  items: z.array(PersonChange).describe('Changes after `after`, oldest first, at most `limit`.'),
  next: FeedCursor.describe('Pass as `after` for the next page (the position after the last item, or `after` when empty).'),
  head: FeedCursor.describe('The newest position of the feed right now.'),
  hasMore: z.boolean().describe('True when more changes can be read after `next` right now.'),
  reset: z.boolean().describe('True when `after` could not be continued from: this page starts from the beginning of the feed.'),
});
export type PersonChangePage = z.infer<typeof PersonChangePage>;
