import { describe, expect, it } from 'vitest';
import { healthInputsFrom, scoringInputs, type HealthMetrics } from './load.ts';
import { computeHealthScore } from './score.ts';

const now = new Date('2026-11-22T12:00:00Z');

function metrics(overrides: Partial<HealthMetrics>): HealthMetrics {
  return {
    integrationId: 'i',
    name: 'Board',
    integrationStatus: 'ACTIVE',
    frequency: 'REALTIME',
    consecutiveFailures: 0,
    lastSyncAt: null,
    lastSuccessAt: null,
    createdAt: new Date('2026-11-22T11:00:00Z'),
    runs: 0,
    completedRuns: 0,
    recordsProcessed: 0,
    recordsFailed: 0,
    requests: 0,
    avgResponseMs: null,
    pendingConflicts: 0,
    ...overrides,
  } as HealthMetrics;
}

describe('healthInputsFrom', () => {
  it('an idle integration with no failures has no data and scores 100', () => {
    const inputs = healthInputsFrom(metrics({}), now);
    expect(inputs.successRate).toBeNull();
    expect(computeHealthScore(inputs).score).toBe(100);
  });

  it('a failure streak without runs in the window still lowers the score', () => {
    const failingOnce = metrics({ consecutiveFailures: 1, integrationStatus: 'ERROR' });
    const measured = healthInputsFrom(failingOnce, now);
    expect(measured.successRate).toBeNull(); // displayed as "no runs"
    const one = scoringInputs(measured, failingOnce);
    expect(one).toMatchObject({ successRate: 0, errorRate: null });
    expect(computeHealthScore(one).score).toBe(60);
    const failingThrice = metrics({ consecutiveFailures: 3, integrationStatus: 'ERROR' });
    const down = scoringInputs(healthInputsFrom(failingThrice, now), failingThrice);
    expect(down).toMatchObject({ successRate: 0, errorRate: 1 });
    expect(computeHealthScore(down)).toMatchObject({ score: 30, status: 'UNHEALTHY' });
  });

  it('measured runs win over the streak', () => {
    const m = metrics({ consecutiveFailures: 3, runs: 4, completedRuns: 3, recordsProcessed: 10 });
    expect(scoringInputs(healthInputsFrom(m, now), m)).toMatchObject({ successRate: 0.75, errorRate: 0 });
  });
});
