// Asana's webhook scheme, shared by the connector (verify, parse) and the sandbox (handshake, sign).
// https://developers.asana.com/docs/webhooks-guide
//   Creating a webhook (POST /webhooks) makes Asana POST to the target with an `X-Hook-Secret`
//   header while the create call is still open; the target answers 200/204 echoing it in the same
//   header and stores it. Every later delivery carries `X-Hook-Signature` = hex HMAC-SHA256 of the
//   raw body keyed by that secret, and a body `{ events: [...] }` of compact events
//   `{ user, created_at, action, resource: { gid, resource_type, resource_subtype }, parent, change }`
//   (action: added, changed, removed, deleted, undeleted). Heartbeats are `{ events: [] }`.
//   Deliveries carry no id and no timestamp header; a failed delivery is sent again (same body) for
//   up to 24 hours, so the body's digest identifies a delivery.
import { createHash } from 'node:crypto';
import type { WebhookChange, WebhookRequest, WebhookVerification } from '../contract.ts';
import { headerValue, hmac, safeEqual } from '../webhook-signature.ts';

export const ASANA_WEBHOOK_HEADERS = {
  secret: 'x-hook-secret',
  signature: 'x-hook-signature',
} as const;

export interface AsanaCompactResource {
  gid: string;
  resource_type: string;
  resource_subtype?: string;
  name?: string;
}

export interface AsanaWebhookEvent {
  user?: AsanaCompactResource | null;
  created_at?: string;
  action: 'added' | 'changed' | 'removed' | 'deleted' | 'undeleted' | string;
  resource: AsanaCompactResource;
  parent?: AsanaCompactResource | null;
  change?: { field?: string; action?: string; new_value?: unknown; added_value?: unknown; removed_value?: unknown };
}

export function signAsanaWebhook(secret: string, rawBody: string | Buffer): string {
  return hmac('sha256', secret, rawBody, 'hex');
}

/**
 * Checks X-Hook-Signature against the raw body in constant time. Asana sends no timestamp, so
 * there is no age to check; a replayed delivery has the same body, and so the same delivery id
 * (a digest of the body) for the ingress to dedupe on.
 */
export function verifyAsanaWebhook(request: WebhookRequest, secret: string): WebhookVerification {
  const signature = headerValue(request.headers, ASANA_WEBHOOK_HEADERS.signature)?.trim().toLowerCase();
  if (!signature) return { ok: false, reason: 'missing_signature' };
  if (!/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  if (!safeEqual(signature, signAsanaWebhook(secret, request.rawBody))) return { ok: false, reason: 'bad_signature' };
  const digest = createHash('sha256').update(request.rawBody).digest('hex').slice(0, 40);
  return { ok: true, deliveryId: `asana-body-${digest}` };
}

type Kind = 'created' | 'updated' | 'deleted';

/** What one event means for the task it names (null: nothing for a task resource to do). */
function kindOf(event: AsanaWebhookEvent): { kind: Kind; object?: string } | null {
  const parentProject = event.parent?.resource_type === 'project' ? event.parent.gid : undefined;
  switch (event.action) {
    case 'added':
      // Added to a project: new for that project's resource; added to a section or tag: a change.
      return parentProject ? { kind: 'created', object: parentProject } : { kind: 'updated' };
    case 'undeleted':
      return { kind: 'created' };
    case 'changed':
      return { kind: 'updated' };
    case 'removed':
      // Removed from a project: gone from that project's resource; from a section or tag: a change.
      return parentProject ? { kind: 'deleted', object: parentProject } : { kind: 'updated' };
    case 'deleted':
      return { kind: 'deleted' };
    default:
      return null;
  }
}

const RANK: Record<Kind, number> = { updated: 0, created: 1, deleted: 2 };

/**
 * One skinny change per task: its state after the last event (by created_at) decides deleted or
 * not, and a task added or undeleted in the same delivery counts as created. The object (project)
 * is named only when that last event is about one project (added to or removed from it); a change
 * concerns every project the task is in, which the engine sorts out by fetching. Events on other
 * resource types (stories, projects, sections) are skipped; a body that is not `{ events: [] }`
 * is malformed and throws.
 */
export function parseAsanaWebhook(request: WebhookRequest): WebhookChange[] {
  const body = JSON.parse(request.rawBody.toString('utf8')) as unknown;
  const events = (body as { events?: unknown } | null)?.events;
  if (!body || typeof body !== 'object' || !Array.isArray(events)) {
    throw new SyntaxError('an Asana webhook body is { events: [...] }');
  }
  const latest = new Map<string, { change: WebhookChange; at: number; rank: number; created: boolean }>();
  for (const raw of events as AsanaWebhookEvent[]) {
    if (!raw || typeof raw !== 'object' || raw.resource?.resource_type !== 'task') continue;
    if (typeof raw.resource.gid !== 'string' || raw.resource.gid === '') continue;
    const meaning = kindOf(raw);
    if (!meaning) continue;
    const at = raw.created_at ? Date.parse(raw.created_at) : Number.NaN;
    const stamp = Number.isNaN(at) ? 0 : at;
    const previous = latest.get(raw.resource.gid);
    const created = meaning.kind === 'created' || Boolean(previous?.created);
    const wins = !previous || stamp > previous.at || (stamp === previous.at && RANK[meaning.kind] >= previous.rank);
    if (!wins) {
      previous.created = created;
      continue;
    }
    latest.set(raw.resource.gid, {
      change: {
        ...(meaning.object ? { object: meaning.object } : {}),
        externalId: raw.resource.gid,
        action: meaning.kind,
        occurredAt: Number.isNaN(at) ? null : new Date(at).toISOString(),
      },
      at: stamp,
      rank: RANK[meaning.kind],
      created,
    });
  }
  return [...latest.values()].map(({ change, created }) =>
    change.action === 'updated' && created ? { ...change, action: 'created' as const } : change,
  );
}
