// The sandbox's signed item webhooks, received over real HTTP and checked by the connector and by
// the official SDK's own verifier.
import { WebflowClient } from 'webflow-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../src/contract.ts';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';
import { createWebflowConnector } from '../src/webflow/index.ts';
import { createWebflowSandbox, type WebflowSandbox } from '../src/webflow/sandbox/index.ts';
import { startReceiver, type ReceivedWebhook } from './helpers.ts';

const TOKEN = 'wf-webhooks-token';
const SECRET = 'oauth-client-secret';
let sandbox: WebflowSandbox;
let server: SandboxServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

const asRequest = (delivery: ReceivedWebhook, now?: Date): WebhookRequest => ({
  method: 'POST',
  url: delivery.url,
  headers: delivery.headers,
  rawBody: delivery.rawBody,
  now,
});

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = createWebflowSandbox({ accessToken: TOKEN, webhooks: { url: receiver.url, secret: SECRET } });
  server = await sandbox.start();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

describe('Webflow webhooks from the sandbox', () => {
  it('signs created/changed/deleted deliveries that the connector and the SDK verify and parse', async () => {
    const connector = createWebflowConnector({ accessToken: TOKEN, baseUrl: `${server.url}/v2` });
    const collectionId = sandbox.collections.createCollection({ displayName: 'Hooks', fields: ['syncbridge-id'] }).id;
    const resource = { object: collectionId, keyField: 'syncbridge-id' };
    const [created] = await connector.upsertBatch(resource, [
      { internalId: 'k1', externalId: null, fields: { name: 'Hook me' } },
    ]);
    const id = created?.ok ? created.externalId : '';
    await connector.upsertBatch(resource, [{ internalId: 'k1', externalId: id, fields: { name: 'Hooked' } }]);
    await connector.deleteBatch(resource, [{ internalId: 'k1', externalId: id }]);
    await sandbox.webhooks.idle();
    await receiver.waitFor(3);

    const changes = receiver.received.map((delivery) => {
      expect(connector.verifyWebhook(asRequest(delivery), SECRET)).toMatchObject({ ok: true });
      return connector.parseWebhook(asRequest(delivery))[0];
    });
    expect(changes).toEqual([
      {
        object: collectionId,
        externalId: id,
        action: 'created',
        occurredAt: expect.any(String),
        record: expect.objectContaining({
          id,
          fields: expect.objectContaining({ name: 'Hook me', 'syncbridge-id': 'k1' }),
        }),
      },
      {
        object: collectionId,
        externalId: id,
        action: 'updated',
        occurredAt: expect.any(String),
        record: expect.objectContaining({ fields: expect.objectContaining({ name: 'Hooked' }) }),
      },
      { object: collectionId, externalId: id, action: 'deleted', occurredAt: null },
    ]);

    const sdk = new WebflowClient({ accessToken: TOKEN });
    for (const delivery of receiver.received) {
      const headers = {
        'x-webflow-timestamp': String(delivery.headers['x-webflow-timestamp']),
        'x-webflow-signature': String(delivery.headers['x-webflow-signature']),
      };
      expect(
        await sdk.webhooks.verifySignature({ headers, body: delivery.rawBody.toString('utf8'), secret: SECRET }),
      ).toBe(true);
    }
  });

  it('rejects bad, stale and missing signatures on a real delivery', async () => {
    const connector = createWebflowConnector({ accessToken: TOKEN });
    const delivery = receiver.received[0]!;
    expect(connector.verifyWebhook(asRequest(delivery), 'wrong-secret')).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const sent = Number(delivery.headers['x-webflow-timestamp']);
    expect(connector.verifyWebhook(asRequest(delivery, new Date(sent + 5 * 60 * 1000 + 1)), SECRET)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    const { 'x-webflow-signature': _signature, ...unsigned } = delivery.headers;
    expect(connector.verifyWebhook({ ...asRequest(delivery), headers: unsigned }, SECRET)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });
});
