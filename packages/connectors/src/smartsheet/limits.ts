// Smartsheet API 2.0's published limits (API reference "Rate limiting", Add Rows / Update Rows;
// summarised in shared/notes/EXTERNAL_APIS.md): 300 requests per minute per access token, at most
// 500 rows per Add Rows / Update Rows call, and one writer per sheet at a time (parallel writes to
// one sheet fail with errorCode 4004, https://developers.smartsheet.com/api/smartsheet/error-codes).
import type { ConnectorLimits } from '../contract.ts';

export const SMARTSHEET_REQUESTS_PER_WINDOW = 300;
export const SMARTSHEET_WINDOW_MS = 60_000;
/** Rows per Add Rows / Update Rows request. */
export const SMARTSHEET_MAX_ROWS_PER_REQUEST = 500;
/** Row ids per Delete Rows request: no documented limit, but the ids travel in the URL. */
export const SMARTSHEET_DELETE_CHUNK = 400;
/** Row ids per Get Sheet `rowIds=` filter (getRecords), again to keep URLs short. */
export const SMARTSHEET_ROW_ID_CHUNK = 200;
/**
 * How far before a read's start the next `rowsModifiedSince` points. Row `modifiedAt` has whole
 * seconds and our clock may disagree with Smartsheet's by a little: a generous overlap re-reads a
 * few rows (the engine's hashes skip them) instead of losing a change made during a read.
 */
export const SMARTSHEET_CURSOR_SAFETY_MARGIN_MS = 60_000;
/** Wait suggested for a 429 that carries no Retry-After (Smartsheet documents none: "sleep 60 s"). */
export const SMARTSHEET_DEFAULT_RETRY_AFTER_MS = 60_000;

export function smartsheetLimits(options: { requestsPerWindow?: number; windowMs?: number } = {}): ConnectorLimits {
  return {
    requestsPerWindow: options.requestsPerWindow ?? SMARTSHEET_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? SMARTSHEET_WINDOW_MS,
    maxBatchSize: SMARTSHEET_MAX_ROWS_PER_REQUEST,
    maxDeleteBatchSize: SMARTSHEET_DELETE_CHUNK,
    maxConcurrentPerObject: 1,
  };
}
