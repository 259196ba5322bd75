// Google Sheets API v4 limits: https://developers.google.com/workspace/sheets/api/limits
import type { ConnectorLimits } from '../contract.ts';

/** Read and write requests per minute per user per project (project-wide: 300 each). */
export const SHEETS_REQUESTS_PER_USER_PER_MINUTE = 60;
export const SHEETS_WINDOW_MS = 60_000;

/**
 * Rows per upsert/delete call. A call costs one read (the key column) plus one values.batchUpdate
 * and one values.append (more only when a payload passes maxRequestBytes), so rows per request are
 * bound by payload size, not by a count.
 */
export const SHEETS_DEFAULT_MAX_BATCH = 1000;

/** Google recommends payloads of at most 2 MB; stay under it with room for the envelope. */
export const SHEETS_DEFAULT_MAX_REQUEST_BYTES = 2_000_000;

/** Characters one cell may hold. */
export const SHEETS_MAX_CELL_CHARACTERS = 50_000;

/** Records per listChanges page (the whole tab is read in one request, then paged). */
export const SHEETS_DEFAULT_PAGE_SIZE = 1000;

/** Truncated exponential backoff cap (Google: 32 or 64 s). */
export const SHEETS_MAX_BACKOFF_MS = 64_000;

export function sheetsLimits(options: {
  readsPerWindow?: number;
  writesPerWindow?: number;
  windowMs?: number;
  maxBatchSize?: number;
}): ConnectorLimits {
  // The engine keeps one budget per credential for every kind of call; reads and writes have
  // separate quotas of the same size, so the smaller one bounds both.
  const reads = options.readsPerWindow ?? SHEETS_REQUESTS_PER_USER_PER_MINUTE;
  const writes = options.writesPerWindow ?? SHEETS_REQUESTS_PER_USER_PER_MINUTE;
  return {
    requestsPerWindow: Math.min(reads, writes),
    windowMs: options.windowMs ?? SHEETS_WINDOW_MS,
    maxBatchSize: options.maxBatchSize ?? SHEETS_DEFAULT_MAX_BATCH,
    // Row numbers shift when rows are appended or deleted: one writer per spreadsheet tab at a time.
    maxConcurrentPerObject: 1,
  };
}
