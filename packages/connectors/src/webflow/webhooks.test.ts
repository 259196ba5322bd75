import { describe, expect, it } from 'vitest';
import { loadFixtureBytes } from './fixtures/load.ts';
import { parseWebflowWebhook, signWebflowWebhook, verifyWebflowWebhook, webflowWebhookHeaders } from './webhooks.ts';

const SECRET = 'client-secret';
const NOW = new Date('2024-06-12T14:55:00.000Z');

function request(rawBody: Buffer, headers: Record<string, string>, now = NOW) {
  return { method: 'POST', url: '/webhooks/webflow', headers, rawBody, now };
}

describe('Webflow webhook signature', () => {
  const body = loadFixtureBytes('webhook-item-created.json');

  it('accepts a fresh, correctly signed delivery and derives a stable delivery id from the body', () => {
    const headers = webflowWebhookHeaders({ secret: SECRET, rawBody: body, now: NOW });
    expect(headers['x-webflow-timestamp']).toBe(String(NOW.getTime()));
    expect(headers['x-webflow-signature']).toBe(signWebflowWebhook(SECRET, NOW.getTime(), body));
    const first = verifyWebflowWebhook(request(body, headers), SECRET);
    const retried = verifyWebflowWebhook(
      request(body, webflowWebhookHeaders({ secret: SECRET, rawBody: body, now: new Date(NOW.getTime() + 1000) })),
      SECRET,
    );
    expect(first).toEqual({ ok: true, deliveryId: expect.stringMatching(/^wf_[0-9a-f]{32}$/) });
    expect(retried).toEqual(first);
  });

  it('rejects a bad signature, a changed body, a wrong secret, stale or future timestamps and missing headers', () => {
    const headers = webflowWebhookHeaders({ secret: SECRET, rawBody: body, now: NOW });
    expect(verifyWebflowWebhook(request(body, { ...headers, 'x-webflow-signature': 'ab'.repeat(32) }), SECRET)).toEqual(
      { ok: false, reason: 'bad_signature' },
    );
    expect(verifyWebflowWebhook(request(Buffer.concat([body, Buffer.from(' ')]), headers), SECRET)).toMatchObject({
      reason: 'bad_signature',
    });
    expect(verifyWebflowWebhook(request(body, headers), 'other-secret')).toMatchObject({ reason: 'bad_signature' });
    const later = new Date(NOW.getTime() + 5 * 60 * 1000 + 1);
    expect(verifyWebflowWebhook(request(body, headers, later), SECRET)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    const earlier = new Date(NOW.getTime() - 5 * 60 * 1000 - 1);
    expect(verifyWebflowWebhook(request(body, headers, earlier), SECRET)).toMatchObject({ reason: 'stale_timestamp' });
    expect(verifyWebflowWebhook(request(body, {}), SECRET)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(
      verifyWebflowWebhook(request(body, { 'x-webflow-signature': headers['x-webflow-signature']! }), SECRET),
    ).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('parseWebflowWebhook', () => {
  it('created and changed carry the record; deleted only the id', () => {
    const created = parseWebflowWebhook(request(loadFixtureBytes('webhook-item-created.json'), {}));
    expect(created).toEqual([
      {
        object: '6669b7d4aa5db2e3a3e7b29e',
        externalId: '6669b7e6dfa0ec2d3b7e5c5b',
        action: 'created',
        occurredAt: '2024-06-12T14:54:30.345Z',
        record: {
          id: '6669b7e6dfa0ec2d3b7e5c5b',
          fields: { name: 'Hello Webhook', slug: 'hello-webhook', 'syncbridge-id': 'local-7' },
          updatedAt: '2024-06-12T14:54:30.345Z',
        },
      },
    ]);
    const changed = parseWebflowWebhook(request(loadFixtureBytes('webhook-item-changed.json'), {}));
    expect(changed[0]).toMatchObject({ action: 'updated', record: { fields: { name: 'Hello Again' } } });
    expect(parseWebflowWebhook(request(loadFixtureBytes('webhook-item-deleted.json'), {}))).toEqual([
      {
        object: '6669b7d4aa5db2e3a3e7b29e',
        externalId: '6669b7e6dfa0ec2d3b7e5c5b',
        action: 'deleted',
        occurredAt: null,
      },
    ]);
  });

  it('ignores other trigger types and rejects malformed bodies', () => {
    expect(parseWebflowWebhook(request(Buffer.from('{"triggerType":"site_publish","payload":{}}'), {}))).toEqual([]);
    expect(() => parseWebflowWebhook(request(Buffer.from('nope'), {}))).toThrow(/not JSON/);
    expect(() =>
      parseWebflowWebhook(request(Buffer.from('{"triggerType":"collection_item_changed","payload":{}}'), {})),
    ).toThrow(/item id/);
  });
});
