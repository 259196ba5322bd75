// Smartsheet's webhook scheme, shared by the connector (verify, parse, answer challenges) and the
// sandbox (sign). https://developers.smartsheet.com/api/smartsheet/guides/webhooks/webhook-callbacks
//   Smartsheet-Hmac-SHA256: hex HMAC-SHA256 of the raw body, keyed by the webhook's sharedSecret.
//   Verification: a POST with Smartsheet-Hook-Challenge (and `{ challenge, webhookId }` in the body),
//   answered 200 echoing the value in Smartsheet-Hook-Response or `smartsheetHookResponse`; sent
//   when the webhook is enabled and again every 100 callbacks.
// Callbacks carry no timestamp header and Smartsheet retries a failed callback for hours (14
// attempts, the last ones every 3 h) with the same body, so there is no age check: the signature
// covers the body and the ingress dedupes on the body's `nonce` (returned as the delivery id).
import { createHmac } from 'node:crypto';
import {
  ConnectorRequestError,
  type WebhookChange,
  type WebhookRequest,
  type WebhookVerification,
} from '../contract.ts';
import { safeEqual } from '../webhook-signature.ts';
import { ZCallback } from './api-types.ts';
import { toWebhookChanges } from './mappers.ts';

export const SMARTSHEET_WEBHOOK_HEADERS = {
  signature: 'smartsheet-hmac-sha256',
  challenge: 'smartsheet-hook-challenge',
  challengeResponse: 'smartsheet-hook-response',
} as const;

export function signSmartsheetCallback(sharedSecret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', sharedSecret).update(rawBody).digest('hex');
}

/** Header lookup ignoring case: Node lower-cases names, hand-built requests may not. */
function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function parseJson(rawBody: Buffer | string): unknown {
  try {
    return JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function verifySmartsheetWebhook(request: WebhookRequest, sharedSecret: string): WebhookVerification {
  const signature = header(request.headers, SMARTSHEET_WEBHOOK_HEADERS.signature)?.trim().toLowerCase();
  if (!signature) return { ok: false, reason: 'missing_signature' };
  if (!/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  if (!safeEqual(signature, signSmartsheetCallback(sharedSecret, request.rawBody))) {
    return { ok: false, reason: 'bad_signature' };
  }
  const body = parseJson(request.rawBody) as { nonce?: unknown } | undefined;
  return { ok: true, deliveryId: typeof body?.nonce === 'string' ? body.nonce : null };
}

export interface SmartsheetChallengeAnswer {
  status: 200;
  headers: Record<string, string>;
  body: { smartsheetHookResponse: string };
}

/**
 * The answer to a verification request (header or body `challenge`), or null when the request is
 * not one. `body` may be the raw bytes, a string or already-parsed JSON.
 */
export function smartsheetChallengeResponse(
  headers: Record<string, string | string[] | undefined>,
  body?: unknown,
): SmartsheetChallengeAnswer | null {
  let challenge = header(headers, SMARTSHEET_WEBHOOK_HEADERS.challenge);
  if (!challenge && body !== undefined) {
    const parsed = Buffer.isBuffer(body) || typeof body === 'string' ? parseJson(body) : body;
    const value = (parsed as { challenge?: unknown } | undefined)?.challenge;
    if (typeof value === 'string') challenge = value;
  }
  if (!challenge) return null;
  return {
    status: 200,
    headers: { 'Smartsheet-Hook-Response': challenge },
    body: { smartsheetHookResponse: challenge },
  };
}

/**
 * Callback → skinny WebhookChange[] (no records: the engine fetches rows it needs). Verification
 * requests and status-change callbacks carry no changes. Events made with `ownChangeAgent` are
 * dropped: they are the echoes of our own writes.
 */
export function parseSmartsheetWebhook(request: WebhookRequest, ownChangeAgent?: string | null): WebhookChange[] {
  const body = parseJson(request.rawBody);
  if (body === undefined) throw new ConnectorRequestError({ kind: 'invalid', message: 'webhook body is not JSON' });
  if (body && typeof body === 'object' && 'challenge' in body && !('events' in body)) return [];
  const parsed = ZCallback.safeParse(body);
  if (!parsed.success) {
    throw new ConnectorRequestError({
      kind: 'invalid',
      message: `Smartsheet callback is malformed: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`,
    });
  }
  if (parsed.data.newWebhookStatus) return [];
  return toWebhookChanges(parsed.data, ownChangeAgent);
}
