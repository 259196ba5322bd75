import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../contract.ts';
import { parseRestWebhook, restWebhookHeaders, signRestWebhook, verifyRestWebhook } from './webhooks.ts';

const secret = 'whsec_test_secret';
const rawBody = readFileSync(new URL('./fixtures/webhook-record-updated.json', import.meta.url));
const now = new Date('2025-12-18T14:35:05Z');

function request(headers: Record<string, string>, body: Buffer = rawBody, at: Date = now): WebhookRequest {
  return { method: 'POST', url: '/api/webhooks/integrations/i1/receive', headers, rawBody: body, now: at };
}

describe('verifyRestWebhook', () => {
  const signed = restWebhookHeaders({ secret, deliveryId: 'evt_00001f', rawBody, now });

  it('accepts a correct signature and returns the delivery id', () => {
    expect(verifyRestWebhook(request(signed), secret)).toEqual({ ok: true, deliveryId: 'evt_00001f' });
  });

  it('signs `${timestamp}.${rawBody}` as hex HMAC-SHA256', () => {
    expect(signed['x-webhook-timestamp']).toBe(String(now.getTime() / 1000));
    expect(signed['x-webhook-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(signed['x-webhook-signature']).toBe(
      signRestWebhook(secret, signed['x-webhook-timestamp']!, rawBody.toString('utf8')),
    );
  });

  it('rejects a missing signature', () => {
    const { 'x-webhook-signature': _omit, ...rest } = signed;
    expect(verifyRestWebhook(request(rest), secret)).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('rejects a wrong secret, a changed body and a changed timestamp', () => {
    expect(verifyRestWebhook(request(signed), 'other')).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyRestWebhook(request(signed, Buffer.concat([rawBody, Buffer.from(' ')])), secret)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const moved = { ...signed, 'x-webhook-timestamp': String(Number(signed['x-webhook-timestamp']) + 1) };
    expect(verifyRestWebhook(request(moved), secret)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects timestamps more than 5 minutes old or ahead', () => {
    const late = new Date(now.getTime() + 5 * 60_000 + 1000);
    const early = new Date(now.getTime() - 5 * 60_000 - 1000);
    expect(verifyRestWebhook(request(signed, rawBody, late), secret)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyRestWebhook(request(signed, rawBody, early), secret)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyRestWebhook(request(signed, rawBody, new Date(now.getTime() + 4 * 60_000)), secret).ok).toBe(true);
  });

  it('calls a missing or non-numeric timestamp malformed', () => {
    const { 'x-webhook-timestamp': _omit, ...rest } = signed;
    expect(verifyRestWebhook(request(rest), secret)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyRestWebhook(request({ ...signed, 'x-webhook-timestamp': 'yesterday' }), secret)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('accepts any of several signatures (secret rotation) and a sha256= prefix', () => {
    const old = signRestWebhook('old-secret', signed['x-webhook-timestamp']!, rawBody);
    const header = `sha256=${old}, sha256=${signed['x-webhook-signature']}`;
    expect(verifyRestWebhook(request({ ...signed, 'x-webhook-signature': header }), secret).ok).toBe(true);
  });
});

describe('parseRestWebhook', () => {
  it('parses one event, an array, or { events }', () => {
    const event = JSON.parse(rawBody.toString('utf8')) as unknown;
    expect(parseRestWebhook(request({}))).toHaveLength(1);
    expect(parseRestWebhook(request({}, Buffer.from(JSON.stringify([event, event]))))).toHaveLength(2);
    expect(parseRestWebhook(request({}, Buffer.from(JSON.stringify({ events: [event] }))))[0]).toMatchObject({
      action: 'updated',
      externalId: 'rec_00000a',
      object: 'tasks',
    });
  });

  it('throws an invalid error on malformed bodies', () => {
    expect(() => parseRestWebhook(request({}, Buffer.from('not json')))).toThrow(
      expect.objectContaining({ kind: 'invalid' }),
    );
    expect(() => parseRestWebhook(request({}, Buffer.from('{"type":"record.updated"}')))).toThrow(/malformed/);
  });
});
