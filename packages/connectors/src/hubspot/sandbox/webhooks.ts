// Turns store changes into HubSpot webhook deliveries: a JSON array of events per POST, signed with
// signature v3 (X-HubSpot-Signature-v3 + X-HubSpot-Request-Timestamp in ms), retried by the kit's
// sender. One delivery per change (HubSpot may batch up to 100 events into one request); property
// changes send one event per changed property, as HubSpot's per-property subscriptions do.
import { createWebhookSender, type DeliveryResult, type WebhookSender } from '../../sandbox-kit/webhook-sender.ts';
import type { Rng } from '../../sandbox-kit/rng.ts';
import { HUBSPOT_WEBHOOK_HEADERS, signHubSpotWebhook, type HubSpotWebhookEvent } from '../webhooks.ts';
import type { ObjectChange } from './store.ts';

export interface HubSpotWebhookSettings {
  /** The app's target URL (full, it is part of the signature). */
  targetUrl: string;
  /** The app's client secret. */
  clientSecret: string;
  portalId?: number;
  appId?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

export interface HubSpotWebhookDispatcher {
  readonly settings: Readonly<HubSpotWebhookSettings> | null;
  /** Starts, changes or (null) stops deliveries. */
  configure(settings: HubSpotWebhookSettings | null): void;
  /** Every event sent so far. */
  readonly events: readonly HubSpotWebhookEvent[];
  readonly deliveries: readonly DeliveryResult[];
  /** Resolves when every queued delivery has settled. */
  idle(): Promise<void>;
  handle(objectType: string, change: ObjectChange): void;
}

const SINGULAR: Record<string, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tickets: 'ticket',
};

export function createHubSpotWebhookDispatcher(options: {
  rng: Rng;
  settings?: HubSpotWebhookSettings | null;
}): HubSpotWebhookDispatcher {
  let settings: HubSpotWebhookSettings | null = null;
  let sender: WebhookSender | null = null;
  const senders: WebhookSender[] = [];
  const events: HubSpotWebhookEvent[] = [];
  let nextEventId = 1;
  let nextDelivery = 1;

  const configure = (next: HubSpotWebhookSettings | null) => {
    settings = next;
    if (!next) {
      sender = null;
      return;
    }
    sender = createWebhookSender({
      rng: options.rng,
      maxAttempts: next.maxAttempts,
      retryDelayMs: next.retryDelayMs,
      timeoutMs: next.timeoutMs,
      sign: ({ rawBody, now }) => {
        const timestampMs = now.getTime();
        return {
          [HUBSPOT_WEBHOOK_HEADERS.signature]: signHubSpotWebhook({
            clientSecret: next.clientSecret,
            method: 'POST',
            uri: next.targetUrl,
            rawBody,
            timestampMs,
          }),
          [HUBSPOT_WEBHOOK_HEADERS.timestamp]: String(timestampMs),
        };
      },
    });
    senders.push(sender);
  };
  configure(options.settings ?? null);

  return {
    get settings() {
      return settings;
    },
    configure,
    events,
    get deliveries() {
      return senders.flatMap((item) => item.results);
    },
    async idle() {
      for (const item of senders) await item.idle();
    },
    handle(objectType, change) {
      if (!sender || !settings) return;
      const prefix = SINGULAR[objectType] ?? objectType;
      const base = {
        subscriptionId: 1000 + nextEventId,
        portalId: settings.portalId ?? 62515,
        appId: settings.appId ?? 54321,
        occurredAt: change.at,
        attemptNumber: 0,
        objectId: Number(change.object.id),
        changeSource: 'CRM',
      };
      const batch: HubSpotWebhookEvent[] =
        change.type === 'created'
          ? [{ eventId: nextEventId++, ...base, subscriptionType: `${prefix}.creation`, changeFlag: 'NEW' }]
          : change.type === 'deleted'
            ? [{ eventId: nextEventId++, ...base, subscriptionType: `${prefix}.deletion`, changeFlag: 'DELETED' }]
            : change.changed.map((name) => ({
                eventId: nextEventId++,
                ...base,
                subscriptionType: `${prefix}.propertyChange`,
                propertyName: name,
                propertyValue: change.object.properties[name] ?? '',
              }));
      if (batch.length === 0) return;
      events.push(...batch);
      sender.enqueue({ id: `hubspot-${nextDelivery++}`, url: settings.targetUrl, payload: batch });
    },
  };
}
