// Webhooks of the shipped definitions: the sandbox sends real signed deliveries (the vendor's
// scheme) to a receiver over HTTP; the connector accepts them, parses the changes, and refuses a
// wrong signature, a tampered body, a missing header and a stale timestamp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceRef, WebhookRequest } from '../src/contract.ts';
import type { ShippedDefinitionId } from '../src/declarative/definitions/index.ts';
import type { DeclarativeSandbox } from '../src/declarative/sandbox.ts';
import type { SandboxItem } from '../src/declarative/sandbox-store.ts';
import { startDeclarative, type DeclarativeHarness } from './declarative-harness.ts';
import { startReceiver } from './helpers.ts';

interface Case {
  id: ShippedDefinitionId;
  resource: ResourceRef;
  create(sandbox: DeclarativeSandbox): SandboxItem;
  change: Record<string, unknown>;
  /** Deliveries carry the record (else the engine fetches it). */
  carriesRecord: boolean;
  deliveryId: boolean;
  timestamped: boolean;
}

const CASES: Case[] = [
  {
    id: 'generic',
    resource: { object: 'tasks' },
    create: (s) => s.store.create('tasks', { title: 'Hook me' }),
    change: { title: 'Hooked' },
    carriesRecord: true,
    deliveryId: true,
    timestamped: true,
  },
  {
    id: 'trello',
    resource: { object: 'board-1' },
    create: (s) => s.store.create('board-1', { name: 'Hook me', idList: 'list-1' }),
    change: { name: 'Hooked' },
    carriesRecord: false,
    deliveryId: true,
    timestamped: false,
  },
  {
    id: 'clickup',
    resource: { object: 'list-900' },
    create: (s) => s.store.create('list-900', { name: 'Hook me' }),
    change: { name: 'Hooked' },
    carriesRecord: false,
    deliveryId: true,
    timestamped: false,
  },
  {
    id: 'toggl',
    resource: { object: '777' },
    create: (s) => s.store.create('777', { description: 'Hook me', start: '2026-01-05T08:00:00+00:00', duration: 60 }),
    change: { description: 'Hooked' },
    carriesRecord: true,
    deliveryId: true,
    timestamped: true,
  },
  {
    id: 'clockify',
    resource: { object: 'user-1' },
    create: (s) => s.store.create('user-1', { description: 'Hook me', start: '2026-01-05T08:00:00Z' }),
    change: { description: 'Hooked' },
    carriesRecord: true,
    deliveryId: false,
    timestamped: false,
  },
];

const SECRET = 'whsec_declarative_test_secret';

describe.each(CASES)('declarative webhooks: $id', (c) => {
  let h: DeclarativeHarness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let requests: WebhookRequest[] = [];
  let item: SandboxItem;

  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startDeclarative(c.id);
    // Trello signs the callback URL too: the connector must know it exactly as registered.
    h.connector = h.connect({
      settings: { ...(c.id === 'clockify' ? { workspaceId: 'ws-sandbox' } : {}), webhookCallbackUrl: receiver.url },
    });
    h.sandbox.webhooks.configure({ url: receiver.url, secret: SECRET, callbackUrl: receiver.url, retryDelayMs: 0 });
    item = c.create(h.sandbox);
    h.sandbox.store.update(item.object, item.id, c.change);
    h.sandbox.store.delete(item.object, item.id);
    await receiver.waitFor(3);
    await h.sandbox.webhooks.idle();
    requests = receiver.received.map((delivery) => ({
      method: 'POST',
      url: delivery.url,
      headers: delivery.headers,
      rawBody: delivery.rawBody,
    }));
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it('accepts the signed deliveries and parses created, updated and deleted', () => {
    const verified = requests.map((request) => h.connector.verifyWebhook(request, SECRET));
    expect(verified.every((v) => v.ok)).toBe(true);
    const ids = verified.map((v) => (v.ok ? v.deliveryId : null));
    if (c.deliveryId) expect(new Set(ids).size).toBe(3);
    else expect(ids).toEqual([null, null, null]);
    const changes = requests.flatMap((request) => h.connector.parseWebhook(request));
    expect(changes.map((change) => [change.externalId, change.action])).toEqual([
      [item.id, 'created'],
      [item.id, 'updated'],
      [item.id, 'deleted'],
    ]);
    if (c.carriesRecord) expect(changes[1]!.record?.fields).toMatchObject(c.change);
    else expect(changes[1]!.record).toBeUndefined();
  });

  it('refuses a wrong secret, a tampered body and a missing signature', () => {
    const request = requests[1]!;
    expect(h.connector.verifyWebhook(request, 'another-secret')).toEqual({ ok: false, reason: 'bad_signature' });
    const tampered = Buffer.concat([request.rawBody.subarray(0, -1), Buffer.from(' }')]); // same JSON, other bytes
    expect(tampered.equals(request.rawBody)).toBe(false);
    // Clockify's token proves the sender, not the body: only HMAC schemes catch a tampered body.
    expect(h.connector.verifyWebhook({ ...request, rawBody: tampered }, SECRET).ok).toBe(c.id === 'clockify');
    const { headers } = request;
    const stripped = Object.fromEntries(
      Object.entries(headers).filter(([name]) => !/signature|x-trello-webhook/i.test(name)),
    );
    expect(h.connector.verifyWebhook({ ...request, headers: stripped }, SECRET)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it(
    c.timestamped ? 'refuses a delivery older than 5 minutes' : 'has no timestamp to check (the vendor sends none)',
    () => {
      const request = requests[0]!;
      const later = { ...request, now: new Date(Date.now() + 6 * 60_000) };
      if (c.timestamped) {
        expect(h.connector.verifyWebhook(later, SECRET)).toEqual({ ok: false, reason: 'stale_timestamp' });
        expect(h.connector.verifyWebhook({ ...request, now: new Date(Date.now() + 4 * 60_000) }, SECRET)).toMatchObject(
          { ok: true },
        );
      } else expect(h.connector.verifyWebhook(later, SECRET)).toMatchObject({ ok: true });
    },
  );
});

describe('definitions without webhooks', () => {
  it.each(['monday', 'harvest', 'salesforce'] as const)('%s refuses every delivery', async (id) => {
    const h = await startDeclarative(id);
    try {
      const request = {
        method: 'POST',
        url: '/hook',
        headers: { 'x-webhook-signature': 'abc' },
        rawBody: Buffer.from('{}'),
      };
      expect(h.connector.verifyWebhook(request, SECRET)).toEqual({ ok: false, reason: 'missing_signature' });
      expect(() => h.connector.parseWebhook(request)).toThrow(/not supported/);
    } finally {
      await h.close();
    }
  });
});
