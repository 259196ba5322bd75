// Delivers webhooks the way vendors do: POST a JSON body signed by the vendor's scheme, retry on
// non-2xx or network errors a bounded number of times, keep the delivery id stable across retries.
// Tests can ask for duplicated and reordered deliveries to prove receivers are idempotent.
import { resolveRng, shuffled, type RandomnessOptions } from './rng.ts';

export interface WebhookSignContext {
  /** Stable across retries: receivers dedupe on it. */
  deliveryId: string;
  rawBody: string;
  /** 1 for the first attempt. */
  attempt: number;
  now: Date;
}

/** Produces the vendor's signature headers for one attempt. */
export type WebhookSigner = (context: WebhookSignContext) => Record<string, string>;

export interface WebhookDelivery {
  id: string;
  url: string;
  /** Serialised with JSON.stringify unless already a string. */
  payload: unknown;
  /** Extra unsigned headers, e.g. the event type. */
  headers?: Record<string, string>;
}

export interface DeliveryAttempt {
  attempt: number;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface DeliveryResult {
  id: string;
  url: string;
  ok: boolean;
  /** Status of the last attempt, when one got an answer. */
  status?: number;
  attempts: DeliveryAttempt[];
}

export interface WebhookSenderOptions extends RandomnessOptions {
  sign: WebhookSigner;
  /** Attempts per delivery, first included (default 3). */
  maxAttempts?: number;
  /** Delay before retry n is retryDelayMs * 2^(n-1) (default 100; 0 retries at once). */
  retryDelayMs?: number;
  /** Per-attempt timeout (default 5000). */
  timeoutMs?: number;
  now?: () => Date;
}

export interface DeliverManyOptions {
  /** Share of deliveries sent twice (0..1), or 'all'. */
  duplicate?: number | 'all';
  /** Shuffle the order (seeded). */
  reorder?: boolean;
}

export interface WebhookSender {
  deliver(delivery: WebhookDelivery): Promise<DeliveryResult>;
  /** Sends one after another, optionally duplicated and shuffled; results in sending order. */
  deliverMany(deliveries: readonly WebhookDelivery[], options?: DeliverManyOptions): Promise<DeliveryResult[]>;
  /** Queues a delivery behind the ones already queued (deliveries stay in order). */
  enqueue(delivery: WebhookDelivery): void;
  /** Resolves once every queued delivery has settled. */
  idle(): Promise<void>;
  /** Every settled delivery, in settling order. */
  readonly results: readonly DeliveryResult[];
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const rng = resolveRng(options);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const retryDelayMs = options.retryDelayMs ?? 100;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  const results: DeliveryResult[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  async function attemptOnce(delivery: WebhookDelivery, rawBody: string, attempt: number): Promise<DeliveryAttempt> {
    const started = performance.now();
    const headers = {
      'content-type': 'application/json',
      ...delivery.headers,
      ...options.sign({ deliveryId: delivery.id, rawBody, attempt, now: now() }),
    };
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: rawBody,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { attempt, status: response.status, durationMs: performance.now() - started };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { attempt, error: message, durationMs: performance.now() - started };
    }
  }

  async function deliver(delivery: WebhookDelivery): Promise<DeliveryResult> {
    const rawBody = typeof delivery.payload === 'string' ? delivery.payload : JSON.stringify(delivery.payload);
    const attempts: DeliveryAttempt[] = [];
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1 && retryDelayMs > 0) await pause(retryDelayMs * 2 ** (attempt - 2));
      const outcome = await attemptOnce(delivery, rawBody, attempt);
      attempts.push(outcome);
      if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) break;
    }
    const last = attempts.at(-1);
    const result: DeliveryResult = {
      id: delivery.id,
      url: delivery.url,
      ok: last?.status !== undefined && last.status >= 200 && last.status < 300,
      status: last?.status,
      attempts,
    };
    results.push(result);
    return result;
  }

  async function deliverMany(deliveries: readonly WebhookDelivery[], many: DeliverManyOptions = {}) {
    let plan: WebhookDelivery[] = [];
    for (const delivery of deliveries) {
      plan.push(delivery);
      const twice = many.duplicate === 'all' || (typeof many.duplicate === 'number' && rng() < many.duplicate);
      if (twice) plan.push(delivery);
    }
    if (many.reorder) plan = shuffled(plan, rng);
    const settled: DeliveryResult[] = [];
    for (const delivery of plan) settled.push(await deliver(delivery));
    return settled;
  }

  return {
    deliver,
    deliverMany,
    enqueue(delivery) {
      queue = queue.then(() => deliver(delivery)).catch(() => undefined);
    },
    async idle() {
      // A delivery may be queued while we wait: loop until the tail stops moving.
      let tail: Promise<unknown>;
      do {
        tail = queue;
        await tail;
      } while (tail !== queue);
    },
    results,
  };
}
