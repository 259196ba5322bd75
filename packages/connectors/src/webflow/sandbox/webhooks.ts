// Webflow's item webhooks from the sandbox: every store change (through the API or a direct edit)
// becomes a `{ triggerType, payload }` POST signed with x-webflow-timestamp / x-webflow-signature.
// https://developers.webflow.com/data/reference/webhooks/events/collection-item-created
import { createWebhookSender, type DeliveryResult, type WebhookSender } from '../../sandbox-kit/webhook-sender.ts';
import type { Rng } from '../../sandbox-kit/rng.ts';
import { webflowWebhookHeaders, type WebflowItemTrigger } from '../webhooks.ts';
import type { ItemChange } from './store.ts';

export interface WebflowWebhookSettings {
  url: string;
  /** The OAuth app's client secret (or the webhook's secret) that signs deliveries. */
  secret: string;
  /** Trigger types to send (default: created, changed, deleted). */
  triggers?: WebflowItemTrigger[];
  /** Attempts per delivery (default 3) and the delay before the first retry (default 0). */
  maxAttempts?: number;
  retryDelayMs?: number;
}

export interface WebflowWebhookDispatcher {
  configure(settings: WebflowWebhookSettings | null): void;
  handle(change: ItemChange): void;
  /** Resolves once every queued delivery settled. */
  idle(): Promise<void>;
  /** Settled deliveries since the last configure(). */
  readonly results: readonly DeliveryResult[];
}

const TRIGGER_OF: Partial<Record<ItemChange['type'], WebflowItemTrigger>> = {
  created: 'collection_item_created',
  changed: 'collection_item_changed',
  deleted: 'collection_item_deleted',
};

export function createWebflowWebhookDispatcher(options: {
  rng: Rng;
  siteId: string;
  workspaceId: string;
  now?: () => Date;
  settings?: WebflowWebhookSettings;
}): WebflowWebhookDispatcher {
  let settings = options.settings ?? null;
  let sender: WebhookSender | null = null;
  let sequence = 0;

  function configure(next: WebflowWebhookSettings | null): void {
    settings = next;
    sender = next
      ? createWebhookSender({
          rng: options.rng,
          now: options.now,
          maxAttempts: next.maxAttempts ?? 3,
          retryDelayMs: next.retryDelayMs ?? 0,
          sign: ({ rawBody, now }) => webflowWebhookHeaders({ secret: next.secret, rawBody, now }),
        })
      : null;
  }
  configure(settings);

  return {
    configure,
    handle(change) {
      const trigger = TRIGGER_OF[change.type];
      if (!settings || !sender || !trigger) return;
      if (!(settings.triggers ?? Object.values(TRIGGER_OF)).includes(trigger)) return;
      const { item } = change;
      const ids = {
        id: item.id,
        siteId: options.siteId,
        workspaceId: options.workspaceId,
        collectionId: change.collectionId,
      };
      const payload =
        change.type === 'deleted' ? { ...ids, cmsLocaleId: item.cmsLocaleId } : { ...ids, ...item, ...ids };
      sequence += 1;
      sender.enqueue({ id: `wfhook-${sequence}`, url: settings.url, payload: { triggerType: trigger, payload } });
    },
    async idle() {
      await sender?.idle();
    },
    get results() {
      return sender?.results ?? [];
    },
  };
}
