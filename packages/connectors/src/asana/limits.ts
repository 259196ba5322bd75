// Asana's published limits (shared/notes/EXTERNAL_APIS.md, Asana;
// https://developers.asana.com/docs/rate-limits, https://developers.asana.com/docs/batch-requests).
import type { ConnectorLimits } from '../contract.ts';

/** Requests per minute per token: 150 on free domains, 1,500 on paid ones. */
export const ASANA_REQUESTS_PER_WINDOW = 150;
export const ASANA_PAID_REQUESTS_PER_WINDOW = 1_500;
export const ASANA_WINDOW_MS = 60_000;
/** Collection pages hold 1..100 objects. */
export const ASANA_MAX_PAGE = 100;
/** POST /batch takes at most 10 actions, and each action counts as one request against the limit. */
export const ASANA_MAX_BATCH_ACTIONS = 10;
/** Asana caps an external gid at 1,024 characters. */
export const ASANA_MAX_EXTERNAL_GID = 1_024;
/**
 * How far before the last read's start an incremental read (modified_since) starts again: covers
 * clock skew and writes that were in flight while the previous read ran. Repeats cost nothing (the
 * engine's hashes skip unchanged records), misses would.
 */
export const ASANA_CURSOR_SAFETY_MARGIN_MS = 60_000;

/**
 * One contract call is one HTTP request, so the engine's limiter (one slot per call) counts exactly
 * what Asana counts. Asana has no bulk write: its batch API bundles up to 10 actions but bills each
 * as a separate request, so bundling would let the engine send ten times the limit while believing
 * it sent one request per slot. Writes therefore go one task per call.
 */
export function asanaLimits(options: { requestsPerWindow?: number; windowMs?: number } = {}): ConnectorLimits {
  return {
    requestsPerWindow: options.requestsPerWindow ?? ASANA_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? ASANA_WINDOW_MS,
    maxBatchSize: 1,
  };
}
