// Webhooks of a declarative definition: HMAC signatures (algorithm, encoding, prefix, signed content
// template such as `{timestamp}.{body}` or `{body}{callbackUrl}`) or a shared token header, the
// timestamp window, and the payload → WebhookChange translation. Signatures are computed over the raw
// bytes as received and compared in constant time against every candidate (no early exit).
import { createHmac } from 'node:crypto';
import {
  ConnectorRequestError,
  type WebhookChange,
  type WebhookRequest,
  type WebhookVerification,
} from '../contract.ts';
import { getPath } from '../mapping/paths.ts';
import { headerValue, isFresh, safeEqual } from '../webhook-signature.ts';
import type { DeclarativeDefinition, SignatureDefinition, WebhookSigning } from './definition.ts';
import { idText, parseRecord } from './records.ts';
import { interpolate } from './template.ts';
import { parseTime, toIso } from './time.ts';

type HmacSignature = Extract<SignatureDefinition, { scheme: 'hmac' }>;

/** The signed bytes: the template with {body} as the raw bytes and the other placeholders as text. */
function signedContent(template: string, rawBody: Buffer, vars: Record<string, string>): Buffer {
  const parts = template.split('{body}');
  const chunks: Buffer[] = [];
  parts.forEach((part, index) => {
    if (index > 0) chunks.push(rawBody);
    if (part) chunks.push(Buffer.from(interpolate(part, vars)));
  });
  return Buffer.concat(chunks);
}

export function computeSignature(
  signature: HmacSignature,
  secret: string,
  rawBody: Buffer,
  vars: Record<string, string>,
): string {
  return createHmac(signature.algorithm, secret)
    .update(signedContent(signature.content, rawBody, vars))
    .digest(signature.encoding);
}

function timestampText(webhook: WebhookSigning, now: Date): string {
  const unit = webhook.timestamp?.unit ?? 'seconds';
  if (unit === 'ms') return String(now.getTime());
  if (unit === 'iso') return now.toISOString();
  return String(Math.floor(now.getTime() / 1000));
}

/**
 * Headers a vendor would send for this body (the sandbox's signer, and tests). A body-carried
 * timestamp must already be in the body.
 */
export function signWebhookHeaders(
  webhook: WebhookSigning,
  input: { secret: string; rawBody: string | Buffer; now?: Date; callbackUrl?: string; deliveryId?: string },
): Record<string, string> {
  const now = input.now ?? new Date();
  const headers: Record<string, string> = {};
  const timestamp = timestampText(webhook, now);
  if (webhook.timestamp?.header) headers[webhook.timestamp.header.toLowerCase()] = timestamp;
  const signature = webhook.signature;
  if (signature.scheme === 'token') headers[signature.header.toLowerCase()] = `${signature.prefix}${input.secret}`;
  else {
    const raw = Buffer.isBuffer(input.rawBody) ? input.rawBody : Buffer.from(input.rawBody);
    const bodyTimestamp = webhook.timestamp?.bodyPath ? bodyValue(raw, webhook.timestamp.bodyPath) : undefined;
    const vars = {
      timestamp: bodyTimestamp === undefined ? timestamp : String(bodyTimestamp),
      callbackUrl: input.callbackUrl ?? '',
    };
    headers[signature.header.toLowerCase()] =
      `${signature.prefix}${computeSignature(signature, input.secret, raw, vars)}`;
  }
  if (webhook.deliveryIdHeader && input.deliveryId) headers[webhook.deliveryIdHeader.toLowerCase()] = input.deliveryId;
  return headers;
}

function parseBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

function bodyValue(rawBody: Buffer, path: string): unknown {
  const body = parseBody(rawBody);
  return body === undefined ? undefined : getPath(body, path);
}

function timestampMs(webhook: WebhookSigning, value: unknown): number | null {
  const unit = webhook.timestamp?.unit ?? 'seconds';
  if (unit === 'iso') return typeof value === 'string' ? parseTime(value, 'iso') : null;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,16}$/.test(text)) return null;
  return unit === 'ms' ? Number(text) : Number(text) * 1000;
}

export function verifyDeclarativeWebhook(
  definition: DeclarativeDefinition,
  request: WebhookRequest,
  secret: string,
  callbackUrl?: string,
): WebhookVerification {
  const webhook = definition.webhook;
  if (!webhook) return { ok: false, reason: 'missing_signature' };
  const signature = webhook.signature;
  const header = headerValue(request.headers, signature.header)?.trim();
  if (!header) return { ok: false, reason: 'missing_signature' };
  let timestamp: { text: string; ms: number } | null = null;
  if (webhook.timestamp) {
    const value = webhook.timestamp.header
      ? headerValue(request.headers, webhook.timestamp.header)?.trim()
      : bodyValue(request.rawBody, webhook.timestamp.bodyPath as string);
    const ms = timestampMs(webhook, value);
    if (ms === null) return { ok: false, reason: 'malformed' };
    timestamp = { text: String(value), ms };
  }
  let matched = false;
  if (signature.scheme === 'token') {
    matched = safeEqual(header.startsWith(signature.prefix) ? header.slice(signature.prefix.length) : header, secret);
  } else {
    const expected = computeSignature(signature, secret, request.rawBody, {
      timestamp: timestamp?.text ?? '',
      callbackUrl: callbackUrl ?? '',
    });
    const candidates = signature.separator ? header.split(signature.separator).map((part) => part.trim()) : [header];
    for (const candidate of candidates) {
      const value =
        signature.prefix && candidate.toLowerCase().startsWith(signature.prefix.toLowerCase())
          ? candidate.slice(signature.prefix.length)
          : candidate;
      // hex is case-insensitive; base64 is not.
      const normalised = signature.encoding === 'hex' ? value.toLowerCase() : value;
      matched = safeEqual(normalised, expected) || matched;
    }
  }
  if (!matched) return { ok: false, reason: 'bad_signature' };
  if (timestamp && !isFresh(timestamp.ms, request.now ?? new Date(), webhook.timestamp?.toleranceMs)) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  let deliveryId: string | null = null;
  if (webhook.deliveryIdHeader) deliveryId = headerValue(request.headers, webhook.deliveryIdHeader) ?? null;
  if (!deliveryId && webhook.deliveryIdPath) deliveryId = idText(bodyValue(request.rawBody, webhook.deliveryIdPath));
  return { ok: true, deliveryId };
}

export function parseDeclarativeWebhook(
  definition: DeclarativeDefinition,
  request: WebhookRequest,
  keyField?: string | null,
): WebhookChange[] {
  const webhook = definition.webhook;
  if (!webhook)
    throw new ConnectorRequestError({ kind: 'invalid', message: `${definition.name} webhooks are not supported` });
  const body = parseBody(request.rawBody);
  if (body === undefined) throw new ConnectorRequestError({ kind: 'invalid', message: 'webhook body is not JSON' });
  const { events } = webhook;
  const found = events.listPath ? getPath(body, events.listPath) : body;
  const list = Array.isArray(found) ? found : found === undefined || found === null ? [] : [found];
  const headerAction = events.actionHeader ? headerValue(request.headers, events.actionHeader) : undefined;
  const changes: WebhookChange[] = [];
  list.forEach((event, index) => {
    const actionName = events.actionPath ? getPath(event, events.actionPath) : headerAction;
    const action = typeof actionName === 'string' ? events.actions[actionName] : undefined;
    if (!action) return; // an event kind this sync does not follow
    const externalId = idText(getPath(event, events.idPath));
    if (externalId === null)
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `webhook event ${index} has no id at "${events.idPath}"`,
      });
    // recordPath '' means the event is the record itself (Clockify).
    const raw =
      events.recordPath === undefined ? undefined : events.recordPath ? getPath(event, events.recordPath) : event;
    const parsed = action !== 'deleted' && raw !== undefined ? parseRecord(definition, raw, keyField) : null;
    const occurred = events.occurredAtPath ? getPath(event, events.occurredAtPath) : undefined;
    const object = events.objectPath ? idText(getPath(event, events.objectPath)) : null;
    changes.push({
      ...(object ? { object } : {}),
      externalId,
      action,
      occurredAt: toIso(parseTime(occurred, 'iso')),
      ...(parsed ? { record: parsed.record } : {}),
    });
  });
  return changes;
}
