import type { Person, PersonSummary } from '../../shared/domain/person.ts';

/** A group the operator is a member of, directly or nested (from tokenGroups). */
export interface DirectoryGroup {
  sid: string;
  /** sAMAccountName of the group. */
  name: string;
  dn: string;
}

export interface OperatorIdentity {
  dn: string;
  username: string;
  displayName: string;
  groups: DirectoryGroup[];
}

export interface PeopleQuery {
  text: string;
  limit: number;
}

/**
 * An operator's own connection to the directory. Writes go through it so that AD's delegation applies
 * to the person who clicked, not to a service account.
 */
export interface DirectorySession {
  readonly identity: OperatorIdentity;
  searchPeople(q: PeopleQuery): Promise<{ items: PersonSummary[]; total: number }>;
  /** personId = objectGUID. Throws ConsoleError('not-found') when unknown. */
  getPerson(personId: string): Promise<Person>;
  unlockAccount(personId: string): Promise<void>;
  close(): Promise<void>;
}

/** The console's view of Active Directory. Real adapter: ldapts; training adapter: in memory. */
export interface DirectoryPort {
  readonly kind: 'ad' | 'training';
  /**
   * Bind as the operator. Wrong credentials → ConsoleError('unauthenticated'); DC unreachable →
   * ConsoleError('unavailable-ad').
   */
  signIn(username: string, password: string): Promise<DirectorySession>;
  /** A cheap reachability check for the status bar and "test connection". */
  ping(): Promise<{ ok: boolean; message: string }>;
}
