// Every failure class, produced by the sandbox over real HTTP and classified by the connector.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResourceRef } from '../src/contract.ts';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';
import { createWebflowConnector, type WebflowConnectorOptions } from '../src/webflow/index.ts';
import { createWebflowSandbox, type WebflowSandbox } from '../src/webflow/sandbox/index.ts';
import { collect, timed } from './helpers.ts';

const TOKEN = 'wf-errors-token';
let sandbox: WebflowSandbox;
let server: SandboxServer;
let resource: ResourceRef;

const connect = (options: Partial<WebflowConnectorOptions> = {}) =>
  createWebflowConnector({ accessToken: TOKEN, baseUrl: `${server.url}/v2`, timeoutMs: 5000, ...options });

async function failure(connector: ReturnType<typeof connect>, run: () => Promise<unknown>) {
  const outcome = await timed(run);
  expect(outcome.error).toBeDefined();
  return { ...connector.classifyError(outcome.error), ms: outcome.ms };
}

beforeAll(async () => {
  sandbox = createWebflowSandbox({ accessToken: [TOKEN, 'read-only'], readOnlyTokens: ['read-only'] });
  server = await sandbox.start();
});
afterAll(() => server.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.limiter.reset();
  sandbox.limiter.configure({ requestsPerWindow: 60, windowMs: 60_000 });
  resource = { object: sandbox.collections.createCollection({ displayName: 'Errors' }).id, keyField: null };
});

describe('Webflow connector error classes', () => {
  it('429 → rate_limited with the Retry-After of the sliding window', async () => {
    sandbox.limiter.configure({ requestsPerWindow: 1, windowMs: 30_000 });
    const connector = connect();
    await collect(connector.listChanges(resource, null));
    const error = await failure(connector, () => collect(connector.listChanges(resource, null)));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, code: 'too_many_requests' });
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('an injected 429 is shaped like the limiter’s', async () => {
    const connector = connect();
    sandbox.faults.failNext(1, 'rate_limit');
    expect(await failure(connector, () => connector.discoverFields!(resource))).toMatchObject({
      kind: 'rate_limited',
      code: 'too_many_requests',
      retryAfterMs: 60_000,
    });
  });

  it('5xx, dropped connections, refused connections and timeouts → retryable', async () => {
    const connector = connect({ timeoutMs: 150 });
    for (const status of [500, 502, 503]) {
      sandbox.faults.failNext(1, 'error', { status });
      expect(await failure(connector, () => connector.discoverFields!(resource))).toMatchObject({
        kind: 'retryable',
        status,
      });
    }
    sandbox.faults.failNext(1, 'drop');
    expect((await failure(connector, () => connector.discoverFields!(resource))).kind).toBe('retryable');
    sandbox.faults.failNext(1, 'timeout');
    const timedOut = await failure(connector, () => connector.discoverFields!(resource));
    expect(timedOut.kind).toBe('retryable');
    expect(timedOut.ms).toBeLessThan(3000);
    sandbox.faults.releaseHanging();
    const refused = createWebflowConnector({ accessToken: TOKEN, baseUrl: 'http://127.0.0.1:9/v2', timeoutMs: 2000 });
    expect((await failure(refused, () => refused.discoverFields!(resource))).kind).toBe('retryable');
  });

  it('401 and 403 → auth', async () => {
    const bad = connect({ accessToken: 'wrong' });
    expect(await failure(bad, () => bad.discoverFields!(resource))).toMatchObject({
      kind: 'auth',
      status: 401,
      code: 'not_authorized',
    });
    const readOnly = connect({ accessToken: 'read-only' });
    const denied = await readOnly
      .upsertBatch(resource, [{ internalId: 'a', externalId: null, fields: { name: 'A' } }])
      .catch((error: unknown) => error);
    expect(readOnly.classifyError(denied)).toMatchObject({ kind: 'auth', status: 403, code: 'missing_scopes' });
  });

  it('other 4xx → invalid with the Webflow code', async () => {
    const connector = connect();
    const missing = { object: 'ffffffffffffffffffffffff' };
    expect(await failure(connector, () => connector.discoverFields!(missing))).toMatchObject({
      kind: 'invalid',
      status: 404,
      code: 'resource_not_found',
    });
    const [result] = await connector.upsertBatch(resource, [
      { internalId: 'a', externalId: null, fields: { name: 'Bad', slug: 'Not A Slug' } },
    ]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid', status: 400, code: 'validation_error' } });
    // Without a name the SDK refuses the body before sending: the connector fails the item alone.
    const [nameless, named] = await connector.upsertBatch(resource, [
      { internalId: 'b', externalId: null, fields: { slug: 'no-name' } },
      { internalId: 'c', externalId: null, fields: { name: 'Named' } },
    ]);
    expect(nameless).toMatchObject({ ok: false, error: { kind: 'invalid', code: 'validation_error' } });
    expect(named).toMatchObject({ ok: true });
    expect(await failure(connector, () => connector.discoverFields!({ object: 'not a valid id!' }))).toMatchObject({
      kind: 'invalid',
    });
  });
});
