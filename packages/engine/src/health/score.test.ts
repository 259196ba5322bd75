import { describe, expect, it } from 'vitest';
import {
  computeHealthScore,
  errorRateScore,
  freshnessScore,
  HEALTH_WEIGHTS,
  responseTimeScore,
  successRateScore,
  type HealthInputs,
} from './score.ts';

const HOUR = 3_600_000;

/** Every sub-score at 100. */
const perfect: HealthInputs = {
  successRate: 1,
  avgResponseMs: 200,
  errorRate: 0,
  syncAgeMs: 10 * 60_000,
  expectedIntervalMs: HOUR,
};

/** Every sub-score at 0. */
const broken: HealthInputs = {
  successRate: 0,
  avgResponseMs: 60_000,
  errorRate: 0.5,
  syncAgeMs: 10 * HOUR,
  expectedIntervalMs: HOUR,
};

describe('computeHealthScore', () => {
  it('is 100 when everything is fine and 0 when everything is broken', () => {
    expect(computeHealthScore(perfect)).toMatchObject({ score: 100, status: 'HEALTHY' });
    expect(computeHealthScore(broken)).toMatchObject({ score: 0, status: 'UNHEALTHY' });
  });

  it('uses the spec weights, which sum to 1', () => {
    expect(HEALTH_WEIGHTS).toEqual({ successRate: 0.4, responseTime: 0.2, errorRate: 0.3, freshness: 0.1 });
    expect(Object.values(HEALTH_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  // Breaking one input alone (sub-score 100 → 0) costs exactly its weight × 100.
  it.each([
    ['successRate', { successRate: 0 }, 40],
    ['responseTime', { avgResponseMs: 60_000 }, 20],
    ['errorRate', { errorRate: 0.5 }, 30],
    ['freshness', { syncAgeMs: 10 * HOUR }, 10],
  ] as const)('%s alone moves the score by its weight', (name, change, points) => {
    const result = computeHealthScore({ ...perfect, ...change });
    expect(result.score).toBeCloseTo(100 - points, 5);
    expect(result.components[name]).toMatchObject({ score: 0, status: 'FAIL', weight: points / 100 });
    // And repairing it alone from "all broken" gives exactly those points back.
    const repaired = computeHealthScore({ ...broken, ...pick(perfect, Object.keys(change) as (keyof HealthInputs)[]) });
    expect(repaired.score).toBeCloseTo(points, 5);
  });

  it('scales each input along its curve (half-way points)', () => {
    // 90 % success → successRate 90 → -4 points.
    expect(computeHealthScore({ ...perfect, successRate: 0.9 }).score).toBeCloseTo(96, 5);
    // 5.5 s average → half-way between 1 s and 10 s → responseTime 50 → -10 points.
    expect(computeHealthScore({ ...perfect, avgResponseMs: 5_500 }).score).toBeCloseTo(90, 5);
    // 10 % errors (the alert threshold) → errorRate 50 → -15 points.
    expect(computeHealthScore({ ...perfect, errorRate: 0.1 }).score).toBeCloseTo(85, 5);
    // Two intervals late (the SYNC_LAG threshold) → freshness 50 → -5 points.
    expect(computeHealthScore({ ...perfect, syncAgeMs: 2 * HOUR }).score).toBeCloseTo(95, 5);
  });

  it('reports each component with its value, weight and status', () => {
    const result = computeHealthScore({ ...perfect, successRate: 0.6, errorRate: 0.05 });
    expect(result.components.successRate).toEqual({ value: 0.6, score: 60, weight: 0.4, status: 'WARN' });
    expect(result.components.errorRate).toEqual({ value: 0.05, score: 75, weight: 0.3, status: 'WARN' });
    expect(result.components.responseTime).toEqual({ value: 200, score: 100, weight: 0.2, status: 'PASS' });
    expect(result.score).toBeCloseTo(100 - 16 - 7.5, 5);
    expect(result.status).toBe('DEGRADED');
  });

  it('treats missing data as no evidence of trouble, and keeps the nulls visible', () => {
    const idle = computeHealthScore({
      successRate: null,
      avgResponseMs: null,
      errorRate: null,
      syncAgeMs: null,
      expectedIntervalMs: null,
    });
    expect(idle.score).toBe(100);
    expect(Object.values(idle.components).map((c) => c.value)).toEqual([null, null, null, null]);
    // No expected interval (realtime, manual, paused): however old the last sync, freshness is 100.
    expect(computeHealthScore({ ...perfect, syncAgeMs: 100 * HOUR, expectedIntervalMs: null }).score).toBe(100);
  });

  it('stays within 0–100 for out-of-range and non-finite inputs', () => {
    const wild = computeHealthScore({
      successRate: 7,
      avgResponseMs: -5,
      errorRate: -1,
      syncAgeMs: -HOUR,
      expectedIntervalMs: HOUR,
    });
    expect(wild.score).toBe(100);
    const worse = computeHealthScore({
      successRate: -3,
      avgResponseMs: Number.POSITIVE_INFINITY,
      errorRate: 9,
      syncAgeMs: Number.MAX_SAFE_INTEGER,
      expectedIntervalMs: 1,
    });
    // Infinity counts as "no data" (100 × 0.2); the rest floor at 0.
    expect(worse.score).toBe(20);
    expect(computeHealthScore({ ...perfect, successRate: Number.NaN }).components.successRate.value).toBeNull();
  });

  it('maps the score to a status', () => {
    expect(computeHealthScore({ ...perfect, successRate: 0.5 }).status).toBe('HEALTHY'); // 80
    expect(computeHealthScore({ ...perfect, successRate: 0.45 }).status).toBe('DEGRADED'); // 78
    expect(computeHealthScore({ ...perfect, successRate: 0, errorRate: 0.2 }).status).toBe('UNHEALTHY'); // 30
  });

  it('accepts other curves', () => {
    const result = computeHealthScore({ ...perfect, avgResponseMs: 2_000 }, { responseGoodMs: 2_000 });
    expect(result.score).toBe(100);
  });
});

describe('sub-score curves', () => {
  it('success rate is linear', () => {
    expect([0, 0.25, 1].map(successRateScore)).toEqual([0, 25, 100]);
  });
  it('response time is 100 up to 1 s and 0 from 10 s', () => {
    expect([0, 1_000, 3_250, 10_000, 20_000].map((ms) => responseTimeScore(ms))).toEqual([100, 100, 75, 0, 0]);
  });
  it('error rate is 100 at 0 % and 0 from 20 %', () => {
    const scores = [0, 0.02, 0.1, 0.2, 0.9].map((r) => errorRateScore(r));
    [100, 90, 50, 0, 0].forEach((expected, i) => expect(scores[i]).toBeCloseTo(expected, 9));
  });
  it('freshness is 100 within one interval and 0 from three', () => {
    expect([0.5, 1, 1.5, 3, 4].map((n) => freshnessScore(n * HOUR, HOUR))).toEqual([100, 100, 75, 0, 0]);
  });
});

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}
