import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Announcer } from './announcer.svelte';

describe('the one live region', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('[A11Y2] gathers sentences said together into one message and drops repeats', () => {
    const announcer = new Announcer(() => Date.now());
    announcer.announce('Grace has voted.');
    announcer.announce('The vote is in: goals are back.', 'Grace has voted.');
    vi.advanceTimersByTime(200);
    expect(announcer.message).toBe('Grace has voted. The vote is in: goals are back.');
    announcer.announce('Grace has voted.');
    vi.advanceTimersByTime(200);
    expect(announcer.message).toBe('Grace has voted. The vote is in: goals are back.');
    vi.advanceTimersByTime(10_000);
    expect(announcer.message).toBe('');
    announcer.announce('Grace has voted.');
    vi.advanceTimersByTime(200);
    expect(announcer.message).toBe('Grace has voted.');
  });
});
