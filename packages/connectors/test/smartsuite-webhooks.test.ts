// SmartSuite webhook verification (our shared-secret scheme from the S2 seed) and parsing.
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../src/contract.ts';
import { createSmartSuiteConnector } from '../src/smartsuite/index.ts';
import {
  parseSmartSuiteWebhook,
  signSmartSuiteWebhook,
  smartsuiteWebhookHeaders,
  SMARTSUITE_WEBHOOK_HEADERS,
  verifySmartSuiteWebhook,
} from '../src/smartsuite/webhooks.ts';

const SECRET = 'whsec-smartsuite-0123456789abcdef';
const NOW = new Date('2024-06-01T12:00:00Z');
const event = (kind: string, recordId = 'rec1', tableId = 'tbl1') => ({
  webhook_id: 'hook-1',
  locator: { account_id: 'ws', solution_id: 'sol' },
  event_id: `hook-1.${recordId}.${kind}`,
  kind,
  event_at: '2024-06-01T11:59:00.000000Z',
  record_event_data: {
    record_id: recordId,
    locator: { account_id: 'ws', solution_id: 'sol', application_id: tableId },
  },
});

function delivery(
  body: unknown,
  options: { at?: Date; secret?: string; key?: string; headers?: Record<string, string> } = {},
): WebhookRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  const headers = {
    ...smartsuiteWebhookHeaders({
      secret: options.secret ?? SECRET,
      rawBody,
      now: options.at ?? NOW,
      idempotencyKey: options.key,
    }),
    ...options.headers,
  };
  return { method: 'POST', url: '/api/webhooks/integrations/x/receive', headers, rawBody, now: NOW };
}

describe('SmartSuite webhook verification', () => {
  it('accepts a fresh, correctly signed delivery; its idempotency key is the delivery id', () => {
    expect(verifySmartSuiteWebhook(delivery(event('RECORD_UPDATED'), { key: 'evt-42' }), SECRET)).toEqual({
      ok: true,
      deliveryId: 'evt-42',
    });
    // Without a key the ingress falls back to the body's hash (the same bytes are the same delivery).
    expect(verifySmartSuiteWebhook(delivery(event('RECORD_UPDATED')), SECRET)).toEqual({ ok: true, deliveryId: null });
  });

  it('signs timestamp + raw body (seconds, no separator), as the seed did', () => {
    const request = delivery({ a: 1 });
    const timestamp = request.headers[SMARTSUITE_WEBHOOK_HEADERS.timestamp] as string;
    expect(timestamp).toBe(String(NOW.getTime() / 1000));
    expect(request.headers[SMARTSUITE_WEBHOOK_HEADERS.signature]).toBe(
      signSmartSuiteWebhook(SECRET, timestamp, '{"a":1}'),
    );
    // A `sha256=` prefix and a timestamp in milliseconds are accepted too.
    const ms = String(NOW.getTime() - 1000);
    const prefixed: WebhookRequest = {
      ...request,
      headers: {
        [SMARTSUITE_WEBHOOK_HEADERS.timestamp]: ms,
        [SMARTSUITE_WEBHOOK_HEADERS.signature]: `sha256=${signSmartSuiteWebhook(SECRET, ms, request.rawBody)}`,
      },
    };
    expect(verifySmartSuiteWebhook(prefixed, SECRET)).toMatchObject({ ok: true });
  });

  it('rejects a wrong signature: another secret, a changed body, a changed timestamp', () => {
    expect(verifySmartSuiteWebhook(delivery(event('RECORD_UPDATED'), { secret: 'other' }), SECRET)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const tampered = delivery(event('RECORD_UPDATED'));
    tampered.rawBody = Buffer.from(tampered.rawBody.toString().replace('rec1', 'rec2'));
    expect(verifySmartSuiteWebhook(tampered, SECRET)).toEqual({ ok: false, reason: 'bad_signature' });
    const shifted = delivery(event('RECORD_UPDATED'));
    shifted.headers[SMARTSUITE_WEBHOOK_HEADERS.timestamp] = String(NOW.getTime() / 1000 + 1);
    expect(verifySmartSuiteWebhook(shifted, SECRET)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects timestamps more than 5 minutes old or ahead, correctly signed or not', () => {
    const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
    expect(verifySmartSuiteWebhook(delivery(event('RECORD_UPDATED'), { at: minutes(-6) }), SECRET)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifySmartSuiteWebhook(delivery(event('RECORD_UPDATED'), { at: minutes(6) }), SECRET)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifySmartSuiteWebhook(delivery(event('RECORD_UPDATED'), { at: minutes(-4) }), SECRET)).toMatchObject({
      ok: true,
    });
  });

  it('tells missing and malformed headers apart', () => {
    const request = delivery(event('RECORD_UPDATED'));
    const without = (name: string) => ({ ...request, headers: { ...request.headers, [name]: undefined } });
    expect(verifySmartSuiteWebhook(without(SMARTSUITE_WEBHOOK_HEADERS.signature), SECRET)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifySmartSuiteWebhook(without(SMARTSUITE_WEBHOOK_HEADERS.timestamp), SECRET)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(
      verifySmartSuiteWebhook(
        { ...request, headers: { ...request.headers, [SMARTSUITE_WEBHOOK_HEADERS.timestamp]: 'yesterday' } },
        SECRET,
      ),
    ).toEqual({ ok: false, reason: 'malformed' });
    expect(
      verifySmartSuiteWebhook(
        { ...request, headers: { ...request.headers, [SMARTSUITE_WEBHOOK_HEADERS.signature]: 'abc' } },
        SECRET,
      ),
    ).toEqual({ ok: false, reason: 'malformed' });
  });

  it('gives a replayed delivery the same delivery id, so the ingress stores it once', () => {
    // The connector is stateless; the ingress dedupes on (integration, delivery id). A replay, even
    // re-signed with a fresh timestamp, names the same key.
    const first = verifySmartSuiteWebhook(delivery(event('RECORD_CREATED'), { key: 'evt-7' }), SECRET);
    const replay = verifySmartSuiteWebhook(
      delivery(event('RECORD_CREATED'), { key: 'evt-7', at: new Date(NOW.getTime() + 60_000) }),
      SECRET,
    );
    expect(first).toEqual({ ok: true, deliveryId: 'evt-7' });
    expect(replay).toEqual(first);
  });

  it('is what the connector uses', () => {
    const connector = createSmartSuiteConnector({ apiKey: 'k', accountId: 'a' });
    expect(connector.verifyWebhook(delivery(event('RECORD_UPDATED'), { key: 'k1' }), SECRET)).toEqual({
      ok: true,
      deliveryId: 'k1',
    });
    expect(connector.verifyWebhook(delivery(event('RECORD_UPDATED')), 'wrong')).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
});

describe('SmartSuite webhook parsing', () => {
  const parse = (body: unknown) =>
    parseSmartSuiteWebhook({ method: 'POST', url: '/', headers: {}, rawBody: Buffer.from(JSON.stringify(body)) });

  it('turns record events into skinny changes for the table named by the locator', () => {
    expect(parse(event('RECORD_CREATED'))).toEqual([
      { externalId: 'rec1', action: 'created', object: 'tbl1', occurredAt: '2024-06-01T11:59:00.000000Z' },
    ]);
    expect(
      parse({
        webhook_events: [event('RECORD_UPDATED', 'a'), event('RECORD_DELETED', 'b'), event('COMMENT_ADDED', 'c')],
      }),
    ).toEqual([
      { externalId: 'a', action: 'updated', object: 'tbl1', occurredAt: '2024-06-01T11:59:00.000000Z' },
      { externalId: 'b', action: 'deleted', object: 'tbl1', occurredAt: '2024-06-01T11:59:00.000000Z' },
    ]);
  });

  it("understands the seed's payload and never carries the record along", () => {
    const changes = parse({
      record_id: 'rec_9',
      event_type: 'record_updated',
      table_id: 'tbl9',
      data: { id: 'rec_9', title: 'old' },
    });
    expect(changes).toEqual([{ externalId: 'rec_9', action: 'updated', object: 'tbl9', occurredAt: null }]);
    expect(changes[0]).not.toHaveProperty('record');
  });

  it('refuses bodies it cannot read', () => {
    expect(() =>
      parseSmartSuiteWebhook({ method: 'POST', url: '/', headers: {}, rawBody: Buffer.from('nope') }),
    ).toThrow(/not JSON/);
    expect(() => parse({ kind: 'RECORD_UPDATED', record_event_data: {} })).toThrow(/without a record id/);
    expect(() => parse({ webhook_events: ['x'] })).toThrow(/not an object/);
  });
});
