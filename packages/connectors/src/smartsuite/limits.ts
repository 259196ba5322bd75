// SmartSuite REST API limits (https://developers.smartsuite.com/docs/rate-limits and the record
// endpoints' reference, summarised in shared/notes/EXTERNAL_APIS.md): 5 requests per second per API
// key, and after a 429 "wait 30 seconds before subsequent requests will succeed"; bulk create /
// update / delete take at most 25 records; List Records pages hold at most 1000 (default 100).
import type { ConnectorLimits } from '../contract.ts';

export const SMARTSUITE_DEFAULT_BASE_URL = 'https://app.smartsuite.com/api/v1';
export const SMARTSUITE_REQUESTS_PER_WINDOW = 5;
export const SMARTSUITE_WINDOW_MS = 1000;
/** Records per bulk create / update / delete request (more: 422). */
export const SMARTSUITE_MAX_BULK = 25;
/** `limit` of List Records: at most 1000, default 100. */
export const SMARTSUITE_MAX_PAGE_SIZE = 1000;
export const SMARTSUITE_DEFAULT_PAGE_SIZE = 100;
/** The documented wait after a 429, used when the response carries no Retry-After. */
export const SMARTSUITE_RATE_LIMIT_WAIT_MS = 30_000;
/** Webhook timestamps older (or newer) than this are rejected. */
export const SMARTSUITE_WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

export function smartsuiteLimits(options: { requestsPerWindow?: number; windowMs?: number } = {}): ConnectorLimits {
  return {
    requestsPerWindow: options.requestsPerWindow ?? SMARTSUITE_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? SMARTSUITE_WINDOW_MS,
    maxBatchSize: SMARTSUITE_MAX_BULK,
    maxDeleteBatchSize: SMARTSUITE_MAX_BULK,
  };
}
