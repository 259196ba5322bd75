// Webflow's webhook signature, shared by the connector (verify, parse) and the sandbox (sign):
//   x-webflow-timestamp: epoch milliseconds
//   x-webflow-signature: hex HMAC-SHA256 of `${timestamp}:${rawBody}`, keyed by the OAuth app's
//                        client secret (or the webhook's own secret for site-token webhooks)
// Deliveries older (or newer) than 5 minutes are rejected.
// https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures
// Webflow sends no delivery id; the sha256 of the raw body stands in for one: a retried delivery
// repeats the body byte for byte, and two changes of one item differ in `lastUpdated`.
import { createHash, createHmac } from 'node:crypto';
import {
  ConnectorRequestError,
  type WebhookChange,
  type WebhookRequest,
  type WebhookVerification,
} from '../contract.ts';
import { headerValue, isFresh, safeEqual } from '../webhook-signature.ts';
import { ZWebflowItem } from './api-types.ts';
import { WEBFLOW_WEBHOOK_TOLERANCE_MS } from './limits.ts';
import { toExternalRecord } from './mappers.ts';

export const WEBFLOW_WEBHOOK_HEADERS = {
  timestamp: 'x-webflow-timestamp',
  signature: 'x-webflow-signature',
} as const;

/** Item trigger types this connector understands, and what each means for a record. */
export const WEBFLOW_ITEM_TRIGGERS = {
  collection_item_created: 'created',
  collection_item_changed: 'updated',
  collection_item_deleted: 'deleted',
} as const;
export type WebflowItemTrigger = keyof typeof WEBFLOW_ITEM_TRIGGERS;

export function signWebflowWebhook(secret: string, timestampMs: number | string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampMs}:`).update(rawBody).digest('hex');
}

/** Headers for one delivery (the sandbox's signer). */
export function webflowWebhookHeaders(input: {
  secret: string;
  rawBody: string | Buffer;
  now?: Date;
}): Record<string, string> {
  const timestamp = String((input.now ?? new Date()).getTime());
  return {
    [WEBFLOW_WEBHOOK_HEADERS.timestamp]: timestamp,
    [WEBFLOW_WEBHOOK_HEADERS.signature]: signWebflowWebhook(input.secret, timestamp, input.rawBody),
  };
}

export function verifyWebflowWebhook(
  request: WebhookRequest,
  secret: string,
  toleranceMs = WEBFLOW_WEBHOOK_TOLERANCE_MS,
): WebhookVerification {
  const signature = headerValue(request.headers, WEBFLOW_WEBHOOK_HEADERS.signature)?.trim().toLowerCase();
  if (!signature) return { ok: false, reason: 'missing_signature' };
  const timestamp = headerValue(request.headers, WEBFLOW_WEBHOOK_HEADERS.timestamp)?.trim();
  if (!timestamp || !/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  if (!safeEqual(signature, signWebflowWebhook(secret, timestamp, request.rawBody))) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (!isFresh(Number(timestamp), request.now ?? new Date(), toleranceMs))
    return { ok: false, reason: 'stale_timestamp' };
  return { ok: true, deliveryId: `wf_${createHash('sha256').update(request.rawBody).digest('hex').slice(0, 32)}` };
}

function isItemTrigger(value: unknown): value is WebflowItemTrigger {
  return typeof value === 'string' && Object.hasOwn(WEBFLOW_ITEM_TRIGGERS, value);
}

/**
 * `{ triggerType, payload }` → changes. Created/changed payloads carry the whole item (so the record
 * comes along); deleted ones only its ids. Other trigger types (form_submission, site_publish,
 * collection_item_unpublished, …) give no changes.
 */
export function parseWebflowWebhook(request: WebhookRequest): WebhookChange[] {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new ConnectorRequestError({ kind: 'invalid', message: 'webhook body is not JSON' }, { cause: error });
  }
  if (!body || typeof body !== 'object')
    throw new ConnectorRequestError({ kind: 'invalid', message: 'webhook body is not an object' });
  const { triggerType, payload } = body as { triggerType?: unknown; payload?: unknown };
  if (!isItemTrigger(triggerType)) return [];
  if (!payload || typeof payload !== 'object') {
    throw new ConnectorRequestError({ kind: 'invalid', message: `${triggerType} webhook without a payload` });
  }
  const { id, collectionId, lastUpdated } = payload as { id?: unknown; collectionId?: unknown; lastUpdated?: unknown };
  if (typeof id !== 'string' || id === '') {
    throw new ConnectorRequestError({ kind: 'invalid', message: `${triggerType} webhook without an item id` });
  }
  const change: WebhookChange = {
    externalId: id,
    action: WEBFLOW_ITEM_TRIGGERS[triggerType],
    occurredAt: typeof lastUpdated === 'string' ? lastUpdated : null,
  };
  if (typeof collectionId === 'string') change.object = collectionId;
  if (change.action !== 'deleted') {
    const item = ZWebflowItem.safeParse(payload);
    if (item.success && 'fieldData' in payload) change.record = toExternalRecord(item.data);
  }
  return [change];
}
