import type { Response } from 'express';

/** Milliseconds since the epoch; injectable so limiter and counters can be driven by a fake clock. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/**
 * The time a request is considered to have arrived, read once and shared by the rate limiter and
 * the request counter, so that both see the same instant and their sliding windows agree exactly.
 */
export function requestTime(res: Response, clock: Clock): number {
  const locals = res.locals as { sandboxRequestTime?: number };
  locals.sandboxRequestTime ??= clock();
  return locals.sandboxRequestTime;
}
