// Smartsheet failures → the engine's error classes. Codes from
// https://developers.smartsheet.com/api/smartsheet/error-codes: 4003 (429) rate limit; 4000/4002
// and 4004 (500, "sheet is currently being updated by another request": a save collision) and 4001
// (503, maintenance) are worth retrying; 1001–1005 are credentials; other 1xxx are request errors.
import { ConnectorRequestError, type ConnectorError } from '../contract.ts';
import { classifyNetworkError } from '../http.ts';
import type { TApiError } from './api-types.ts';
import { SMARTSHEET_DEFAULT_RETRY_AFTER_MS } from './limits.ts';
import { isSmartsheetSdkError, type SmartsheetSdkError } from './transport.ts';

export const SMARTSHEET_RATE_LIMIT_CODE = 4003;
export const SMARTSHEET_SAVE_COLLISION_CODE = 4004;
const RETRYABLE_CODES = new Set([4000, 4001, 4002, SMARTSHEET_SAVE_COLLISION_CODE]);
const AUTH_CODES = new Set([1001, 1002, 1003, 1004, 1005]);

function kindOf(status: number, errorCode: number | undefined): ConnectorError['kind'] {
  if (status === 429 || errorCode === SMARTSHEET_RATE_LIMIT_CODE) return 'rate_limited';
  if (errorCode !== undefined && RETRYABLE_CODES.has(errorCode)) return 'retryable';
  if (status === 0 || status === 408 || status >= 500) return 'retryable';
  if (status === 401 || status === 403 || (errorCode !== undefined && AUTH_CODES.has(errorCode))) return 'auth';
  return 'invalid';
}

/** An error the SDK rejected with (or an API error body) → ConnectorError. */
export function fromSdkError(error: SmartsheetSdkError): ConnectorError {
  if (error.network || error.statusCode === 0) return { kind: 'retryable', message: error.message };
  const kind = kindOf(error.statusCode, error.errorCode);
  const result: ConnectorError = {
    kind,
    status: error.statusCode,
    message: `HTTP ${error.statusCode}${error.errorCode !== undefined ? ` (${error.errorCode})` : ''}: ${error.message}`,
  };
  if (error.errorCode !== undefined) result.code = error.errorCode;
  if (kind === 'rate_limited') result.retryAfterMs = error.retryAfterMs ?? SMARTSHEET_DEFAULT_RETRY_AFTER_MS;
  return result;
}

/** A per-row failure inside a bulk result (BulkItemFailure.error). */
export function fromRowError(error: TApiError): ConnectorError {
  // Rows fail for their content (1xxx, HTTP 400 had the request been all-or-nothing); the rare
  // server-side codes keep their meaning.
  const kind = kindOf(error.errorCode === SMARTSHEET_RATE_LIMIT_CODE ? 429 : 400, error.errorCode);
  const result: ConnectorError = { kind, code: error.errorCode, message: error.message };
  if (kind === 'rate_limited') result.retryAfterMs = SMARTSHEET_DEFAULT_RETRY_AFTER_MS;
  return result;
}

/** Anything thrown while talking to Smartsheet → retryable / rate_limited / auth / invalid. */
export function classifySmartsheetError(error: unknown): ConnectorError {
  if (error instanceof ConnectorRequestError) return error.toJSON();
  if (isSmartsheetSdkError(error)) return fromSdkError(error);
  return classifyNetworkError(error);
}

export function toConnectorRequestError(error: unknown): ConnectorRequestError {
  if (error instanceof ConnectorRequestError) return error;
  return new ConnectorRequestError(classifySmartsheetError(error), { cause: error });
}
