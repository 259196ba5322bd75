import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../contract.ts';
import { ZApiError } from './api-types.ts';
import { classifySmartsheetError, fromRowError } from './errors.ts';
import { loadFixture } from './fixtures/load.ts';
import { handleSmartsheetResponse } from './transport.ts';

const sdkError = (statusCode: number, errorCode?: number, retryAfterMs?: number) => ({
  statusCode,
  errorCode,
  message: 'm',
  retryAfterMs,
});

describe('classifySmartsheetError', () => {
  it('429 or 4003 → rate_limited, with Retry-After or 60 s', () => {
    expect(classifySmartsheetError(sdkError(429, 4003, 12_000))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 12_000,
      code: 4003,
    });
    expect(classifySmartsheetError(sdkError(429, 4003))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 });
    expect(classifySmartsheetError(sdkError(400, 4003))).toMatchObject({ kind: 'rate_limited' });
  });

  it('4004, 4000–4002, 5xx and network failures → retryable', () => {
    for (const [status, code] of [
      [500, 4004],
      [500, 4000],
      [503, 4001],
      [500, 4002],
      [502, undefined],
    ] as const) {
      expect(classifySmartsheetError(sdkError(status, code))).toMatchObject({ kind: 'retryable', status });
    }
    expect(
      classifySmartsheetError({ statusCode: 0, message: 'network error: ECONNRESET', network: true }),
    ).toMatchObject({ kind: 'retryable' });
    expect(classifySmartsheetError(new Error('socket hang up'))).toMatchObject({ kind: 'retryable' });
  });

  it('401/403 → auth; other 4xx → invalid', () => {
    expect(classifySmartsheetError(sdkError(401, 1002))).toMatchObject({ kind: 'auth' });
    expect(classifySmartsheetError(sdkError(403, 1004))).toMatchObject({ kind: 'auth' });
    expect(classifySmartsheetError(sdkError(404, 1006))).toMatchObject({ kind: 'invalid', code: 1006 });
    expect(classifySmartsheetError(sdkError(400, 1042))).toMatchObject({ kind: 'invalid' });
  });

  it('passes ConnectorRequestErrors through', () => {
    const error = new ConnectorRequestError({ kind: 'auth', message: 'x', status: 403 });
    expect(classifySmartsheetError(error)).toEqual(error.toJSON());
  });

  it('classifies row failures by code', () => {
    expect(fromRowError({ errorCode: 1042, message: 'bad' })).toEqual({ kind: 'invalid', code: 1042, message: 'bad' });
    expect(fromRowError({ errorCode: 4004, message: 'busy' })).toMatchObject({ kind: 'retryable' });
    expect(fromRowError({ errorCode: 4003, message: 'slow down' })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 60_000,
    });
  });
});

describe('handleSmartsheetResponse (the SDK hook)', () => {
  it('keeps the error body and Retry-After, which the SDK would otherwise strip', () => {
    const body = ZApiError.parse(loadFixture('error-rate-limit.json'));
    const handled = handleSmartsheetResponse({ status: 429, headers: { 'retry-after': '17' }, data: body });
    expect(handled).toEqual({
      statusCode: 429,
      errorCode: 4003,
      message: 'Rate limit exceeded.',
      refId: 'z8cx0a1pl6k2',
      retryAfterMs: 17_000,
    });
    expect(handleSmartsheetResponse({ status: 200, headers: {}, data: { ok: 1 } })).toEqual({
      statusCode: 200,
      content: { ok: 1 },
    });
    expect(handleSmartsheetResponse({ status: 502, headers: {}, data: '<html>bad gateway</html>' })).toMatchObject({
      statusCode: 502,
      message: '<html>bad gateway</html>',
    });
    expect(handleSmartsheetResponse(undefined)).toMatchObject({ statusCode: 0, network: true });
  });
});
