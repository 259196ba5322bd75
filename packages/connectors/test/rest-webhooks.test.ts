// Webhooks end to end: the sandbox signs and delivers store changes, the connector verifies and
// parses what arrives.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, WebhookRequest } from '../src/contract.ts';
import { createWebhookSender } from '../src/sandbox-kit/webhook-sender.ts';
import { restWebhookHeaders } from '../src/rest/webhooks.ts';
import { startReceiver, startRest, type ReceivedWebhook, type RestHarness } from './helpers.ts';

const SECRET = 'whsec_rest_sandbox';
let h: RestHarness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
/** Deliveries the receiver answers 500 before answering 200 again. */
let failCount = 0;

beforeAll(async () => {
  receiver = await startReceiver(() => {
    if (failCount === 0) return 200;
    failCount -= 1;
    return 500;
  });
  h = await startRest({ webhook: { url: receiver.url, secret: SECRET, retryDelayMs: 0 } });
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});
afterEach(async () => {
  await h.sandbox.webhooks.idle();
  receiver.received.length = 0;
  failCount = 0;
});

const asRequest = (delivery: ReceivedWebhook): WebhookRequest => ({
  method: 'POST',
  url: delivery.url,
  headers: delivery.headers,
  rawBody: delivery.rawBody,
});

function verifyAll(connector: Connector) {
  return receiver.received.map((delivery) => connector.verifyWebhook(asRequest(delivery), SECRET));
}

describe('REST sandbox webhooks', () => {
  it('delivers create, update and delete events, signed so verifyWebhook accepts them', async () => {
    const created = await h.connector.upsertBatch({ object: 'tasks' }, [
      { internalId: 'a', externalId: null, fields: { title: 'A' } },
    ]);
    const id = created[0]!.ok ? created[0]!.externalId : '';
    await h.connector.upsertBatch({ object: 'tasks' }, [{ internalId: 'a', externalId: id, fields: { title: 'B' } }]);
    h.sandbox.store.delete('tasks', id); // direct writes notify too
    await h.sandbox.webhooks.idle();
    expect(receiver.received).toHaveLength(3);
    const verified = verifyAll(h.connector);
    expect(verified.every((result) => result.ok)).toBe(true);
    expect(verified.map((result) => (result.ok ? result.deliveryId : null))).toEqual(
      h.sandbox.webhooks.events.slice(-3).map((event) => event.id),
    );
    const changes = receiver.received.flatMap((delivery) => h.connector.parseWebhook(asRequest(delivery)));
    expect(changes.map((change) => [change.action, change.externalId, change.object])).toEqual([
      ['created', id, 'tasks'],
      ['updated', id, 'tasks'],
      ['deleted', id, 'tasks'],
    ]);
    expect(changes[1]!.record).toMatchObject({ id, fields: { title: 'B' } });
    expect(changes[2]!.record).toBeUndefined();
    expect(receiver.received.map((delivery) => delivery.headers['x-webhook-event'])).toEqual([
      'record.created',
      'record.updated',
      'record.deleted',
    ]);
  });

  it('rejects deliveries checked with the wrong secret or a tampered body', async () => {
    h.sandbox.store.create('tasks', { fields: { n: 1 } });
    await h.sandbox.webhooks.idle();
    const [delivery] = receiver.received;
    expect(h.connector.verifyWebhook(asRequest(delivery!), 'not-the-secret')).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const tampered = {
      ...asRequest(delivery!),
      rawBody: Buffer.from(delivery!.rawBody.toString().replace('"n":1', '"n":2')),
    };
    expect(h.connector.verifyWebhook(tampered, SECRET)).toEqual({ ok: false, reason: 'bad_signature' });
    const later = { ...asRequest(delivery!), now: new Date(Date.now() + 6 * 60_000) };
    expect(h.connector.verifyWebhook(later, SECRET)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('retries a failed delivery with the same id and a fresh signature', async () => {
    failCount = 1;
    h.sandbox.store.create('tasks', { fields: {} });
    await h.sandbox.webhooks.idle();
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(first!.headers['x-webhook-id']).toBe(second!.headers['x-webhook-id']);
    expect(verifyAll(h.connector).every((result) => result.ok)).toBe(true);
    const result = h.sandbox.webhooks.deliveries.at(-1)!;
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
  });

  it('can hold deliveries and release them duplicated and reordered', async () => {
    h.sandbox.webhooks.pause();
    const ids = Array.from({ length: 6 }, (_, i) => h.sandbox.store.create('tasks', { fields: { i } }).id);
    expect(receiver.received).toHaveLength(0);
    const results = await h.sandbox.webhooks.flush({ duplicate: 'all', reorder: true });
    expect(results).toHaveLength(12);
    const arrived = receiver.received.map((delivery) => h.connector.parseWebhook(asRequest(delivery))[0]!.externalId);
    expect([...arrived].sort()).toEqual([...ids, ...ids].sort());
    expect(arrived).not.toEqual([...ids, ...ids]);
    expect(verifyAll(h.connector).every((result) => result.ok)).toBe(true);
    // Delivery ids repeat for duplicates: that is what a receiver dedupes on.
    expect(new Set(receiver.received.map((delivery) => delivery.headers['x-webhook-id'])).size).toBe(6);
  });
});

describe('webhook sender', () => {
  const sign = ({ deliveryId, rawBody, now }: { deliveryId: string; rawBody: string; now: Date }) =>
    restWebhookHeaders({ secret: SECRET, deliveryId, rawBody, now });

  it('gives up after maxAttempts on persistent failures and on network errors', async () => {
    const failing = await startReceiver(() => 503);
    try {
      const sender = createWebhookSender({ sign, maxAttempts: 3, retryDelayMs: 0 });
      const result = await sender.deliver({ id: 'evt_x', url: failing.url, payload: { hello: 1 } });
      expect(result).toMatchObject({ ok: false, status: 503 });
      expect(result.attempts).toHaveLength(3);
      expect(failing.received).toHaveLength(3);
    } finally {
      await failing.close();
    }
    const sender = createWebhookSender({ sign, maxAttempts: 2, retryDelayMs: 0, timeoutMs: 1000 });
    const unreachable = await sender.deliver({ id: 'evt_y', url: failing.url, payload: {} });
    expect(unreachable.ok).toBe(false);
    expect(unreachable.attempts.map((attempt) => attempt.error !== undefined)).toEqual([true, true]);
  });

  it('duplicates and reorders reproducibly from a seed', async () => {
    const deliveries = Array.from({ length: 8 }, (_, i) => ({ id: `evt_${i}`, url: receiver.url, payload: { i } }));
    const order = async (seed: number) => {
      const sender = createWebhookSender({ sign, seed, retryDelayMs: 0 });
      return (await sender.deliverMany(deliveries, { duplicate: 0.5, reorder: true })).map((result) => result.id);
    };
    const first = await order(5);
    expect(await order(5)).toEqual(first);
    expect(first.length).toBeGreaterThan(8);
    expect(new Set(first)).toEqual(new Set(deliveries.map((delivery) => delivery.id)));
    const verified = receiver.received.map((delivery) => h.connector.verifyWebhook(asRequest(delivery), SECRET));
    expect(verified.every((result) => result.ok)).toBe(true);
  });
});
