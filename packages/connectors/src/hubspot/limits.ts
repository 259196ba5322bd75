// HubSpot's published limits (shared/notes/EXTERNAL_APIS.md, HubSpot CRM v3;
// https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details).
import type { ConnectorLimits } from '../contract.ts';

/** Per private app per 10 s: 100 (Free/Starter), 190 (Professional/Enterprise). */
export const HUBSPOT_REQUESTS_PER_WINDOW = 100;
export const HUBSPOT_WINDOW_MS = 10_000;
/** Batch create/update/archive/read take at most 100 inputs. */
export const HUBSPOT_MAX_BATCH = 100;
/** List pages (GET /crm/v3/objects/{type}) hold at most 100 objects. */
export const HUBSPOT_MAX_PAGE = 100;
/** Search pages hold at most 200 objects; a search can page through at most 10 000 results. */
export const HUBSPOT_MAX_SEARCH_PAGE = 200;
export const HUBSPOT_MAX_SEARCH_RESULTS = 10_000;
/** `IN` filters take at most 100 values. */
export const HUBSPOT_MAX_IN_VALUES = 100;
/** Webhook v3 signatures older than 5 minutes are rejected. */
export const HUBSPOT_WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;
/**
 * How far before the last change seen an incremental read starts again: search is eventually
 * consistent (changes show up in search a few seconds after they are made) and clocks drift.
 */
export const HUBSPOT_CURSOR_SAFETY_MARGIN_MS = 60_000;

export function hubspotLimits(options: { requestsPerWindow?: number; windowMs?: number } = {}): ConnectorLimits {
  return {
    requestsPerWindow: options.requestsPerWindow ?? HUBSPOT_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? HUBSPOT_WINDOW_MS,
    maxBatchSize: HUBSPOT_MAX_BATCH,
    // Batch update sets the properties given and leaves the others as they are.
    partialUpdates: true,
  };
}
