// Webflow Data API v2's published limits (https://developers.webflow.com/data/reference/rate-limits,
// summarised in shared/notes/EXTERNAL_APIS.md): 60 requests per minute per token on Starter/Basic
// plans, 120 on CMS/eCommerce/Business; bulk CMS item create/update/delete/publish take at most 100
// items per request; list pages hold at most 100 items.
import type { ConnectorLimits } from '../contract.ts';

export const WEBFLOW_REQUESTS_PER_WINDOW = 60;
/** The higher plans' limit (CMS, eCommerce, Business): pass it as `requestsPerWindow`. */
export const WEBFLOW_REQUESTS_PER_WINDOW_CMS_PLAN = 120;
export const WEBFLOW_WINDOW_MS = 60_000;
/** Items per bulk create / update / delete / publish request. */
export const WEBFLOW_MAX_ITEMS_PER_REQUEST = 100;
/** Items per List Collection Items page (`limit` ≤ 100). */
export const WEBFLOW_MAX_PAGE_SIZE = 100;
/** Wait suggested for a 429 without Retry-After (Webflow usually sends 60). */
export const WEBFLOW_DEFAULT_RETRY_AFTER_MS = 60_000;
/** Webhook timestamps older (or newer) than this are rejected. */
export const WEBFLOW_WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

export function webflowLimits(options: { requestsPerWindow?: number; windowMs?: number } = {}): ConnectorLimits {
  return {
    requestsPerWindow: options.requestsPerWindow ?? WEBFLOW_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? WEBFLOW_WINDOW_MS,
    maxBatchSize: WEBFLOW_MAX_ITEMS_PER_REQUEST,
    maxDeleteBatchSize: WEBFLOW_MAX_ITEMS_PER_REQUEST,
  };
}
