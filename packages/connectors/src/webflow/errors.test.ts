import { Webflow, WebflowError, WebflowTimeoutError } from 'webflow-api';
import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../contract.ts';
import { blamedItemIndexes, classifyWebflowError } from './errors.ts';
import { loadFixture } from './fixtures/load.ts';

const raw = (status: number, headers: Record<string, string> = {}) =>
  ({
    headers: new Headers(headers),
    status,
    statusText: '',
    redirected: false,
    type: 'basic',
    url: 'https://api.webflow.com/v2/x',
  }) as const;

describe('classifyWebflowError', () => {
  it('429 → rate_limited with Retry-After (or 60 s without it)', () => {
    const body = loadFixture('error-rate-limit.json') as Webflow.Error_;
    expect(classifyWebflowError(new Webflow.TooManyRequestsError(body, raw(429, { 'Retry-After': '17' })))).toEqual({
      kind: 'rate_limited',
      status: 429,
      code: 'too_many_requests',
      message: 'HTTP 429 (too_many_requests): Too many requests',
      retryAfterMs: 17_000,
    });
    expect(classifyWebflowError(new Webflow.TooManyRequestsError(body, raw(429))).retryAfterMs).toBe(60_000);
  });

  it('5xx, timeouts and network failures → retryable', () => {
    expect(classifyWebflowError(new Webflow.InternalServerError({ code: 'internal_error' }, raw(500)))).toMatchObject({
      kind: 'retryable',
      status: 500,
    });
    expect(
      classifyWebflowError(new WebflowError({ statusCode: 503, body: 'upstream', rawResponse: raw(503) })).kind,
    ).toBe('retryable');
    expect(classifyWebflowError(new WebflowTimeoutError('Timeout exceeded'))).toMatchObject({ kind: 'retryable' });
    expect(classifyWebflowError(new WebflowError({ message: 'fetch failed' })).kind).toBe('retryable');
    expect(classifyWebflowError(new TypeError('fetch failed')).kind).toBe('retryable');
  });

  it('401/403 → auth; other 4xx → invalid with the Webflow code', () => {
    expect(
      classifyWebflowError(
        new Webflow.UnauthorizedError({ code: 'not_authorized', message: 'Request not authorized' }, raw(401)),
      ),
    ).toMatchObject({
      kind: 'auth',
      code: 'not_authorized',
    });
    expect(classifyWebflowError(new Webflow.ForbiddenError({ code: 'missing_scopes' }, raw(403))).kind).toBe('auth');
    expect(
      classifyWebflowError(new Webflow.BadRequestError(loadFixture('error-validation.json'), raw(400))),
    ).toMatchObject({
      kind: 'invalid',
      status: 400,
      code: 'validation_error',
    });
    expect(classifyWebflowError(new Webflow.NotFoundError({ code: 'resource_not_found' }, raw(404)))).toMatchObject({
      kind: 'invalid',
      code: 'resource_not_found',
    });
    expect(classifyWebflowError(new Webflow.ConflictError({ code: 'conflict' }, raw(409))).kind).toBe('invalid');
  });

  it('keeps an already classified error', () => {
    const error = new ConnectorRequestError({ kind: 'auth', message: 'nope' });
    expect(classifyWebflowError(error)).toEqual(error.toJSON());
  });
});

describe('blamedItemIndexes', () => {
  it('maps bulk details to item positions', () => {
    expect(blamedItemIndexes(loadFixture('error-validation.json'))).toEqual(
      new Map([
        [1, "items[1].fieldData.slug: Unique value is already in database: 'hello-webhook'"],
        [3, "items[3].fieldData.price: Expected a number for 'price'"],
      ]),
    );
    expect(blamedItemIndexes({ code: 'validation_error', details: [{ param: 'fieldData.name' }] }).size).toBe(0);
    expect(blamedItemIndexes('not json').size).toBe(0);
  });
});

describe('SDK body validation', () => {
  it('a body the SDK refuses before sending → invalid', () => {
    const error = Object.assign(new Error('items -> [0] -> fieldData: Missing required key "name"'), {
      errors: [{ path: ['items', '[0]', 'fieldData'], message: 'Missing required key "name"' }],
    });
    expect(classifyWebflowError(error)).toMatchObject({ kind: 'invalid', code: 'request_rejected_by_sdk' });
  });
});
