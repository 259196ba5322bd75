// classifyError for every class HubSpot produces, from real HTTP answers of the sandbox.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../src/contract.ts';
import { classifyHubSpotError } from '../src/hubspot/errors.ts';
import { createHubSpotSandbox } from '../src/hubspot/sandbox/index.ts';
import { startHubSpot, type HubSpotHarness } from '../src/hubspot/testing.ts';

let h: HubSpotHarness;
// Named properties: no discovery request before the call under test.
const CONTACTS = { object: 'contacts', keyField: 'syncbridge_id', options: { properties: ['email'] } };

beforeAll(async () => {
  h = await startHubSpot();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.faults.clear();
  h.sandbox.limiter.reset();
  h.sandbox.limiter.configure({ requestsPerWindow: 100, windowMs: 10_000 });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('expected a failure'),
    (error: unknown) => h.connector.classifyError(error),
  );

describe('HubSpot classifyError', () => {
  it('429 → rate_limited, waiting the rate-limit interval when there is no Retry-After', async () => {
    h.sandbox.limiter.configure({ requestsPerWindow: 1, windowMs: 2_000 });
    await h.connector.getRecords!(CONTACTS, ['1']);
    expect(await failure(h.connector.getRecords!(CONTACTS, ['1']))).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      code: 'RATE_LIMITS',
      retryAfterMs: 2_000,
    });
  });

  it('429 with Retry-After → that wait', async () => {
    const sandbox = createHubSpotSandbox({
      accessToken: 't',
      requestsPerWindow: 1,
      windowMs: 10_000,
      retryAfterHeader: true,
    });
    const server = await sandbox.start();
    try {
      const connector = h.connect({ accessToken: 't', basePath: server.url });
      await connector.getRecords!(CONTACTS, ['1']);
      const error = await connector.getRecords!(CONTACTS, ['1']).catch((e: unknown) => e);
      expect(connector.classifyError(error)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 10_000 });
    } finally {
      await server.close();
    }
  });

  it('5xx and dropped connections → retryable', async () => {
    for (const status of [500, 502, 503]) {
      h.sandbox.faults.failNext(1, 'error', { status });
      expect(await failure(h.connector.getRecords!(CONTACTS, ['1']))).toMatchObject({ kind: 'retryable', status });
    }
    h.sandbox.faults.failNext(1, 'drop');
    expect(await failure(h.connector.getRecords!(CONTACTS, ['1']))).toMatchObject({ kind: 'retryable' });
    const closed = h.connect({ basePath: 'http://127.0.0.1:9' });
    expect(await failure(closed.getRecords!(CONTACTS, ['1']))).toMatchObject({ kind: 'retryable' });
  });

  it('401 and 403 → auth', async () => {
    expect(await failure(h.connect({ accessToken: 'wrong' }).getRecords!(CONTACTS, ['1']))).toMatchObject({
      kind: 'auth',
      status: 401,
      code: 'INVALID_AUTHENTICATION',
    });
    const sandbox = createHubSpotSandbox({ accessToken: ['ro'], readOnlyTokens: ['ro'] });
    const server = await sandbox.start();
    try {
      const connector = h.connect({ accessToken: 'ro', basePath: server.url });
      const error = await connector
        .deleteBatch(CONTACTS, [{ internalId: 'a', externalId: '1' }])
        .catch((e: unknown) => e);
      expect(connector.classifyError(error)).toMatchObject({ kind: 'auth', status: 403, code: 'MISSING_SCOPES' });
    } finally {
      await server.close();
    }
  });

  it('other 4xx → invalid with the category as code', async () => {
    expect(await failure(h.connector.getRecords!({ object: 'nosuchtype' }, ['1']))).toMatchObject({
      kind: 'invalid',
      status: 400,
      code: 'VALIDATION_ERROR',
    });
  });

  it('passes ConnectorRequestError through and treats unknown throwables as retryable network errors', () => {
    const known = new ConnectorRequestError({ kind: 'invalid', message: 'bad' });
    expect(classifyHubSpotError(known)).toMatchObject({ kind: 'invalid', message: 'bad' });
    expect(classifyHubSpotError(new TypeError('fetch failed'))).toMatchObject({ kind: 'retryable' });
    expect(
      classifyHubSpotError({ code: 418, body: { category: 'TEAPOT', message: 'short' }, headers: {} }),
    ).toMatchObject({ kind: 'invalid', code: 'TEAPOT' });
  });
});
