import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles per attempt, stays within its jitter band and cap', () => {
    const low = { random: () => 0, jitter: 0.5, baseMs: 1000, maxMs: 10_000 };
    const high = { ...low, random: () => 0.999999 };
    expect(backoffDelay(1, low)).toBe(500);
    expect(backoffDelay(1, high)).toBe(1000);
    expect(backoffDelay(3, low)).toBe(2000);
    expect(backoffDelay(3, high)).toBe(4000);
    expect(backoffDelay(10, high)).toBe(10_000);
  });

  it('never retries sooner than Retry-After', () => {
    expect(backoffDelay(1, { random: () => 0 }, 30_000)).toBe(30_000);
  });
});
