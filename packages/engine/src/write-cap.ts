// A cap on write requests per integration (S2: "never exceeds a per-minute write cap"), held across
// every worker process by the Postgres rate limiter. It is enforced per *request*, not per connector
// call: the engine's limiter acquires one slot per upsertBatch / deleteBatch call, but a Webflow
// upsertBatch makes up to three requests (bulk create, bulk update, publish) and re-sends after a
// rejected bulk. So the connector wraps each write request it makes in the cap (the Webflow
// connector's `aroundWrite` hook): every one of them takes a slot under the cap's key, held until
// its answer is back (the limiter's send()).
//
// Settings on the integration (Integration.settings):
//   writeCapPerMinute  write requests allowed per window (the seed's WRITE_CAP_PER_MINUTE, e.g. 50)
//   writeCapWindowMs   the window, default 60 000 ms (shorter only for tests and tuning)
import { z } from 'zod';
import type { Integration } from '@syncbridge/db';
import type { RateLimiter } from './rate-limiter.ts';

export const ZWriteCapSettings = z.object({
  writeCapPerMinute: z.number().int().positive().optional(),
  writeCapWindowMs: z.number().int().positive().default(60_000),
});
export type WriteCapSettings = z.infer<typeof ZWriteCapSettings>;

/** One key per integration: the cap holds whatever the connector call or process. */
export function writeCapKey(integrationId: string): string {
  return `writes:${integrationId}`;
}

/** The wrapper a connector sends each write request through, or undefined when no cap is set. */
export function writeCapThrottle(
  limiter: RateLimiter,
  integration: Integration,
): (<T>(operation: string, request: () => Promise<T>) => Promise<T>) | undefined {
  const parsed = ZWriteCapSettings.safeParse(integration.settings ?? {});
  if (!parsed.success || parsed.data.writeCapPerMinute === undefined) return undefined;
  const limit = {
    key: writeCapKey(integration.id),
    limit: parsed.data.writeCapPerMinute,
    windowMs: parsed.data.writeCapWindowMs,
  };
  return (_operation, request) => limiter.send(limit, request);
}
