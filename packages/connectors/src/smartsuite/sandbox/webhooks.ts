// Webhook deliveries from the sandbox: every record change (through the API or a direct edit)
// becomes a SmartSuite webhook event POSTed to the configured URL, signed with our shared-secret
// scheme (../webhooks.ts), its event_id sent as x-idempotency-key. The event names the record; the
// receiver fetches it (SmartSuite's own notifications carry even less: only the webhook).
//
// Tests control delivery: `hold()` queues events instead of sending them, and `flush()` sends the
// queue, optionally duplicated and shuffled, to prove the receiver is idempotent and order-proof.
import {
  createWebhookSender,
  type DeliverManyOptions,
  type DeliveryResult,
  type WebhookDelivery,
  type WebhookSender,
} from '../../sandbox-kit/webhook-sender.ts';
import type { Rng } from '../../sandbox-kit/rng.ts';
import { smartsuiteWebhookHeaders, SMARTSUITE_WEBHOOK_HEADERS, type SmartSuiteEventKind } from '../webhooks.ts';
import type { RecordChange } from './store.ts';

export interface SmartSuiteWebhookSettings {
  url: string;
  /** The shared secret the receiver verifies with. */
  secret: string;
  /** Event kinds to send (default: created, updated, deleted). */
  kinds?: SmartSuiteEventKind[];
  /** Tables to send events for (default: all). */
  tableIds?: string[];
  /** Attempts per delivery (default 3) and the delay before the first retry (default 0). */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Queue events until flush() (default false: send as they happen, in order). */
  hold?: boolean;
}

export interface SmartSuiteWebhookDispatcher {
  configure(settings: SmartSuiteWebhookSettings | null): void;
  handle(change: RecordChange): void;
  /** From now on, queue events until flush(). */
  hold(): void;
  /** Back to sending events as they happen (queued ones stay queued until flush()). */
  release(): void;
  /** Events waiting for flush(). */
  readonly pending: readonly WebhookDelivery[];
  /** Sends the queued events one after another, optionally duplicated and shuffled (seeded). */
  flush(options?: DeliverManyOptions): Promise<DeliveryResult[]>;
  /** Resolves once every event sent as it happened has settled. */
  idle(): Promise<void>;
  /** Settled deliveries since the last configure(). */
  readonly results: readonly DeliveryResult[];
}

const KIND_OF: Record<RecordChange['type'], SmartSuiteEventKind> = {
  created: 'RECORD_CREATED',
  updated: 'RECORD_UPDATED',
  deleted: 'RECORD_DELETED',
};

export function createSmartSuiteWebhookDispatcher(options: {
  rng: Rng;
  accountId: string;
  solutionId: string;
  webhookId: string;
  now?: () => Date;
  settings?: SmartSuiteWebhookSettings;
}): SmartSuiteWebhookDispatcher {
  let settings: SmartSuiteWebhookSettings | null = null;
  let sender: WebhookSender | null = null;
  let holding = false;
  let queued: WebhookDelivery[] = [];
  let sequence = 0;

  function configure(next: SmartSuiteWebhookSettings | null): void {
    settings = next;
    holding = next?.hold ?? false;
    queued = [];
    sender = next
      ? createWebhookSender({
          rng: options.rng,
          now: options.now,
          maxAttempts: next.maxAttempts ?? 3,
          retryDelayMs: next.retryDelayMs ?? 0,
          sign: ({ deliveryId, rawBody, now }) =>
            smartsuiteWebhookHeaders({ secret: next.secret, rawBody, now, idempotencyKey: deliveryId }),
        })
      : null;
  }
  configure(options.settings ?? null);

  return {
    configure,
    handle(change) {
      if (!settings || !sender) return;
      const kind = KIND_OF[change.type];
      if (settings.kinds && !settings.kinds.includes(kind)) return;
      if (settings.tableIds && !settings.tableIds.includes(change.tableId)) return;
      sequence += 1;
      const eventId = `${options.webhookId}.${sequence}`;
      const locator = { account_id: options.accountId, solution_id: options.solutionId };
      const payload = {
        webhook_id: options.webhookId,
        locator,
        event_id: eventId,
        kind,
        event_at: change.at,
        record_event_data: {
          record_id: change.record.id,
          locator: { ...locator, application_id: change.tableId },
        },
      };
      const delivery: WebhookDelivery = {
        id: eventId,
        url: settings.url,
        payload,
        headers: { [SMARTSUITE_WEBHOOK_HEADERS.event]: kind },
      };
      if (holding) queued.push(delivery);
      else sender.enqueue(delivery);
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
    },
    get pending() {
      return queued;
    },
    async flush(flushOptions) {
      if (!sender) return [];
      const batch = queued;
      queued = [];
      return sender.deliverMany(batch, flushOptions);
    },
    async idle() {
      await sender?.idle();
    },
    get results() {
      return sender?.results ?? [];
    },
  };
}
