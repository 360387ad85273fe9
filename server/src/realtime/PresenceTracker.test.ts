import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_AFTER_MS, presenceOf, type PresenceMap } from '@pairboard/shared';
import { PresenceTracker } from './PresenceTracker.ts';

let tracker: PresenceTracker | undefined;
afterEach(() => tracker?.stop());

describe('presence', () => {
  it('[PRES1][PRES2] gone without connections, idle after a minute of silence, online otherwise', () => {
    expect(presenceOf(0, 0, 1_000)).toBe('gone');
    expect(presenceOf(1, 0, IDLE_AFTER_MS - 1)).toBe('online');
    expect(presenceOf(2, 0, IDLE_AFTER_MS)).toBe('idle');
  });

  it('[PRES2] reports each change once, including the silent slide into idle', () => {
    let now = 0;
    const seen: PresenceMap[] = [];
    tracker = new PresenceTracker(
      (_board, p) => seen.push(p),
      () => now,
      60_000_000
    );
    tracker.connect('b', 'mentor');
    tracker.connect('b', 'mentor'); // a second tab changes nothing visible
    now = IDLE_AFTER_MS;
    tracker.touch('b', 'mentee'); // not connected: ignored, but the sweep-like report notices idle
    now = IDLE_AFTER_MS + 1;
    tracker.touch('b', 'mentor');
    tracker.disconnect('b', 'mentor');
    tracker.disconnect('b', 'mentor');
    expect(seen).toEqual([
      { mentor: 'online', mentee: 'gone' },
      { mentor: 'idle', mentee: 'gone' },
      { mentor: 'online', mentee: 'gone' },
      { mentor: 'gone', mentee: 'gone' }
    ]);
  });

  it('[PRES2] the sweep reports every board that slid into idle, a slice at a time, boards leaving meanwhile', async () => {
    let now = 0;
    const idle = new Set<string>();
    tracker = new PresenceTracker(
      (board, p) => p.mentor === 'idle' && idle.add(board),
      () => now,
      20
    );
    for (let i = 0; i < 5_000; i++) tracker.connect(`b${i}`, 'mentor');
    now = IDLE_AFTER_MS;
    tracker.disconnect('b4999', 'mentor'); // gone before the sweep reaches it: nothing to report
    await vi.waitFor(() => expect(idle.size).toBe(4_999), { timeout: 5_000 });
    expect(idle.has('b4999')).toBe(false);
  });
});
