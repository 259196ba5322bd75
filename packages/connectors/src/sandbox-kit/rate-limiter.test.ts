import { describe, expect, it } from 'vitest';
import { maxInWindow } from './counters.ts';
import { SlidingWindowLog } from './rate-limiter.ts';
import { seededRng } from './rng.ts';

describe('SlidingWindowLog', () => {
  it('admits N per window, then says how long to wait', () => {
    const log = new SlidingWindowLog({ requestsPerWindow: 3, windowMs: 1000 });
    expect([0, 10, 20].map((t) => log.tryAcquire('a', t).allowed)).toEqual([true, true, true]);
    expect(log.tryAcquire('a', 500)).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterMs: 500 });
    expect(log.tryAcquire('b', 500).allowed).toBe(true); // per credential
    expect(log.tryAcquire('a', 999).allowed).toBe(false);
    expect(log.tryAcquire('a', 1000)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('never admits more than N in any window (random arrivals)', () => {
    const rng = seededRng(7);
    const log = new SlidingWindowLog({ requestsPerWindow: 5, windowMs: 100 });
    const admitted: number[] = [];
    let t = 0;
    for (let i = 0; i < 5000; i++) {
      t += Math.floor(rng() * 15);
      if (log.tryAcquire('k', t).allowed) admitted.push(t);
    }
    expect(maxInWindow(admitted, 100)).toBe(5);
    expect(admitted.length).toBeGreaterThan(1000);
  });

  it('can be reconfigured and reset', () => {
    const log = new SlidingWindowLog({ requestsPerWindow: 1, windowMs: 1000 });
    log.tryAcquire('a', 0);
    expect(log.tryAcquire('a', 1).allowed).toBe(false);
    log.configure({ requestsPerWindow: 2 });
    expect(log.tryAcquire('a', 2).allowed).toBe(true);
    log.reset();
    expect(log.tryAcquire('a', 3).allowed).toBe(true);
    expect(() => log.configure({ requestsPerWindow: 0 })).toThrow(RangeError);
  });
});

describe('maxInWindow', () => {
  it('counts the busiest half-open window (t - W, t]', () => {
    expect(maxInWindow([], 100)).toBe(0);
    // (t - 100, t] never holds 0 and 100 together.
    expect(maxInWindow([0, 50, 99, 100, 150, 199], 100)).toBe(3);
    expect(maxInWindow([0, 50, 99, 100, 150, 199], 101)).toBe(4);
    expect(maxInWindow([0, 0, 0, 100], 100)).toBe(3);
    expect(maxInWindow([0, 1, 2, 3], 2)).toBe(2);
  });
});
