import { describe, expect, it } from 'vitest';
import type { SystemStatus } from '../../../shared/domain/settings.ts';
import { statusBoard } from '../../../src-main/connectors/status.ts';

const status = (message: string): SystemStatus[] => [{ system: 'ad', state: 'ok', message, detail: { code: 'connectedDc', params: {} }, checkedAt: new Date(0).toISOString(), training: false }];

describe('the status bar\'s view of the systems', () => {
  it('waits only for the first check; later calls answer from the last one and check again behind it', async () => {
    let clock = 0;
    let checks = 0;
    let release: () => void = () => {};
    const board = statusBoard(
      () => {
        checks++;
        const n = checks;
        // The second check hangs, as a ping to a DC busy with a full read does.
        return n === 2 ? new Promise((r) => (release = () => r(status(`check ${n}`)))) : Promise.resolve(status(`check ${n}`));
      },
      15_000,
      () => clock,
    );
    const [a, b] = await Promise.all([board.current(), board.current()]);
    expect([a[0]?.message, b[0]?.message, checks]).toEqual(['check 1', 'check 1', 1]);
    clock = 10_000;
    expect((await board.current())[0]?.message).toBe('check 1');
    expect(checks).toBe(1);
    // Stale: answered at once from the last check, while one new check runs (polls do not stack pings).
    clock = 20_000;
    expect((await board.current())[0]?.message).toBe('check 1');
    expect((await board.current())[0]?.message).toBe('check 1');
    expect(checks).toBe(2);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect((await board.current())[0]?.message).toBe('check 2');
  });
});
