// The integration health score of the F025 spec ("Health Score Calculation"): four sub-scores of
// 0–100 weighted 0.4 success rate, 0.2 response time, 0.3 error rate, 0.1 last sync. The spec fixes
// the weights and says the success rate is already 0–100; where it is silent (the other curves, what
// "no data" means) the choices below are ours:
//
// - successRate: share of finished sync runs that completed without a failed record, × 100 (linear,
//   as the spec's getSuccessRate).
// - responseTime: 100 up to RESPONSE_GOOD_MS (1 s) per external request, falling linearly to 0 at
//   RESPONSE_BAD_MS (10 s).
// - errorRate: failed records / processed records; 100 at 0 %, linearly down to 0 at 20 %, so the
//   HIGH_ERROR_RATE alert threshold (10 %) scores 50.
// - freshness ("lastSync"): time since the last successful sync against the integration's frequency;
//   100 up to one interval, linearly down to 0 at three, so the SYNC_LAG threshold (2×) scores 50.
//   Realtime, manual and paused integrations have no expected interval and score 100.
// - No data (no run, no request in the window) scores 100: nothing has gone wrong that we can see.
//   The inputs stay null in the result, so a reader can tell "perfect" from "idle".

export const HEALTH_WEIGHTS = { successRate: 0.4, responseTime: 0.2, errorRate: 0.3, freshness: 0.1 } as const;

export type HealthComponentName = keyof typeof HEALTH_WEIGHTS;

export interface HealthCurves {
  /** Average request time that still scores 100. */
  responseGoodMs: number;
  /** Average request time that scores 0. */
  responseBadMs: number;
  /** Error rate (0–1) that scores 0. */
  errorRateZeroAt: number;
  /** Sync age, in expected intervals, that still scores 100. */
  freshIntervals: number;
  /** Sync age, in expected intervals, that scores 0. */
  staleIntervals: number;
}

export const DEFAULT_HEALTH_CURVES: HealthCurves = {
  responseGoodMs: 1_000,
  responseBadMs: 10_000,
  errorRateZeroAt: 0.2,
  freshIntervals: 1,
  staleIntervals: 3,
};

export interface HealthInputs {
  /** Share (0–1) of finished sync runs in the window that completed with no failed record; null: no run. */
  successRate: number | null;
  /** Average duration (ms) of the external requests in the window; null: none was made. */
  avgResponseMs: number | null;
  /** Failed records / processed records (0–1) in the window; null: nothing processed. */
  errorRate: number | null;
  /** Milliseconds since the last successful sync (since creation when there was none). */
  syncAgeMs: number | null;
  /** How often the integration should sync; null: realtime, manual or paused (no expectation). */
  expectedIntervalMs: number | null;
}

export type IndicatorStatus = 'PASS' | 'WARN' | 'FAIL';
export type HealthStatus = 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY';

export interface HealthComponent {
  /** The measured input (a rate 0–1, milliseconds), or null when there was nothing to measure. */
  value: number | null;
  /** 0–100. */
  score: number;
  weight: number;
  status: IndicatorStatus;
}

export interface HealthScore {
  /** 0–100, one decimal. */
  score: number;
  status: HealthStatus;
  components: Record<HealthComponentName, HealthComponent>;
}

/** A sub-score of 80 or more passes, 50 or more warns (the alert thresholds land on 50). */
export function indicatorStatus(score: number): IndicatorStatus {
  return score >= 80 ? 'PASS' : score >= 50 ? 'WARN' : 'FAIL';
}

export function healthStatus(score: number): HealthStatus {
  return score >= 80 ? 'HEALTHY' : score >= 50 ? 'DEGRADED' : 'UNHEALTHY';
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Finite number or null (NaN and infinities from a bad division count as "no data"). */
function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** 100 at or below `good`, 0 at or above `bad`, a straight line between. */
function descending(value: number, good: number, bad: number): number {
  if (value <= good) return 100;
  if (value >= bad) return 0;
  return (100 * (bad - value)) / (bad - good);
}

export function successRateScore(successRate: number | null): number {
  const rate = finite(successRate);
  return rate === null ? 100 : clamp(rate, 0, 1) * 100;
}

export function responseTimeScore(avgResponseMs: number | null, curves: HealthCurves = DEFAULT_HEALTH_CURVES): number {
  const ms = finite(avgResponseMs);
  return ms === null ? 100 : descending(Math.max(0, ms), curves.responseGoodMs, curves.responseBadMs);
}

export function errorRateScore(errorRate: number | null, curves: HealthCurves = DEFAULT_HEALTH_CURVES): number {
  const rate = finite(errorRate);
  return rate === null ? 100 : descending(clamp(rate, 0, 1), 0, curves.errorRateZeroAt);
}

export function freshnessScore(
  syncAgeMs: number | null,
  expectedIntervalMs: number | null,
  curves: HealthCurves = DEFAULT_HEALTH_CURVES,
): number {
  const age = finite(syncAgeMs);
  const interval = finite(expectedIntervalMs);
  if (age === null || interval === null || interval <= 0) return 100;
  return descending(Math.max(0, age) / interval, curves.freshIntervals, curves.staleIntervals);
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** The weighted score and its parts; pure, so the admin app, the API and the alerts agree. */
export function computeHealthScore(inputs: HealthInputs, curves: Partial<HealthCurves> = {}): HealthScore {
  const c: HealthCurves = { ...DEFAULT_HEALTH_CURVES, ...curves };
  const parts: Record<HealthComponentName, { value: number | null; score: number }> = {
    successRate: { value: finite(inputs.successRate), score: successRateScore(inputs.successRate) },
    responseTime: { value: finite(inputs.avgResponseMs), score: responseTimeScore(inputs.avgResponseMs, c) },
    errorRate: { value: finite(inputs.errorRate), score: errorRateScore(inputs.errorRate, c) },
    freshness: {
      value: finite(inputs.syncAgeMs),
      score: freshnessScore(inputs.syncAgeMs, inputs.expectedIntervalMs, c),
    },
  };
  let total = 0;
  const components = {} as Record<HealthComponentName, HealthComponent>;
  for (const name of Object.keys(HEALTH_WEIGHTS) as HealthComponentName[]) {
    const weight = HEALTH_WEIGHTS[name];
    const { value, score } = parts[name];
    total += score * weight;
    components[name] = { value, score: round1(score), weight, status: indicatorStatus(score) };
  }
  const score = round1(clamp(total, 0, 100));
  return { score, status: healthStatus(score), components };
}
