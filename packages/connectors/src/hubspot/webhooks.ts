// HubSpot's webhook scheme, shared by the connector (verify, parse) and the sandbox (sign).
// https://developers.hubspot.com/docs/guides/apps/authentication/validating-requests
//   X-HubSpot-Signature-v3 = base64 HMAC-SHA256, keyed by the app's client secret, of
//   method + URI + raw body + X-HubSpot-Request-Timestamp (ms since the epoch), where URI is the full
//   URL HubSpot called (scheme, host, path, query) with a few percent-escapes decoded. Requests whose
//   timestamp is more than 5 minutes old are to be rejected.
// https://developers.hubspot.com/docs/api-reference/webhooks-webhooks-v3/guide
//   The body is a JSON array of up to 100 events: { eventId, subscriptionId, portalId, appId,
//   occurredAt, subscriptionType ('contact.creation', 'contact.propertyChange', …), attemptNumber,
//   objectId, propertyName?, propertyValue?, changeSource }.
import { createHash } from 'node:crypto';
import type { WebhookChange, WebhookRequest, WebhookVerification } from '../contract.ts';
import { hmac, isFresh, safeEqual } from '../webhook-signature.ts';
import { HUBSPOT_WEBHOOK_TOLERANCE_MS } from './limits.ts';

export const HUBSPOT_WEBHOOK_HEADERS = {
  signature: 'x-hubspot-signature-v3',
  timestamp: 'x-hubspot-request-timestamp',
} as const;

/** The escapes HubSpot decodes in the URI before signing (the rest stay encoded). */
const DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function hubspotSignedUri(uri: string): string {
  return uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (escape) => DECODED_ESCAPES[escape.toUpperCase()] ?? escape,
  );
}

export function signHubSpotWebhook(input: {
  clientSecret: string;
  method: string;
  /** The full URL called, e.g. https://app.example.com/api/webhooks/integrations/ID/receive */
  uri: string;
  rawBody: string | Buffer;
  timestampMs: number;
}): string {
  const body = typeof input.rawBody === 'string' ? input.rawBody : input.rawBody.toString('utf8');
  const content = `${input.method.toUpperCase()}${hubspotSignedUri(input.uri)}${body}${input.timestampMs}`;
  return hmac('sha256', input.clientSecret, content, 'base64');
}

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * The URL HubSpot called. `request.url` holds only path and query, so the origin comes from
 * `publicOrigin` (the ingress's public URL) or, failing that, X-Forwarded-Proto/-Host, then Host
 * (https unless told otherwise: HubSpot only calls https URLs in production).
 */
export function hubspotRequestUri(request: WebhookRequest, publicOrigin?: string): string | null {
  if (/^https?:\/\//i.test(request.url)) return request.url;
  if (publicOrigin) return `${publicOrigin.replace(/\/+$/, '')}${request.url}`;
  const host = header(request.headers, 'x-forwarded-host')?.split(',')[0]?.trim() ?? header(request.headers, 'host');
  if (!host) return null;
  const proto = header(request.headers, 'x-forwarded-proto')?.split(',')[0]?.trim() ?? 'https';
  return `${proto}://${host}${request.url}`;
}

function eventIdsOf(rawBody: Buffer): string | null {
  try {
    const events = JSON.parse(rawBody.toString('utf8')) as unknown;
    if (!Array.isArray(events)) return null;
    const ids = events
      .map((event) => (event && typeof event === 'object' ? (event as { eventId?: unknown }).eventId : undefined))
      .filter((id) => typeof id === 'number' || typeof id === 'string')
      .map(String)
      .sort();
    return ids.length > 0 ? ids.join(',') : null;
  } catch {
    return null;
  }
}

/**
 * Checks signature v3 and the timestamp's age. HubSpot sends no delivery id; retries re-send the
 * same events (same eventIds, a higher attemptNumber), so the delivery id is a digest of the sorted
 * eventIds.
 */
export function verifyHubSpotWebhook(
  request: WebhookRequest,
  clientSecret: string,
  options: { publicOrigin?: string; toleranceMs?: number } = {},
): WebhookVerification {
  const signature = header(request.headers, HUBSPOT_WEBHOOK_HEADERS.signature)?.trim();
  const timestamp = header(request.headers, HUBSPOT_WEBHOOK_HEADERS.timestamp)?.trim();
  if (!signature || !timestamp) return { ok: false, reason: 'missing_signature' };
  if (!/^\d{10,16}$/.test(timestamp) || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature))
    return { ok: false, reason: 'malformed' };
  const uri = hubspotRequestUri(request, options.publicOrigin);
  if (!uri) return { ok: false, reason: 'malformed' };
  const timestampMs = Number(timestamp);
  const expected = signHubSpotWebhook({
    clientSecret,
    method: request.method,
    uri,
    rawBody: request.rawBody,
    timestampMs,
  });
  // Signature first (constant time), then age: a forged request learns nothing about the clock.
  if (!safeEqual(signature, expected)) return { ok: false, reason: 'bad_signature' };
  if (!isFresh(timestampMs, request.now ?? new Date(), options.toleranceMs ?? HUBSPOT_WEBHOOK_TOLERANCE_MS)) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const ids = eventIdsOf(request.rawBody);
  return { ok: true, deliveryId: ids ? createHash('sha256').update(ids).digest('hex').slice(0, 32) : null };
}

export interface HubSpotWebhookEvent {
  eventId?: number;
  subscriptionId?: number;
  portalId?: number;
  appId?: number;
  occurredAt?: number;
  subscriptionType?: string;
  attemptNumber?: number;
  objectId?: number | string;
  propertyName?: string;
  propertyValue?: string;
  changeSource?: string;
  changeFlag?: string;
  mergedObjectIds?: (number | string)[];
  primaryObjectId?: number | string;
}

const OBJECT_TYPES: Record<string, string> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  ticket: 'tickets',
  product: 'products',
  line_item: 'line_items',
};

const RANK = { updated: 0, created: 1, deleted: 2 } as const;

function actionOf(kind: string): WebhookChange['action'] | null {
  switch (kind) {
    case 'creation':
    case 'restore':
      return 'created';
    case 'propertyChange':
    case 'associationChange':
    case 'merge':
      return 'updated';
    case 'deletion':
    case 'privacyDeletion':
      return 'deleted';
    default:
      return null;
  }
}

/**
 * One skinny change per object (deleted > created > updated, latest occurredAt); the engine fetches
 * the records. Events of unknown subscription types are skipped; a body that is not an array of
 * events is malformed and throws.
 */
export function parseHubSpotWebhook(request: WebhookRequest): WebhookChange[] {
  const events = JSON.parse(request.rawBody.toString('utf8')) as unknown;
  if (!Array.isArray(events)) throw new SyntaxError('a HubSpot webhook body is a JSON array of events');
  const changes = new Map<string, WebhookChange>();
  const note = (object: string | undefined, externalId: string, action: WebhookChange['action'], at?: number) => {
    const key = `${object ?? ''}:${externalId}`;
    const occurredAt = typeof at === 'number' ? new Date(at).toISOString() : null;
    const previous = changes.get(key);
    if (!previous) {
      changes.set(key, { object, externalId, action, occurredAt });
      return;
    }
    if (RANK[action] > RANK[previous.action]) previous.action = action;
    if (occurredAt && (!previous.occurredAt || occurredAt > previous.occurredAt)) previous.occurredAt = occurredAt;
  };
  for (const raw of events as HubSpotWebhookEvent[]) {
    if (!raw || typeof raw !== 'object' || typeof raw.subscriptionType !== 'string') continue;
    const [prefix = '', kind = ''] = raw.subscriptionType.split('.');
    const action = actionOf(kind);
    if (!action || raw.objectId === undefined) continue;
    const object = OBJECT_TYPES[prefix];
    note(object, String(raw.objectId), action, raw.occurredAt);
    if (kind === 'merge') {
      // The merged-away records are gone; the primary record carries on (objectId).
      for (const merged of raw.mergedObjectIds ?? []) {
        if (String(merged) !== String(raw.primaryObjectId ?? raw.objectId))
          note(object, String(merged), 'deleted', raw.occurredAt);
      }
    }
  }
  return [...changes.values()];
}
