// classifyError for every class Asana produces, from real HTTP answers of the sandbox (through the
// SDK's superagent transport).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAsanaConnector } from '../src/asana/index.ts';
import { ASANA_API_PATH, createAsanaSandbox } from '../src/asana/sandbox/index.ts';
import { startAsana, type AsanaHarness } from '../src/asana/testing.ts';

let h: AsanaHarness;

beforeAll(async () => {
  h = await startAsana();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.faults.clear();
  h.sandbox.limiter.reset();
  h.sandbox.limiter.configure({ requestsPerWindow: 150, windowMs: 60_000 });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('expected a failure'),
    (error: unknown) => h.connector.classifyError(error),
  );
const getOne = (connector = h.connector) => connector.getRecords!(h.tasks, ['1']);

describe('Asana classifyError', () => {
  it('429 → rate_limited, waiting what Retry-After says', async () => {
    h.sandbox.limiter.configure({ requestsPerWindow: 2, windowMs: 45_000 });
    await getOne();
    await getOne();
    const limited = await failure(getOne());
    expect(limited).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(limited.retryAfterMs).toBeGreaterThan(40_000);
    expect(limited.retryAfterMs).toBeLessThanOrEqual(45_000);
    expect(limited.message).toContain("You've made too many requests");
  });

  it('150 requests a minute per token: the 151st is refused, another token is not', async () => {
    const sandbox = createAsanaSandbox({ accessToken: ['a', 'b'] });
    const project = sandbox.store.addProject({ name: 'Limit' });
    const server = await sandbox.start();
    try {
      const basePath = `${server.url}${ASANA_API_PATH}`;
      const a = createAsanaConnector({ accessToken: 'a', basePath });
      const b = createAsanaConnector({ accessToken: 'b', basePath });
      const ref = { object: project.gid };
      for (let i = 0; i < 150; i++) await a.getRecords!(ref, ['1']);
      const refused = await a.getRecords!(ref, ['1']).then(
        () => null,
        (error: unknown) => a.classifyError(error),
      );
      expect(refused).toMatchObject({ kind: 'rate_limited', status: 429 });
      expect(refused!.retryAfterMs).toBeGreaterThanOrEqual(59_000);
      expect(await b.getRecords!(ref, ['1'])).toEqual([]);
      expect(sandbox.counters.maxRequestsInWindow(60_000)).toBe(151);
      expect(sandbox.limiter.rejected).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('401 and 403 → auth', async () => {
    expect(await failure(getOne(h.connect({ accessToken: 'wrong' })))).toMatchObject({
      kind: 'auth',
      status: 401,
      message: 'HTTP 401: Not Authorized',
    });
    h.sandbox.faults.failNext(1, 'error', { status: 403 });
    expect(await failure(getOne())).toMatchObject({ kind: 'auth', status: 403 });
  });

  it('400 → invalid, with Asana’s messages; 404 → invalid', async () => {
    const answered = await h.connector.upsertBatch(h.tasks, [
      { internalId: 'x', externalId: null, fields: { name: 'n', due_on: 'soon', completed: 'yes' } },
    ]);
    expect(answered[0]).toMatchObject({
      ok: false,
      error: {
        kind: 'invalid',
        status: 400,
        message: 'HTTP 400: completed: Not a boolean: "yes"; due_on: Invalid date value: soon',
      },
    });
    const unknown = await h.connector.upsertBatch(h.tasks, [
      { internalId: 'y', externalId: '404404', fields: { name: 'n' } },
    ]);
    expect(unknown[0]).toMatchObject({
      ok: false,
      error: { kind: 'invalid', status: 404, message: 'HTTP 404: Unknown object: 404404' },
    });
  });

  it('5xx (Asana’s phrase body), dropped connections and timeouts → retryable', async () => {
    h.sandbox.faults.failNext(1, 'error', { status: 500 });
    expect(await failure(getOne())).toMatchObject({
      kind: 'retryable',
      status: 500,
      message: 'HTTP 500: Server Error',
    });
    h.sandbox.faults.failNext(1, 'error', { status: 503 });
    expect(await failure(getOne())).toMatchObject({ kind: 'retryable', status: 503 });
    h.sandbox.faults.failNext(1, 'drop');
    const dropped = await failure(getOne());
    expect(dropped.kind).toBe('retryable');
    expect(dropped.status).toBeUndefined();
    h.sandbox.faults.failNext(1, 'timeout');
    const started = performance.now();
    const timedOut = await failure(getOne(h.connect({ timeoutMs: 200 })));
    expect(timedOut).toMatchObject({ kind: 'retryable', message: expect.stringMatching(/^timeout/) });
    expect(performance.now() - started).toBeLessThan(5_000);
    h.sandbox.faults.releaseHanging();
  });

  it('an unreachable server → retryable', async () => {
    const nowhere = createAsanaConnector({ accessToken: 't', basePath: 'http://127.0.0.1:9/api/1.0' });
    const error = await nowhere.getRecords!(h.tasks, ['1']).then(
      () => null,
      (thrown: unknown) => nowhere.classifyError(thrown),
    );
    expect(error).toMatchObject({ kind: 'retryable', message: expect.stringContaining('ECONNREFUSED') });
    expect(await nowhere.testConnection()).toMatchObject({ ok: false, error: { kind: 'retryable' } });
  });
});
