import type { ConnectorLimits } from '../contract.ts';

/** Defaults of the generic records API: 600 requests per minute per token, 100 records per batch. */
export const REST_DEFAULT_LIMITS: ConnectorLimits = { requestsPerWindow: 600, windowMs: 60_000, maxBatchSize: 100 };

/** The API caps a page at 500 records; 100 is its default. */
export const REST_MAX_PAGE_SIZE = 500;
export const REST_DEFAULT_PAGE_SIZE = 100;

/** Ids or keys per lookup request, to keep URLs short. */
export const REST_LOOKUP_CHUNK = 100;

export function restLimits(options: {
  requestsPerWindow?: number;
  windowMs?: number;
  maxBatchSize?: number;
}): ConnectorLimits {
  return {
    requestsPerWindow: options.requestsPerWindow ?? REST_DEFAULT_LIMITS.requestsPerWindow,
    windowMs: options.windowMs ?? REST_DEFAULT_LIMITS.windowMs,
    maxBatchSize: options.maxBatchSize ?? REST_DEFAULT_LIMITS.maxBatchSize,
  };
}
