// Finding a person by part of a name: one folding and one ranking for the whole console, so the people
// list, the quick search and the training directory find and order people the same way.

/** Fold case, Danish letters and accents: "Søren", "SØREN" and "soeren" all become "soeren". */
export function foldText(s: string): string {
  return s
    .toLocaleLowerCase('da-DK')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** The folded words of a search text; every one of them must match. */
export function searchTerms(text: string): string[] {
  return foldText(text).split(/\s+/).filter(Boolean);
}

/** What a person is found by. */
export interface Findable {
  username: string;
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  email: string | null;
  employeeId: string | null;
}

/** A person's searchable text, folded once; fields are kept apart so no match spans two of them. */
export function foldedFindable(p: Findable): string {
  return foldText(`${p.displayName}\u0001${p.username}\u0001${p.email ?? ''}\u0001${p.employeeId ?? ''}`);
}

/** True when every word of the search is in the person's folded text. */
export function matchesTerms(folded: string, terms: readonly string[]): boolean {
  for (const t of terms) if (!folded.includes(t)) return false;
  return true;
}

/**
 * Helpdesk ranking, lower is better: 0 exact username or employee number, 1 exact e-mail, 2 username
 * prefix, 3 a name (or one of its words) starting with the text, 4 e-mail or number prefix, 5 anything
 * else that matches; -1 when not every word of the text matches.
 */
export function rankPerson(p: Findable, text: string): number {
  const terms = searchTerms(text);
  if (!matchesTerms(foldedFindable(p), terms)) return -1;
  const q = terms.join(' ');
  const username = foldText(p.username);
  const employeeId = foldText(p.employeeId ?? '');
  const email = foldText(p.email ?? '');
  const name = foldText(p.displayName);
  const words = [name, foldText(p.givenName ?? ''), foldText(p.surname ?? ''), ...name.split(/\s+/)].filter(Boolean);
  if (username === q || (employeeId !== '' && employeeId === q)) return 0;
  if (email !== '' && email === q) return 1;
  if (username.startsWith(q)) return 2;
  if (words.some((w) => w.startsWith(q))) return 3;
  if ((email !== '' && email.startsWith(q)) || (employeeId !== '' && employeeId.startsWith(q))) return 4;
  return 5;
}

/** People ranked for a search: matches only, best first, then by name. */
export function rankPeople<T extends Findable>(people: readonly T[], text: string, byName: (a: T, b: T) => number): T[] {
  const ranked: Array<{ p: T; r: number }> = [];
  for (const p of people) {
    const r = rankPerson(p, text);
    if (r >= 0) ranked.push({ p, r });
  }
  ranked.sort((a, b) => a.r - b.r || byName(a.p, b.p));
  return ranked.map((x) => x.p);
}
