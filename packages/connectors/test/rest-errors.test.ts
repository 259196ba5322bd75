// How the REST connector classifies failures the sandbox produces over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorRequestError, type Connector, type ResourceRef } from '../src/contract.ts';
import { collect, startRest, timed, type RestHarness } from './helpers.ts';

let h: RestHarness;
beforeAll(async () => {
  h = await startRest({ requestsPerWindow: 3, windowMs: 60_000 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.faults.clear();
  h.sandbox.limiter.reset();
  h.sandbox.limiter.configure({ requestsPerWindow: 3, windowMs: 60_000 });
});

const tasks: ResourceRef = { object: 'tasks' };

async function failure(connector: Connector, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    return connector.classifyError(error);
  }
  throw new Error('expected the call to fail');
}

describe('REST connector error classes', () => {
  it('401 → auth', async () => {
    const connector = h.connect({ token: 'revoked' });
    expect(await failure(connector, () => collect(connector.listChanges(tasks, null)))).toMatchObject({
      kind: 'auth',
      status: 401,
    });
  });

  it('429 from the limiter → rate_limited with retryAfterMs from Retry-After', async () => {
    const c = h.connector;
    for (let i = 0; i < 3; i++) await collect(c.listChanges(tasks, null));
    const error = await failure(c, () => collect(c.listChanges(tasks, null)));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(error.retryAfterMs! % 1000).toBe(0);
  });

  it('injected 429 → rate_limited, on writes too', async () => {
    h.sandbox.faults.failNext(1, 'rate_limit');
    const error = await failure(h.connector, () =>
      h.connector.upsertBatch(tasks, [{ internalId: 'a', externalId: null, fields: {} }]),
    );
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 });
  });

  it('injected 5xx → retryable', async () => {
    for (const status of [500, 502, 503]) {
      h.sandbox.faults.failNext(1, 'error', { status });
      expect(await failure(h.connector, () => collect(h.connector.listChanges(tasks, null)))).toMatchObject({
        kind: 'retryable',
        status,
      });
    }
  });

  it('dropped connection → retryable', async () => {
    h.sandbox.faults.failNext(1, 'drop');
    const error = await failure(h.connector, () =>
      h.connector.deleteBatch(tasks, [{ internalId: 'a', externalId: 'rec_1' }]),
    );
    expect(error).toMatchObject({ kind: 'retryable', message: expect.stringMatching(/^network error/) });
  });

  it('timeout → retryable, after about timeoutMs', async () => {
    const connector = h.connect({ timeoutMs: 150 });
    h.sandbox.faults.failNext(1, 'timeout');
    const result = await timed(() => collect(connector.listChanges(tasks, null)));
    expect(result.ms).toBeGreaterThanOrEqual(140);
    expect(result.ms).toBeLessThan(5000);
    expect(connector.classifyError(result.error)).toMatchObject({ kind: 'retryable' });
  });

  it('latency is added to every request', async () => {
    h.sandbox.faults.set({ latencyMs: 100 });
    const result = await timed(() => h.connector.testConnection());
    expect(result.ms).toBeGreaterThanOrEqual(95);
    expect(result.value).toMatchObject({ ok: true });
    expect(result.value!.latencyMs).toBeGreaterThanOrEqual(95);
  });

  it('other 4xx → invalid; unknown throwables → retryable', async () => {
    await h.connector.upsertBatch(tasks, []);
    h.sandbox.maxBatch = 1;
    const connector = h.connect({ maxBatchSize: 2 });
    try {
      const error = await failure(connector, () =>
        connector.upsertBatch(tasks, [
          { internalId: 'a', externalId: null, fields: {} },
          { internalId: 'b', externalId: null, fields: {} },
        ]),
      );
      expect(error).toMatchObject({ kind: 'invalid', status: 413, message: expect.stringContaining('at most 1') });
    } finally {
      h.sandbox.maxBatch = 100;
    }
    expect(h.connector.classifyError(new TypeError('fetch failed'))).toMatchObject({ kind: 'retryable' });
    const coded = new ConnectorRequestError({ kind: 'auth', message: 'x', status: 403 });
    expect(h.connector.classifyError(coded)).toMatchObject({ kind: 'auth', status: 403 });
  });
});
