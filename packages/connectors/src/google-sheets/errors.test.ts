// Classification of the error shapes googleapis hands back (a GaxiosError carries the HTTP response
// it got); the HTTP tests in test/google-sheets-errors.test.ts produce the same over real sockets.
import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../contract.ts';
import { classifySheetsError, googleBackoffMs } from './errors.ts';
import { loadFixture } from './fixtures/load.ts';

function responseError(status: number, data: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    config: { url: 'https://sheets.googleapis.com/v4/spreadsheets/x' },
    response: { status, data, headers: new Headers(headers) },
  });
}

const half = () => 0.5;

describe('classifySheetsError', () => {
  it('429 → rate_limited, truncated exponential backoff without Retry-After', () => {
    const error = responseError(429, loadFixture('error-429-quota.json'));
    expect(classifySheetsError(error, { random: half })).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      code: 'RATE_LIMIT_EXCEEDED',
      retryAfterMs: 1500,
      message: expect.stringContaining('Write requests per minute per user'),
    });
    expect(classifySheetsError(error, { random: half, quotaStreak: 3 }).retryAfterMs).toBe(8500);
    expect(classifySheetsError(error, { random: half, quotaStreak: 10 }).retryAfterMs).toBe(64_000);
  });

  it('Retry-After wins when present', () => {
    const error = responseError(429, loadFixture('error-429-quota.json'), { 'retry-after': '17' });
    expect(classifySheetsError(error).retryAfterMs).toBe(17_000);
  });

  it('403 with a quota reason → rate_limited; other 401/403 → auth', () => {
    expect(
      classifySheetsError(responseError(403, loadFixture('error-403-rate-limit.json')), { random: half }),
    ).toMatchObject({
      kind: 'rate_limited',
      code: 'userRateLimitExceeded',
      retryAfterMs: 1500,
    });
    expect(classifySheetsError(responseError(403, loadFixture('error-403-permission.json')))).toMatchObject({
      kind: 'auth',
      status: 403,
    });
    expect(
      classifySheetsError(responseError(401, { error: { code: 401, message: 'x', status: 'UNAUTHENTICATED' } })),
    ).toMatchObject({
      kind: 'auth',
      code: 'UNAUTHENTICATED',
    });
  });

  it('5xx and 408 → retryable; other 4xx → invalid', () => {
    for (const status of [500, 502, 503, 408])
      expect(classifySheetsError(responseError(status, '<html>')).kind).toBe('retryable');
    expect(classifySheetsError(responseError(400, loadFixture('error-400-range.json')))).toMatchObject({
      kind: 'invalid',
      status: 400,
      code: 'badRequest',
      message: 'HTTP 400 INVALID_ARGUMENT: Unable to parse range: Contcts!A1:Z',
    });
    expect(
      classifySheetsError(
        responseError(404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } }),
      ).kind,
    ).toBe('invalid');
  });

  it('token endpoint errors → auth (5xx there → retryable)', () => {
    expect(
      classifySheetsError(responseError(400, loadFixture('oauth-invalid-grant.json')), { stage: 'token' }),
    ).toMatchObject({
      kind: 'auth',
      code: 'invalid_grant',
      message: 'OAuth token request failed (HTTP 400): invalid_grant: Token has been expired or revoked.',
    });
    expect(classifySheetsError(responseError(503, { error: 'temporarily_unavailable' })).kind).toBe('retryable');
  });

  it('no response: network → retryable; unusable credentials → auth', () => {
    const refused = Object.assign(new Error('request to http://127.0.0.1:1/ failed'), {
      code: 'ECONNREFUSED',
      config: {},
    });
    expect(classifySheetsError(refused)).toMatchObject({
      kind: 'retryable',
      message: expect.stringMatching(/^network error/),
    });
    expect(classifySheetsError(new Error('No refresh token is set.'), { stage: 'token' }).kind).toBe('auth');
    const classified = new ConnectorRequestError({ kind: 'invalid', message: 'already classified', code: 'x' });
    expect(classifySheetsError(classified)).toMatchObject({ kind: 'invalid', code: 'x' });
  });

  it('backoff grows 1, 2, 4 … s plus under 1 s of jitter, capped', () => {
    expect([0, 1, 2, 5].map((n) => googleBackoffMs(n, () => 0))).toEqual([1000, 2000, 4000, 32_000]);
    expect(googleBackoffMs(0, () => 0.999)).toBe(1999);
    expect(googleBackoffMs(50, () => 0)).toBe(64_000);
  });
});
