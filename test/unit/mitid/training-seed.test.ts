// The training municipality must let every MitID Erhverv action be shown — a create included.
import { expect, it } from 'vitest';
import { generateTrainingAccounts, trainingHasMitIdIdentity } from '../../../src-main/training/seed.ts';

it('has active new hires with e-mail and no identity, the same ones on every start', () => {
  const accounts = generateTrainingAccounts();
  const hires = accounts.filter((a) => a.newHire);
  expect(hires.length).toBeGreaterThanOrEqual(20);
  expect(hires.every((a) => a.enabled && a.email && !trainingHasMitIdIdentity(a))).toBe(true);
  expect(hires.some((a) => a.ouPath.includes('Elever') || a.ouPath.includes('Fratrådte'))).toBe(false);
  expect(generateTrainingAccounts().filter((a) => a.newHire).map((a) => a.username)).toEqual(hires.map((a) => a.username));
  // Everyone else on the staff keeps their identity; pupils and departed staff have none.
  const staff = accounts.filter((a) => !a.newHire && a.email && !a.ouPath.includes('Elever') && !a.ouPath.includes('Fratrådte'));
  expect(staff.every(trainingHasMitIdIdentity)).toBe(true);
  expect(accounts.filter((a) => a.ouPath.includes('Elever')).some(trainingHasMitIdIdentity)).toBe(false);
});
