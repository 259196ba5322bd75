import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../contract.ts';
import { loadFixtureBytes } from './fixtures/load.ts';
import {
  parseSmartsheetWebhook,
  signSmartsheetCallback,
  smartsheetChallengeResponse,
  verifySmartsheetWebhook,
} from './webhooks.ts';

const SECRET = '216ejjzfoo17mq1q8xs7d4hu8b';
const body = loadFixtureBytes('webhook-callback.json');
const request = (rawBody: Buffer, headers: WebhookRequest['headers'] = {}): WebhookRequest => ({
  method: 'POST',
  url: '/hooks/s',
  headers,
  rawBody,
});

describe('Smartsheet callback signatures', () => {
  it('is the hex HMAC-SHA256 of the raw body keyed by the shared secret', () => {
    expect(signSmartsheetCallback(SECRET, body)).toBe(createHmac('sha256', SECRET).update(body).digest('hex'));
  });

  it('verifies, returning the nonce as the delivery id', () => {
    const signature = signSmartsheetCallback(SECRET, body);
    expect(verifySmartsheetWebhook(request(body, { 'smartsheet-hmac-sha256': signature }), SECRET)).toEqual({
      ok: true,
      deliveryId: '1739a3a7-e2fb-43e6-8488-90ca2fcaa3b8',
    });
    // Header names arrive lower-cased from Node, but a hand-built request may keep the vendor's case.
    expect(
      verifySmartsheetWebhook(request(body, { 'Smartsheet-Hmac-SHA256': signature.toUpperCase() }), SECRET),
    ).toMatchObject({ ok: true });
  });

  it('rejects missing, malformed and wrong signatures', () => {
    expect(verifySmartsheetWebhook(request(body), SECRET)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifySmartsheetWebhook(request(body, { 'smartsheet-hmac-sha256': 'sha256=zz' }), SECRET)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    const other = signSmartsheetCallback('other', body);
    expect(verifySmartsheetWebhook(request(body, { 'smartsheet-hmac-sha256': other }), SECRET)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const edited = Buffer.from(body.toString('utf8').replace('created', 'deleted'));
    const signature = signSmartsheetCallback(SECRET, body);
    expect(verifySmartsheetWebhook(request(edited, { 'smartsheet-hmac-sha256': signature }), SECRET)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
});

describe('parseSmartsheetWebhook', () => {
  it('returns skinny changes and nothing for verification or status-change callbacks', () => {
    expect(parseSmartsheetWebhook(request(body)).map((change) => change.action)).toEqual([
      'created',
      'updated',
      'deleted',
      'updated',
    ]);
    expect(parseSmartsheetWebhook(request(loadFixtureBytes('webhook-verification.json')))).toEqual([]);
    expect(parseSmartsheetWebhook(request(loadFixtureBytes('webhook-status-change.json')))).toEqual([]);
    expect(() => parseSmartsheetWebhook(request(Buffer.from('{"events":[]}')))).toThrow(/malformed/);
  });
});

describe('smartsheetChallengeResponse', () => {
  it('echoes the challenge in the header and the body', () => {
    const answer = smartsheetChallengeResponse({}, loadFixtureBytes('webhook-verification.json'));
    expect(answer).toEqual({
      status: 200,
      headers: { 'Smartsheet-Hook-Response': 'd78dd1d3-01ce-4481-81de-92b4f3aa5ab1' },
      body: { smartsheetHookResponse: 'd78dd1d3-01ce-4481-81de-92b4f3aa5ab1' },
    });
    expect(smartsheetChallengeResponse({}, body)).toBeNull();
    expect(smartsheetChallengeResponse({}, 'not json')).toBeNull();
  });
});
