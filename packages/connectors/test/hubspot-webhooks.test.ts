// Signature v3 end to end: the sandbox signs real deliveries, the connector verifies and parses them.
import { Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../src/contract.ts';
import { signHubSpotWebhook } from '../src/hubspot/webhooks.ts';
import { startReceiver } from './helpers.ts';
import { startHubSpot, type HubSpotHarness } from '../src/hubspot/testing.ts';

const SECRET = 'app-client-secret';
let h: HubSpotHarness;

beforeAll(async () => {
  h = await startHubSpot();
});
afterAll(() => h.close());

function request(
  overrides: Partial<WebhookRequest> & { body?: string; timestamp?: number; signature?: string } = {},
): WebhookRequest {
  const body =
    overrides.body ??
    JSON.stringify([{ eventId: 1, subscriptionType: 'contact.creation', objectId: 7, occurredAt: 1_700_000_000_000 }]);
  const timestamp = overrides.timestamp ?? Date.now();
  const url = overrides.url ?? '/api/webhooks/integrations/abc/receive?portal=1';
  const signature =
    overrides.signature ??
    signHubSpotWebhook({
      clientSecret: SECRET,
      method: 'POST',
      uri: `https://app.example.com${url}`,
      rawBody: body,
      timestampMs: timestamp,
    });
  return {
    method: 'POST',
    url,
    headers: {
      host: 'app.example.com',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': String(timestamp),
      ...overrides.headers,
    },
    rawBody: Buffer.from(body),
    now: overrides.now,
  };
}

describe('HubSpot webhooks (signature v3)', () => {
  it('verifies deliveries the sandbox signed, and parses them into skinny changes', async () => {
    const receiver = await startReceiver();
    try {
      h.sandbox.webhooks.configure({ targetUrl: receiver.url, clientSecret: SECRET, retryDelayMs: 0 });
      const contact = h.sandbox.objects.contacts.create({ email: 'hook@example.com' });
      h.sandbox.objects.contacts.update(contact.id, { firstname: 'A', lastname: 'B' });
      h.sandbox.objects.contacts.archive(contact.id);
      await h.sandbox.webhooks.idle();
      await receiver.waitFor(3);
      const origin = new URL(receiver.url).origin;
      const connector = h.connect({ webhookPublicOrigin: origin });
      const changes = receiver.received.map((delivery) => {
        const incoming: WebhookRequest = {
          method: 'POST',
          url: delivery.url,
          headers: delivery.headers,
          rawBody: delivery.rawBody,
        };
        expect(connector.verifyWebhook(incoming, SECRET)).toMatchObject({
          ok: true,
          deliveryId: expect.stringMatching(/^[0-9a-f]{32}$/),
        });
        expect(connector.verifyWebhook(incoming, 'other-secret')).toEqual({ ok: false, reason: 'bad_signature' });
        return connector.parseWebhook(incoming);
      });
      expect(changes).toEqual([
        [{ object: 'contacts', externalId: contact.id, action: 'created', occurredAt: expect.any(String) }],
        [{ object: 'contacts', externalId: contact.id, action: 'updated', occurredAt: expect.any(String) }],
        [{ object: 'contacts', externalId: contact.id, action: 'deleted', occurredAt: expect.any(String) }],
      ]);
    } finally {
      h.sandbox.webhooks.configure(null);
      await receiver.close();
    }
  });

  it('accepts a good signature (the SDK’s own helper agrees) and rejects bad, stale, future and missing ones', () => {
    const connector = h.connector;
    const good = request();
    expect(connector.verifyWebhook(good, SECRET)).toMatchObject({ ok: true });
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        method: 'POST',
        url: 'https://app.example.com/api/webhooks/integrations/abc/receive?portal=1',
        clientSecret: SECRET,
        requestBody: good.rawBody.toString(),
        signature: String(good.headers['x-hubspot-signature-v3']),
        timestamp: Number(good.headers['x-hubspot-request-timestamp']),
      }),
    ).toBe(true);
    const tampered = { ...good, rawBody: Buffer.from(good.rawBody.toString().replace('7', '8')) };
    expect(connector.verifyWebhook(tampered, SECRET)).toEqual({ ok: false, reason: 'bad_signature' });
    const stale = request({ timestamp: Date.now() - 5 * 60 * 1000 - 1000 });
    expect(connector.verifyWebhook(stale, SECRET)).toEqual({ ok: false, reason: 'stale_timestamp' });
    const future = request({ timestamp: Date.now() + 10 * 60 * 1000 });
    expect(connector.verifyWebhook(future, SECRET)).toEqual({ ok: false, reason: 'stale_timestamp' });
    const fresh = request({ timestamp: Date.now() - 4 * 60 * 1000 });
    expect(connector.verifyWebhook(fresh, SECRET)).toMatchObject({ ok: true });
    expect(connector.verifyWebhook({ ...good, headers: { host: 'app.example.com' } }, SECRET)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(
      connector.verifyWebhook(request({ headers: { 'x-hubspot-request-timestamp': 'yesterday' } }), SECRET),
    ).toEqual({ ok: false, reason: 'malformed' });
  });

  it('signs the full URI: X-Forwarded-Proto/Host count, and HubSpot’s decoded escapes match', () => {
    const body = '[]';
    const timestamp = Date.now();
    const signature = signHubSpotWebhook({
      clientSecret: SECRET,
      method: 'POST',
      uri: 'http://hooks.internal:8080/in?x=a:b',
      rawBody: body,
      timestampMs: timestamp,
    });
    const forwarded: WebhookRequest = {
      method: 'POST',
      url: '/in?x=a%3Ab',
      headers: {
        host: 'localhost',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'hooks.internal:8080',
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': String(timestamp),
      },
      rawBody: Buffer.from(body),
    };
    expect(h.connector.verifyWebhook(forwarded, SECRET)).toMatchObject({ ok: true, deliveryId: null });
    expect(h.connector.verifyWebhook({ ...forwarded, url: '/other' }, SECRET)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('folds events per object (deleted > created > updated) and handles merges', () => {
    const body = JSON.stringify([
      { eventId: 1, subscriptionType: 'contact.propertyChange', objectId: 5, occurredAt: 1000, propertyName: 'email' },
      { eventId: 2, subscriptionType: 'contact.creation', objectId: 5, occurredAt: 900 },
      { eventId: 3, subscriptionType: 'contact.deletion', objectId: 6, occurredAt: 1100 },
      {
        eventId: 4,
        subscriptionType: 'contact.merge',
        objectId: 8,
        primaryObjectId: 8,
        mergedObjectIds: [8, 9],
        occurredAt: 1200,
      },
      { eventId: 5, subscriptionType: 'contact.unknownThing', objectId: 10 },
    ]);
    expect(h.connector.parseWebhook(request({ body }))).toEqual([
      { object: 'contacts', externalId: '5', action: 'created', occurredAt: new Date(1000).toISOString() },
      { object: 'contacts', externalId: '6', action: 'deleted', occurredAt: new Date(1100).toISOString() },
      { object: 'contacts', externalId: '8', action: 'updated', occurredAt: new Date(1200).toISOString() },
      { object: 'contacts', externalId: '9', action: 'deleted', occurredAt: new Date(1200).toISOString() },
    ]);
    expect(() => h.connector.parseWebhook(request({ body: '{"not":"an array"}' }))).toThrow();
  });
});
