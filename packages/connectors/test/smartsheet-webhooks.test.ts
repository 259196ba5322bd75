// Webhooks end to end: the sandbox verifies the callback URL and sends signed skinny callbacks;
// a receiver answers challenges with smartsheetChallengeResponse; the connector verifies and parses.
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, WebhookRequest } from '../src/contract.ts';
import { createSmartsheetConnector, smartsheetChallengeResponse } from '../src/smartsheet/index.ts';
import { createSmartsheetSandbox, type SmartsheetSandbox } from '../src/smartsheet/sandbox/index.ts';
import { startSandbox, type SandboxServer } from '../src/sandbox-kit/server.ts';

const TOKEN = 'webhook-token';
let sandbox: SmartsheetSandbox;
let server: SandboxServer;
let receiver: SandboxServer;
let connector: Connector;
let sheetId: number;
const received: WebhookRequest[] = [];
/** Callbacks the receiver answers 500 before answering 200 again. */
let failCallbacks = 0;
let refuseChallenges = false;

beforeAll(async () => {
  const app = express();
  app.post('/hook', express.raw({ type: '*/*' }), (req, res) => {
    const challenge = smartsheetChallengeResponse(req.headers, req.body);
    if (challenge) {
      if (refuseChallenges) res.status(200).json({ ok: true });
      else res.status(challenge.status).set(challenge.headers).json(challenge.body);
      return;
    }
    received.push({ method: 'POST', url: req.originalUrl, headers: req.headers, rawBody: req.body as Buffer });
    if (failCallbacks > 0) {
      failCallbacks -= 1;
      res.status(500).end();
    } else res.status(200).end();
  });
  receiver = await startSandbox(app);
  sandbox = createSmartsheetSandbox({ accessToken: TOKEN, webhooks: { retryDelayMs: 0 } });
  server = await sandbox.start();
  connector = createSmartsheetConnector({
    accessToken: TOKEN,
    baseUrl: `${server.url}/2.0`,
    changeAgent: 'syncbridge-test',
  });
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});
beforeEach(async () => {
  await sandbox.webhooks.idle();
  received.length = 0;
  failCallbacks = 0;
  refuseChallenges = false;
  sandbox.webhooks.configure({ verifyEvery: 100, maxAttempts: 3 });
  sheetId = sandbox.sheets.createSheet({ name: 'Hooks', columns: ['Key', 'Name'] }).id;
});

/** Creates and enables a webhook on the sheet through the API, as an admin would. */
async function subscribe(): Promise<{ id: number; sharedSecret: string }> {
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.url}/2.0${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as {
      result: { id: number; sharedSecret: string; enabled: boolean; status: string };
    };
  };
  const created = await call('POST', '/webhooks', {
    name: 'sync',
    callbackUrl: `${receiver.url}/hook`,
    scope: 'sheet',
    scopeObjectId: sheetId,
    events: ['*.*'],
    version: 1,
  });
  const enabled = await call('PUT', `/webhooks/${created.result.id}`, { enabled: true });
  expect(enabled.result).toMatchObject({ enabled: !refuseChallenges });
  return created.result;
}

describe('Smartsheet webhooks', () => {
  it('verifies the signature of real callbacks: ok, bad and missing', async () => {
    const hook = await subscribe();
    sandbox.sheets.insertRows(sheetId, [{ Key: 'k1', Name: 'Ada' }]);
    await sandbox.webhooks.idle();
    expect(received).toHaveLength(1);
    const delivery = received[0]!;
    const verified = connector.verifyWebhook(delivery, hook.sharedSecret);
    expect(verified).toEqual({ ok: true, deliveryId: sandbox.webhooks.callbacks.at(-1)!.payload.nonce });
    expect(connector.verifyWebhook(delivery, 'another-secret')).toEqual({ ok: false, reason: 'bad_signature' });
    const tampered = {
      ...delivery,
      rawBody: Buffer.from(delivery.rawBody.toString('utf8').replace('"sheet"', '"Sheet"')),
    };
    expect(connector.verifyWebhook(tampered, hook.sharedSecret)).toEqual({ ok: false, reason: 'bad_signature' });
    const { ['smartsheet-hmac-sha256']: _dropped, ...unsigned } = delivery.headers;
    expect(connector.verifyWebhook({ ...delivery, headers: unsigned }, hook.sharedSecret)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it('parses callbacks into one skinny change per row and skips the echoes of our own writes', async () => {
    await subscribe();
    const [a, b] = sandbox.sheets.insertRows(sheetId, [{ Key: 'k1' }, { Key: 'k2' }]) as [number, number];
    sandbox.sheets.updateRowValues(sheetId, a, { Name: 'edited in Smartsheet' });
    sandbox.sheets.removeRows(sheetId, [b]);
    await connector.upsertBatch({ object: String(sheetId) }, [
      { internalId: 'x', externalId: String(a), fields: { Name: 'ours' } },
    ]);
    await sandbox.webhooks.idle();
    expect(received).toHaveLength(4);
    const changes = received.map((delivery) => connector.parseWebhook(delivery));
    const object = String(sheetId);
    expect(changes.slice(0, 3)).toEqual([
      [
        { object, externalId: String(a), action: 'created', occurredAt: expect.any(String) },
        { object, externalId: String(b), action: 'created', occurredAt: expect.any(String) },
      ],
      [{ object, externalId: String(a), action: 'updated', occurredAt: expect.any(String) }],
      [{ object, externalId: String(b), action: 'deleted', occurredAt: expect.any(String) }],
    ]);
    expect(changes[3]).toEqual([]); // made with our Smartsheet-Change-Agent
    expect(changes.flat().every((change) => change.record === undefined)).toBe(true);
  });

  it('leaves the webhook disabled when the challenge is not echoed', async () => {
    refuseChallenges = true;
    const hook = await subscribe();
    const stored = sandbox.webhooks.get(hook.id);
    expect(stored).toMatchObject({ enabled: false, status: 'DISABLED_VERIFICATION_FAILED' });
    sandbox.sheets.insertRows(sheetId, [{ Key: 'k1' }]);
    await sandbox.webhooks.idle();
    expect(received).toEqual([]);
  });

  it('retries a failing callback with the same signed body, and disables the webhook when it keeps failing', async () => {
    const hook = await subscribe();
    failCallbacks = 1;
    sandbox.sheets.insertRows(sheetId, [{ Key: 'k1' }]);
    await sandbox.webhooks.idle();
    expect(received).toHaveLength(2);
    expect(received[1]!.rawBody.equals(received[0]!.rawBody)).toBe(true);
    expect(connector.verifyWebhook(received[1]!, hook.sharedSecret)).toMatchObject({ ok: true });
    failCallbacks = 3;
    sandbox.sheets.insertRows(sheetId, [{ Key: 'k2' }]);
    await sandbox.webhooks.idle();
    expect(sandbox.webhooks.get(hook.id)).toMatchObject({ enabled: false, status: 'DISABLED_CALLBACK_FAILED' });
  });

  it('re-verifies the callback URL every N callbacks', async () => {
    sandbox.webhooks.configure({ verifyEvery: 2 });
    const hook = await subscribe();
    for (let i = 0; i < 3; i++) sandbox.sheets.insertRows(sheetId, [{ Key: `k${i}` }]);
    await sandbox.webhooks.idle();
    expect(received).toHaveLength(3);
    expect(sandbox.webhooks.verifications.filter((v) => v.webhookId === hook.id).map((v) => v.ok)).toEqual([
      true,
      true,
    ]);
    refuseChallenges = true;
    for (let i = 3; i < 5; i++) sandbox.sheets.insertRows(sheetId, [{ Key: `k${i}` }]);
    await sandbox.webhooks.idle();
    expect(received).toHaveLength(4);
    expect(sandbox.webhooks.get(hook.id)).toMatchObject({ enabled: false, status: 'DISABLED_VERIFICATION_FAILED' });
  });

  it('answers challenges from the header or the body, and nothing else', () => {
    expect(smartsheetChallengeResponse({ 'smartsheet-hook-challenge': 'abc' })).toEqual({
      status: 200,
      headers: { 'Smartsheet-Hook-Response': 'abc' },
      body: { smartsheetHookResponse: 'abc' },
    });
    expect(smartsheetChallengeResponse({}, Buffer.from('{"challenge":"xyz","webhookId":1}'))?.body).toEqual({
      smartsheetHookResponse: 'xyz',
    });
    expect(smartsheetChallengeResponse({}, { events: [] })).toBeNull();
    expect(
      connector.parseWebhook({
        method: 'POST',
        url: '/',
        headers: {},
        rawBody: Buffer.from('{"challenge":"xyz","webhookId":1}'),
      }),
    ).toEqual([]);
    expect(() =>
      connector.parseWebhook({ method: 'POST', url: '/', headers: {}, rawBody: Buffer.from('nope') }),
    ).toThrow(/not JSON/);
  });
});
