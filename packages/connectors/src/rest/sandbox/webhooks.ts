// Turns store changes into signed webhook deliveries (generic F025 scheme, see ../webhooks.ts).
// Deliveries go out one after another in change order; tests can pause them, then flush the
// buffer duplicated and/or shuffled to prove a receiver is idempotent and order-independent.
import {
  createWebhookSender,
  type DeliverManyOptions,
  type DeliveryResult,
  type WebhookDelivery,
  type WebhookSender,
} from '../../sandbox-kit/webhook-sender.ts';
import type { Rng } from '../../sandbox-kit/rng.ts';
import { REST_WEBHOOK_HEADERS, restWebhookHeaders } from '../webhooks.ts';
import type { StoreChange } from './store.ts';

export interface RestWebhookConfig {
  url: string;
  secret: string;
  /** Attempts per event (default 3). */
  maxAttempts?: number;
  /** Base of the exponential retry delay (default 100 ms). */
  retryDelayMs?: number;
  timeoutMs?: number;
}

export interface RestWebhookEvent {
  id: string;
  type: StoreChange['type'];
  collection: string;
  record: StoreChange['record'];
  occurred_at: string;
}

export interface RestWebhookDispatcher {
  readonly config: Readonly<RestWebhookConfig> | null;
  /** Starts, changes or (null) stops deliveries. */
  configure(config: RestWebhookConfig | null): void;
  /** Every event produced while configured, in order. */
  readonly events: readonly RestWebhookEvent[];
  /** Settled deliveries (one per event sent, with its attempts). */
  readonly deliveries: readonly DeliveryResult[];
  /** Buffers events instead of sending them. */
  pause(): void;
  /** Sends the buffered events (optionally duplicated and shuffled) and resumes live delivery. */
  flush(options?: DeliverManyOptions): Promise<DeliveryResult[]>;
  /** Resolves once every delivery started so far has settled. */
  idle(): Promise<void>;
  /** Called by the sandbox for each store change. */
  handle(change: StoreChange): void;
}

export function createRestWebhookDispatcher(options: {
  rng: Rng;
  config?: RestWebhookConfig | null;
}): RestWebhookDispatcher {
  let config: RestWebhookConfig | null = null;
  let sender: WebhookSender | null = null;
  const senders: WebhookSender[] = [];
  const events: RestWebhookEvent[] = [];
  let buffer: WebhookDelivery[] | null = null;
  let nextEvent = 1;
  const pendingFlushes = new Set<Promise<unknown>>();

  const configure = (next: RestWebhookConfig | null) => {
    config = next ? { ...next } : null;
    if (!next) {
      sender = null;
      return;
    }
    const secret = next.secret;
    sender = createWebhookSender({
      rng: options.rng,
      maxAttempts: next.maxAttempts,
      retryDelayMs: next.retryDelayMs,
      timeoutMs: next.timeoutMs,
      sign: ({ deliveryId, rawBody, now }) => restWebhookHeaders({ secret, deliveryId, rawBody, now }),
    });
    senders.push(sender);
  };
  configure(options.config ?? null);

  return {
    get config() {
      return config;
    },
    configure,
    events,
    get deliveries() {
      return senders.flatMap((item) => item.results);
    },
    pause() {
      buffer ??= [];
    },
    async flush(flushOptions) {
      const held = buffer ?? [];
      buffer = null;
      if (!sender) return [];
      const sending = sender.deliverMany(held, flushOptions);
      pendingFlushes.add(sending);
      try {
        return await sending;
      } finally {
        pendingFlushes.delete(sending);
      }
    },
    async idle() {
      await Promise.all([...senders.map((item) => item.idle()), ...pendingFlushes]);
    },
    handle(change) {
      if (!config || !sender) return;
      const event: RestWebhookEvent = {
        id: `evt_${(nextEvent++).toString(36).padStart(6, '0')}`,
        type: change.type,
        collection: change.collection,
        record: change.record,
        occurred_at: change.occurredAt,
      };
      events.push(event);
      const delivery = {
        id: event.id,
        url: config.url,
        payload: event,
        headers: { [REST_WEBHOOK_HEADERS.event]: event.type },
      };
      if (buffer) buffer.push(delivery);
      else sender.enqueue(delivery);
    },
  };
}
