// Webflow failures → the engine's error classes. The SDK throws WebflowError subclasses carrying
// `statusCode`, the parsed body `{ code, message, externalReference, details }` and `rawResponse`
// (with the response headers, so Retry-After survives); WebflowTimeoutError on its own timeout;
// WebflowError without a status for network failures.
// https://developers.webflow.com/data/reference/rest-introduction#errors
import { ConnectorRequestError, type ConnectorError } from '../contract.ts';
import { classifyNetworkError, kindForStatus, parseRetryAfter } from '../http.ts';
import { ZWebflowErrorBody, type TWebflowErrorBody } from './api-types.ts';
import { WEBFLOW_DEFAULT_RETRY_AFTER_MS } from './limits.ts';

/** The fields of the SDK's WebflowError we rely on (checked structurally: no SDK import here). */
export interface WebflowSdkErrorLike {
  name?: string;
  message: string;
  statusCode?: number;
  body?: unknown;
  rawResponse?: { headers?: { get(name: string): string | null } };
}

function isSdkError(error: unknown): error is WebflowSdkErrorLike {
  if (!(error instanceof Error)) return false;
  return 'statusCode' in error || 'rawResponse' in error || error.name === 'WebflowTimeoutError';
}

export function webflowErrorBody(body: unknown): TWebflowErrorBody | null {
  const parsed = ZWebflowErrorBody.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** Positions of the items a bulk request's `details` blame (`items[3].fieldData.slug` → 3). */
export function blamedItemIndexes(body: unknown): Map<number, string> {
  const blamed = new Map<number, string>();
  for (const detail of webflowErrorBody(body)?.details ?? []) {
    if (!detail || typeof detail !== 'object') continue;
    const { param, description } = detail as { param?: unknown; description?: unknown };
    const match = typeof param === 'string' ? /^items\[(\d+)\]/.exec(param) : null;
    if (!match) continue;
    const index = Number(match[1]);
    const text = `${String(param)}: ${typeof description === 'string' ? description : 'invalid'}`;
    blamed.set(index, blamed.has(index) ? `${blamed.get(index)}; ${text}` : text);
  }
  return blamed;
}

function fromSdkError(error: WebflowSdkErrorLike): ConnectorError {
  if (error.name === 'WebflowTimeoutError') return { kind: 'retryable', message: `timeout: ${error.message}` };
  const status = error.statusCode;
  if (status === undefined || status === 0) return classifyNetworkError(error);
  const body = webflowErrorBody(error.body);
  const kind = kindForStatus(status);
  const text = body?.message ?? (typeof error.body === 'string' ? error.body.slice(0, 300) : error.message);
  const result: ConnectorError = {
    kind,
    status,
    message: `HTTP ${status}${body?.code ? ` (${body.code})` : ''}: ${text}`,
  };
  if (body?.code) result.code = body.code;
  if (kind === 'rate_limited') {
    result.retryAfterMs =
      parseRetryAfter(error.rawResponse?.headers?.get('retry-after')) ?? WEBFLOW_DEFAULT_RETRY_AFTER_MS;
  }
  return result;
}

/**
 * The SDK validates request bodies before sending (its serializer's JsonError: a plain Error with
 * `errors: [{ path, message }]`), e.g. a create without `fieldData.name`: nothing was sent, and
 * sending it again will not help.
 */
function isSdkSerializationError(error: unknown): error is Error & { errors: { path: unknown; message: unknown }[] } {
  const errors = error instanceof Error ? (error as { errors?: unknown }).errors : undefined;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((entry) => entry && typeof entry === 'object' && 'path' in entry)
  );
}

/** Anything thrown while talking to Webflow → retryable / rate_limited / auth / invalid. */
export function classifyWebflowError(error: unknown): ConnectorError {
  if (error instanceof ConnectorRequestError) return error.toJSON();
  if (isSdkError(error)) return fromSdkError(error);
  if (isSdkSerializationError(error)) {
    return {
      kind: 'invalid',
      code: 'request_rejected_by_sdk',
      message: `request rejected by the SDK before sending: ${error.message}`,
    };
  }
  return classifyNetworkError(error);
}

export function toConnectorRequestError(error: unknown): ConnectorRequestError {
  if (error instanceof ConnectorRequestError) return error;
  return new ConnectorRequestError(classifyWebflowError(error), { cause: error });
}
