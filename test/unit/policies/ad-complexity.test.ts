import { describe, expect, it } from 'vitest';
import { adComplexityProblems } from '../../../shared/domain/policies.ts';

// One definition of AD's complexity rule, used by the password check on the person page and by the
// training directory's refusals: they can no longer disagree.
describe("AD's complexity rule", () => {
  const jens = { username: 'jph', displayName: 'Jens Peter Hansen' };

  it('wants 3 of 5 kinds of character, and counts Danish letters as letters', () => {
    expect(adComplexityProblems('alllowercase', jens)).toEqual(['NOT_COMPLEX']);
    expect(adComplexityProblems('Blåbær-grød', jens)).toEqual([]);
    // Æ is an upper-case letter, ø a lower-case one: with a digit that is three kinds.
    expect(adComplexityProblems('Æbleøl2026', jens)).toEqual([]);
    expect(adComplexityProblems('æbleøl2026', jens)).toEqual(['NOT_COMPLEX']);
    // Letters without case (here Japanese) are a fifth kind.
    expect(adComplexityProblems('ねこneko2026', jens)).toEqual([]);
  });

  it('refuses the account name from 3 characters, and any display-name token of 3 or more', () => {
    expect(adComplexityProblems('Hej-JPH-2026', jens)).toEqual(['CONTAINS_NAME']);
    expect(adComplexityProblems('Hansen-er-sej-7', jens)).toEqual(['CONTAINS_NAME']);
    // A two-letter account name is not checked, as in Windows.
    expect(adComplexityProblems('Abe-bo-2026', { username: 'bo', displayName: null })).toEqual([]);
  });
});
