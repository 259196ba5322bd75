// SmartSuite webhook deliveries, verified with our shared secret. SmartSuite publishes no signature
// scheme of its own (its webhooks are in beta and only name the webhook), so the ingress URL is
// protected the way the seed's SmartSuite → Webflow engine did it (shared/seeds, S2):
//   x-smartsuite-timestamp: Unix time in seconds (milliseconds are accepted too)
//   x-smartsuite-signature: hex HMAC-SHA256 of timestamp + rawBody (no separator), keyed by the
//                           integration's webhook secret; an optional `sha256=` prefix is accepted
//   x-idempotency-key:      optional; the delivery id the ingress dedupes on
// Deliveries older (or newer) than 5 minutes are rejected, and the comparison is constant-time.
// The idempotency key is not covered by the signature (the seed's scheme): a replay inside the
// window under a new key is processed again, which is harmless because processing fetches the
// record's current state.
//
// Bodies are SmartSuite's webhook events (the shape ListEvents returns):
//   { webhook_id, locator, event_id, kind: RECORD_CREATED | RECORD_UPDATED | RECORD_DELETED,
//     event_at, record_event_data: { record_id, locator: { application_id, … } } }
// one per delivery, or several as `{ webhook_events: [...] }`; the seed's
// `{ event_type: "record_updated", record_id, … }` is understood too.
import { createHmac } from 'node:crypto';
import {
  ConnectorRequestError,
  type WebhookChange,
  type WebhookRequest,
  type WebhookVerification,
} from '../contract.ts';
import { headerValue, isFresh, safeEqual } from '../webhook-signature.ts';
import { SMARTSUITE_WEBHOOK_TOLERANCE_MS } from './limits.ts';

export const SMARTSUITE_WEBHOOK_HEADERS = {
  timestamp: 'x-smartsuite-timestamp',
  signature: 'x-smartsuite-signature',
  idempotencyKey: 'x-idempotency-key',
  /** Unsigned; the ingress stores it as the event type. */
  event: 'x-webhook-event',
} as const;

export const SMARTSUITE_EVENT_KINDS = {
  RECORD_CREATED: 'created',
  RECORD_UPDATED: 'updated',
  RECORD_DELETED: 'deleted',
} as const;
export type SmartSuiteEventKind = keyof typeof SMARTSUITE_EVENT_KINDS;

export function signSmartSuiteWebhook(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(String(timestamp)).update(rawBody).digest('hex');
}

/** Headers for one delivery (the sandbox's signer, and tests). */
export function smartsuiteWebhookHeaders(input: {
  secret: string;
  rawBody: string | Buffer;
  now?: Date;
  idempotencyKey?: string;
  kind?: string;
}): Record<string, string> {
  const timestamp = String(Math.floor((input.now ?? new Date()).getTime() / 1000));
  const headers: Record<string, string> = {
    [SMARTSUITE_WEBHOOK_HEADERS.timestamp]: timestamp,
    [SMARTSUITE_WEBHOOK_HEADERS.signature]: signSmartSuiteWebhook(input.secret, timestamp, input.rawBody),
  };
  if (input.idempotencyKey) headers[SMARTSUITE_WEBHOOK_HEADERS.idempotencyKey] = input.idempotencyKey;
  if (input.kind) headers[SMARTSUITE_WEBHOOK_HEADERS.event] = input.kind;
  return headers;
}

/** Seconds (10 digits today) or milliseconds (13) since the epoch → milliseconds. */
function timestampMs(value: string): number {
  const n = Number(value);
  return n < 1e11 ? n * 1000 : n;
}

export function verifySmartSuiteWebhook(
  request: WebhookRequest,
  secret: string,
  toleranceMs = SMARTSUITE_WEBHOOK_TOLERANCE_MS,
): WebhookVerification {
  const given = headerValue(request.headers, SMARTSUITE_WEBHOOK_HEADERS.signature)?.trim().toLowerCase();
  if (!given) return { ok: false, reason: 'missing_signature' };
  const signature = given.startsWith('sha256=') ? given.slice(7) : given;
  const timestamp = headerValue(request.headers, SMARTSUITE_WEBHOOK_HEADERS.timestamp)?.trim();
  if (!timestamp || !/^\d{1,13}$/.test(timestamp) || !/^[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, reason: 'malformed' };
  }
  if (!safeEqual(signature, signSmartSuiteWebhook(secret, timestamp, request.rawBody))) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (!isFresh(timestampMs(timestamp), request.now ?? new Date(), toleranceMs)) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const key = headerValue(request.headers, SMARTSUITE_WEBHOOK_HEADERS.idempotencyKey)?.trim();
  return { ok: true, deliveryId: key ? key : null };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function kindOf(value: unknown): WebhookChange['action'] | null {
  if (typeof value !== 'string') return null;
  const normalised = value.toUpperCase().replace(/[.\s-]/g, '_');
  return Object.hasOwn(SMARTSUITE_EVENT_KINDS, normalised)
    ? SMARTSUITE_EVENT_KINDS[normalised as SmartSuiteEventKind]
    : null;
}

/** One event → a change (skinny: the engine fetches the record), or null for other kinds. */
function changeOf(event: Record<string, unknown>): WebhookChange | null {
  const action = kindOf(event.kind ?? event.event_type);
  if (!action) return null;
  const data = isObject(event.record_event_data) ? event.record_event_data : event;
  const locator = isObject(data.locator) ? data.locator : isObject(event.locator) ? event.locator : {};
  const externalId = str(data.record_id) ?? (isObject(event.record) ? str(event.record.id) : undefined);
  if (!externalId) {
    throw new ConnectorRequestError({ kind: 'invalid', message: 'SmartSuite webhook event without a record id' });
  }
  const change: WebhookChange = {
    externalId,
    action,
    occurredAt: str(event.event_at) ?? str(event.timestamp) ?? null,
  };
  const object = str(locator.application_id) ?? str(data.application_id) ?? str(event.table_id);
  if (object) change.object = object;
  return change;
}

/**
 * Body → changes. Never carries the record, even when an event includes its data: deliveries
 * arrive duplicated and out of order, and only the record's current state (fetched by the engine)
 * is safe to apply — an old "created" replayed after the delete would otherwise bring it back.
 */
export function parseSmartSuiteWebhook(request: WebhookRequest): WebhookChange[] {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new ConnectorRequestError({ kind: 'invalid', message: 'webhook body is not JSON' }, { cause: error });
  }
  const events = Array.isArray(body)
    ? body
    : isObject(body) && Array.isArray(body.webhook_events)
      ? body.webhook_events
      : isObject(body) && Array.isArray(body.events)
        ? body.events
        : [body];
  const changes: WebhookChange[] = [];
  for (const event of events) {
    if (!isObject(event))
      throw new ConnectorRequestError({ kind: 'invalid', message: 'webhook event is not an object' });
    const change = changeOf(event);
    if (change) changes.push(change);
  }
  return changes;
}
