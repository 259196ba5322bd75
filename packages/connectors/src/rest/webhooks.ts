// The generic F025 webhook scheme, shared by the connector (verify, parse) and the sandbox (sign):
//   X-Webhook-Timestamp: unix seconds
//   X-Webhook-Signature: hex HMAC-SHA256 of `${timestamp}.${rawBody}` (several, comma-separated,
//                        are accepted during a secret rotation)
//   X-Webhook-Id:        event id, stable across retries (the idempotency key)
// Verification runs over the raw bytes as received and always checks the timestamp's age
// (RELIABILITY.md: Stripe/Svix practice, 5 minutes either way).
import { createHmac } from 'node:crypto';
import {
  ConnectorRequestError,
  type WebhookChange,
  type WebhookRequest,
  type WebhookVerification,
} from '../contract.ts';
import { headerValue, isFresh, safeEqual } from '../webhook-signature.ts';
import { ZWebhookEvent } from './api-types.ts';
import { toWebhookChange } from './mappers.ts';

export const REST_WEBHOOK_HEADERS = {
  timestamp: 'x-webhook-timestamp',
  signature: 'x-webhook-signature',
  id: 'x-webhook-id',
  event: 'x-webhook-event',
} as const;

export const REST_WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

export function signRestWebhook(secret: string, timestampSeconds: number | string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
}

/** Headers for one delivery attempt (the sandbox's signer). */
export function restWebhookHeaders(input: {
  secret: string;
  deliveryId: string;
  rawBody: string | Buffer;
  now?: Date;
  eventType?: string;
}): Record<string, string> {
  const timestamp = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const headers: Record<string, string> = {
    [REST_WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [REST_WEBHOOK_HEADERS.signature]: signRestWebhook(input.secret, timestamp, input.rawBody),
    [REST_WEBHOOK_HEADERS.id]: input.deliveryId,
  };
  if (input.eventType) headers[REST_WEBHOOK_HEADERS.event] = input.eventType;
  return headers;
}

export function verifyRestWebhook(
  request: WebhookRequest,
  secret: string,
  toleranceMs = REST_WEBHOOK_TOLERANCE_MS,
): WebhookVerification {
  const signatureHeader = headerValue(request.headers, REST_WEBHOOK_HEADERS.signature)?.trim();
  if (!signatureHeader) return { ok: false, reason: 'missing_signature' };
  const timestamp = headerValue(request.headers, REST_WEBHOOK_HEADERS.timestamp)?.trim();
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  const expected = signRestWebhook(secret, timestamp, request.rawBody);
  const candidates = signatureHeader.split(/[\s,]+/).map((value) => value.replace(/^sha256=/i, '').toLowerCase());
  // Compare against every candidate (no early exit) so timing says nothing about which matched.
  let matched = false;
  for (const candidate of candidates) matched = safeEqual(candidate, expected) || matched;
  if (!matched) return { ok: false, reason: 'bad_signature' };
  if (!isFresh(Number(timestamp) * 1000, request.now ?? new Date(), toleranceMs)) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  return { ok: true, deliveryId: headerValue(request.headers, REST_WEBHOOK_HEADERS.id) ?? null };
}

/** Body: one event, an array of events, or `{ events: [...] }`. Throws `invalid` on anything else. */
export function parseRestWebhook(request: WebhookRequest, keyField?: string | null): WebhookChange[] {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new ConnectorRequestError({ kind: 'invalid', message: 'webhook body is not JSON' }, { cause: error });
  }
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { events?: unknown }).events)
      ? (body as { events: unknown[] }).events
      : [body];
  return list.map((item, index) => {
    const parsed = ZWebhookEvent.safeParse(item);
    if (!parsed.success) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `webhook event ${index} is malformed: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`,
      });
    }
    return toWebhookChange(parsed.data, keyField);
  });
}
