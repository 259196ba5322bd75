// Asana webhooks end to end: the connector registers a webhook through the SDK, the sandbox runs the
// X-Hook-Secret handshake against a real receiver while the create call is open, then delivers task
// changes signed with X-Hook-Signature, which the connector verifies and parses.
import express from 'express';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../src/contract.ts';
import {
  ASANA_WEBHOOK_HEADERS,
  parseAsanaWebhook,
  signAsanaWebhook,
  verifyAsanaWebhook,
} from '../src/asana/webhooks.ts';
import { startSandbox } from '../src/sandbox-kit/server.ts';
import { startAsana, type AsanaHarness } from '../src/asana/testing.ts';

let h: AsanaHarness;

beforeAll(async () => {
  h = await startAsana({ webhooks: { retryDelayMs: 0, maxAttempts: 3 } });
});
afterAll(() => h.close());

interface Delivery {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/**
 * A webhook target as an integration would run it: answers the handshake by echoing X-Hook-Secret
 * (unless told not to) and keeps the secret; records every later delivery and answers `status`.
 */
async function startTarget(options: { echo?: 'same' | 'none' | 'other'; status?: (index: number) => number } = {}) {
  const deliveries: Delivery[] = [];
  let secret: string | null = null;
  const app = express();
  app.post('/hook', express.raw({ type: () => true }), (req, res) => {
    const handshake = req.headers[ASANA_WEBHOOK_HEADERS.secret];
    if (typeof handshake === 'string') {
      secret = handshake;
      const echo = options.echo ?? 'same';
      if (echo === 'same') res.set('X-Hook-Secret', handshake);
      if (echo === 'other') res.set('X-Hook-Secret', 'f'.repeat(64));
      res.status(204).end();
      return;
    }
    deliveries.push({ headers: req.headers, rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) });
    res.status(options.status?.(deliveries.length - 1) ?? 200).end();
    app.emit('delivery');
  });
  const server = await startSandbox(app);
  return {
    url: `${server.url}/hook`,
    deliveries,
    get secret() {
      return secret;
    },
    async waitFor(count: number) {
      while (deliveries.length < count) await once(app, 'delivery');
    },
    close: () => server.close(),
  };
}

const asRequest = (delivery: Delivery): WebhookRequest => ({
  method: 'POST',
  url: '/api/webhooks/integrations/x/receive',
  headers: delivery.headers,
  rawBody: delivery.rawBody,
});

describe('Asana webhooks', () => {
  it('registers through the handshake, then delivers signed changes the connector verifies and parses', async () => {
    const target = await startTarget();
    try {
      const webhook = await h.connector.registerWebhook({ resource: h.project.gid, target: target.url });
      expect(webhook).toMatchObject({
        gid: expect.any(String),
        active: true,
        target: target.url,
        resource: { gid: h.project.gid },
      });
      expect(target.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(h.sandbox.webhooks.get(webhook.gid)!.secret).toBe(target.secret);

      const { store } = h.sandbox;
      const task = store.create({ name: 'Hooked', projects: [h.project.gid] });
      const changedAt = store.update(task.gid, { name: 'Hooked, renamed', notes: 'more' }).modified_at;
      await h.sandbox.webhooks.idle();
      store.delete(task.gid);
      await h.sandbox.webhooks.idle();
      await target.waitFor(2);

      // One delivery per tick: the create and the update together, then the delete.
      const [first, second] = target.deliveries;
      expect(JSON.parse(first!.rawBody.toString()).events.map((e: { action: string }) => e.action)).toEqual([
        'added',
        'changed',
        'changed',
      ]);
      for (const delivery of [first!, second!]) {
        expect(delivery.headers[ASANA_WEBHOOK_HEADERS.signature]).toBe(
          signAsanaWebhook(target.secret!, delivery.rawBody),
        );
        expect(h.connector.verifyWebhook(asRequest(delivery), target.secret!)).toMatchObject({ ok: true });
      }
      // Added to the project, then changed: created, and (the change being the last event) for
      // every project the task is in, so no object is named.
      expect(h.connector.parseWebhook(asRequest(first!))).toEqual([
        { externalId: task.gid, action: 'created', occurredAt: new Date(changedAt).toISOString() },
      ]);
      expect(h.connector.parseWebhook(asRequest(second!))).toEqual([
        { externalId: task.gid, action: 'deleted', occurredAt: new Date(task.modified_at).toISOString() },
      ]);

      // Tasks of other projects are not this webhook's business.
      const other = store.addProject({ name: 'Other' });
      store.create({ name: 'Elsewhere', projects: [other.gid] });
      await h.sandbox.webhooks.idle();
      expect(target.deliveries).toHaveLength(2);

      await h.connector.deleteWebhook(webhook.gid);
      store.create({ name: 'After removal', projects: [h.project.gid] });
      await h.sandbox.webhooks.idle();
      expect(target.deliveries).toHaveLength(2);
    } finally {
      await target.close();
    }
  });

  it('refuses to create the webhook when the target does not echo the secret', async () => {
    for (const echo of ['none', 'other'] as const) {
      const target = await startTarget({ echo });
      try {
        const refused = await h.connector.registerWebhook({ resource: h.project.gid, target: target.url }).then(
          () => null,
          (error: unknown) => h.connector.classifyError(error),
        );
        expect(refused).toMatchObject({
          kind: 'invalid',
          status: 400,
          message: expect.stringContaining('handshake secret'),
        });
        expect(h.sandbox.webhooks.webhooks.some((hook) => hook.target === target.url)).toBe(false);
      } finally {
        await target.close();
      }
    }
  });

  it('rejects a wrong, missing or malformed signature and a tampered body, in constant time', () => {
    const secret = 'a1'.repeat(32);
    const body = JSON.stringify({ events: [{ action: 'changed', resource: { gid: '1', resource_type: 'task' } }] });
    const request = (headers: Record<string, string>, raw = body): WebhookRequest => ({
      method: 'POST',
      url: '/hook',
      headers,
      rawBody: Buffer.from(raw),
    });
    const good = signAsanaWebhook(secret, body);
    expect(verifyAsanaWebhook(request({ 'x-hook-signature': good }), secret)).toMatchObject({ ok: true });
    expect(verifyAsanaWebhook(request({ 'x-hook-signature': good.toUpperCase() }), secret)).toMatchObject({ ok: true });
    expect(verifyAsanaWebhook(request({ 'x-hook-signature': signAsanaWebhook('other', body) }), secret)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyAsanaWebhook(request({ 'x-hook-signature': good }, body.replace('"1"', '"2"')), secret)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyAsanaWebhook(request({}), secret)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyAsanaWebhook(request({ 'x-hook-signature': 'not-hex' }), secret)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('gives a re-sent delivery the same delivery id (Asana retries the same body), so the ingress dedupes it', async () => {
    const target = await startTarget({ status: (index) => (index === 0 ? 500 : 200) });
    try {
      const webhook = await h.connector.registerWebhook({ resource: h.project.gid, target: target.url });
      h.sandbox.store.create({ name: 'Retried', projects: [h.project.gid] });
      await h.sandbox.webhooks.idle();
      await target.waitFor(2);
      const [failed, retried] = target.deliveries;
      expect(retried!.rawBody.equals(failed!.rawBody)).toBe(true);
      const a = h.connector.verifyWebhook(asRequest(failed!), target.secret!);
      const b = h.connector.verifyWebhook(asRequest(retried!), target.secret!);
      expect(a).toMatchObject({ ok: true, deliveryId: expect.stringMatching(/^asana-body-[0-9a-f]{40}$/) });
      expect(b).toEqual(a);
      expect(h.sandbox.webhooks.get(webhook.gid)!.last_success_at).not.toBeNull();
      await h.connector.deleteWebhook(webhook.gid);
    } finally {
      await target.close();
    }
  });

  it('delivers only what a webhook’s filters ask for, and heartbeats with no events', async () => {
    const target = await startTarget();
    try {
      const webhook = await h.connector.registerWebhook({
        resource: h.project.gid,
        target: target.url,
        filters: [{ resource_type: 'task', action: 'changed', fields: ['completed'] }],
      });
      const task = h.sandbox.store.create({ name: 'Filtered', projects: [h.project.gid] });
      h.sandbox.store.update(task.gid, { name: 'Renamed' });
      h.sandbox.store.update(task.gid, { completed: true });
      h.sandbox.webhooks.heartbeat();
      await h.sandbox.webhooks.idle();
      await target.waitFor(2);
      const bodies = target.deliveries.map(
        (d) => JSON.parse(d.rawBody.toString()) as { events: { change?: { field: string } }[] },
      );
      expect(bodies.flatMap((body) => body.events.map((event) => event.change?.field))).toEqual(['completed']);
      expect(bodies.some((body) => body.events.length === 0)).toBe(true);
      for (const delivery of target.deliveries) {
        expect(h.connector.verifyWebhook(asRequest(delivery), target.secret!)).toMatchObject({ ok: true });
      }
      const heartbeat = target.deliveries.find((d) => JSON.parse(d.rawBody.toString()).events.length === 0)!;
      expect(h.connector.parseWebhook(asRequest(heartbeat))).toEqual([]);
      await h.connector.deleteWebhook(webhook.gid);
    } finally {
      await target.close();
    }
  });
});

describe('parseAsanaWebhook', () => {
  const parse = (events: unknown[]) =>
    parseAsanaWebhook({ method: 'POST', url: '/', headers: {}, rawBody: Buffer.from(JSON.stringify({ events })) });
  const task = (gid: string) => ({ gid, resource_type: 'task', resource_subtype: 'default_task' });
  const project = { gid: '77', resource_type: 'project' };

  it('turns events into one skinny change per task, by the last event', () => {
    expect(
      parse([
        { action: 'changed', resource: task('1'), created_at: '2026-01-01T10:00:01Z', change: { field: 'name' } },
        { action: 'added', resource: task('1'), parent: project, created_at: '2026-01-01T10:00:00Z' },
        { action: 'removed', resource: task('2'), parent: project, created_at: '2026-01-01T10:00:00Z' },
        {
          action: 'removed',
          resource: task('3'),
          parent: { gid: '5', resource_type: 'section' },
          created_at: '2026-01-01T10:00:00Z',
        },
        { action: 'deleted', resource: task('4'), created_at: '2026-01-01T10:00:00Z' },
        { action: 'undeleted', resource: task('4'), created_at: '2026-01-01T10:00:05Z' },
        { action: 'added', resource: { gid: '9', resource_type: 'story' }, parent: task('1') },
      ]),
    ).toEqual([
      { externalId: '1', action: 'created', occurredAt: '2026-01-01T10:00:01.000Z' },
      { object: '77', externalId: '2', action: 'deleted', occurredAt: '2026-01-01T10:00:00.000Z' },
      { externalId: '3', action: 'updated', occurredAt: '2026-01-01T10:00:00.000Z' },
      { externalId: '4', action: 'created', occurredAt: '2026-01-01T10:00:05.000Z' },
    ]);
  });

  it('throws on a body that is not { events: [...] }', () => {
    for (const body of ['[]', '{}', 'null', 'nope']) {
      expect(() => parseAsanaWebhook({ method: 'POST', url: '/', headers: {}, rawBody: Buffer.from(body) })).toThrow();
    }
  });
});
