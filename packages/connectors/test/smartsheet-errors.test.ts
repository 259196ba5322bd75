// How the Smartsheet connector classifies failures the sandbox produces over real HTTP, and that
// the sandbox holds Smartsheet's 300-requests-a-minute limit under a burst.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, ResourceRef } from '../src/contract.ts';
import { createSmartsheetConnector, type SmartsheetConnectorOptions } from '../src/smartsheet/index.ts';
import { createSmartsheetSandbox, type SmartsheetSandbox } from '../src/smartsheet/sandbox/index.ts';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';
import { collect, timed } from './helpers.ts';

const TOKEN = 'errors-token';
const READER = 'read-only-token';
let sandbox: SmartsheetSandbox;
let server: SandboxServer;
let sheet: ResourceRef;

const connect = (options: Partial<SmartsheetConnectorOptions> = {}) =>
  createSmartsheetConnector({ accessToken: TOKEN, baseUrl: `${server.url}/2.0`, ...options });

async function failure(connector: Connector, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    return connector.classifyError(error);
  }
  throw new Error('expected the call to fail');
}

const create = (i: number) => ({ internalId: `r${i}`, externalId: null, fields: { Name: `Row ${i}` } });

beforeAll(async () => {
  sandbox = createSmartsheetSandbox({ accessToken: [TOKEN, READER], readOnlyTokens: [READER] });
  server = await sandbox.start();
  sheet = { object: String(sandbox.sheets.createSheet({ name: 'Errors', columns: ['Name'] }).id) };
});
afterAll(() => server.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.limiter.reset();
  sandbox.limiter.configure({ requestsPerWindow: 300, windowMs: 60_000 });
  sandbox.counters.reset();
});

describe('Smartsheet connector error classes', () => {
  it('401 (1002) and 403 (1004) → auth', async () => {
    const stranger = connect({ accessToken: 'revoked' });
    expect(await failure(stranger, () => collect(stranger.listChanges(sheet, null)))).toMatchObject({
      kind: 'auth',
      status: 401,
      code: 1002,
    });
    const reader = connect({ accessToken: READER });
    expect(await collect(reader.listChanges(sheet, null))).toHaveLength(1);
    expect(await failure(reader, () => reader.upsertBatch(sheet, [create(1)]))).toMatchObject({
      kind: 'auth',
      status: 403,
      code: 1004,
    });
  });

  it('other 4xx → invalid (unknown sheet, too many rows for the sandbox)', async () => {
    const connector = connect();
    expect(
      await failure(connector, () => collect(connector.listChanges({ object: '1234567890123456' }, null))),
    ).toMatchObject({
      kind: 'invalid',
      status: 404,
      code: 1006,
    });
    sandbox.maxRowsPerRequest = 2;
    try {
      expect(
        await failure(connector, () => connector.upsertBatch(sheet, [create(1), create(2), create(3)])),
      ).toMatchObject({
        kind: 'invalid',
        status: 400,
        code: 1061,
      });
    } finally {
      sandbox.maxRowsPerRequest = 500;
    }
  });

  it('429 (4003) from the limiter → rate_limited, waiting as long as Retry-After says', async () => {
    sandbox.limiter.configure({ requestsPerWindow: 2 });
    const connector = connect();
    await collect(connector.listChanges(sheet, null));
    await collect(connector.listChanges(sheet, null));
    const error = await failure(connector, () => collect(connector.listChanges(sheet, null)));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, code: 4003 });
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('429 without Retry-After (as Smartsheet documents it) → rate_limited after a conservative 60 s', async () => {
    const quiet = createSmartsheetSandbox({ accessToken: TOKEN, retryAfterHeader: false, requestsPerWindow: 1 });
    const quietServer = await quiet.start();
    try {
      const quietSheet = { object: String(quiet.sheets.createSheet({ name: 'Q', columns: ['Name'] }).id) };
      const connector = createSmartsheetConnector({ accessToken: TOKEN, baseUrl: `${quietServer.url}/2.0/` });
      await collect(connector.listChanges(quietSheet, null));
      expect(await failure(connector, () => collect(connector.listChanges(quietSheet, null)))).toMatchObject({
        kind: 'rate_limited',
        code: 4003,
        retryAfterMs: 60_000,
      });
    } finally {
      await quietServer.close();
    }
  });

  it('injected 429 on a write → rate_limited', async () => {
    const connector = connect();
    await connector.discoverFields!(sheet); // columns cached: the write is the next request
    sandbox.faults.failNext(1, 'rate_limit');
    expect(await failure(connector, () => connector.upsertBatch(sheet, [create(1)]))).toMatchObject({
      kind: 'rate_limited',
      code: 4003,
    });
  });

  it('4004 save collision (another write to the sheet in progress) → retryable', async () => {
    const writer = connect();
    const other = connect();
    await other.discoverFields!(sheet);
    const hold = sandbox.locks.holdNextWrite(Number(sheet.object));
    const first = writer.upsertBatch(sheet, [create(1)]);
    await hold.arrived;
    const error = await failure(other, () => other.upsertBatch(sheet, [create(2)]));
    expect(error).toMatchObject({ kind: 'retryable', status: 500, code: 4004 });
    hold.release();
    expect(await first).toMatchObject([{ ok: true }]);
  });

  it('5xx, dropped connections and timeouts → retryable', async () => {
    const connector = connect({ timeoutMs: 150 });
    for (const [status, code] of [
      [500, 4000],
      [502, 4000],
      [503, 4001],
    ] as const) {
      sandbox.faults.failNext(1, 'error', { status });
      expect(await failure(connector, () => collect(connector.listChanges(sheet, null)))).toMatchObject({
        kind: 'retryable',
        status,
        code,
      });
    }
    sandbox.faults.failNext(1, 'drop');
    expect(
      await failure(connector, () =>
        connector.deleteBatch(sheet, [{ internalId: 'a', externalId: '1234567890123456' }]),
      ),
    ).toMatchObject({
      kind: 'retryable',
      message: expect.stringMatching(/^network error/),
    });
    sandbox.faults.failNext(1, 'timeout');
    const slow = await timed(() => collect(connector.listChanges(sheet, null)));
    expect(slow.ms).toBeGreaterThanOrEqual(140);
    expect(slow.ms).toBeLessThan(5_000);
    expect(connector.classifyError(slow.error)).toMatchObject({ kind: 'retryable' });
    sandbox.faults.releaseHanging();
  });

  it('classifies what the SDK and the runtime throw without a request', () => {
    const connector = connect();
    expect(
      connector.classifyError({
        statusCode: 429,
        errorCode: 4003,
        message: 'Rate limit exceeded.',
        retryAfterMs: 7_000,
      }),
    ).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7_000,
    });
    expect(connector.classifyError({ statusCode: 500, errorCode: 4004, message: 'collision' })).toMatchObject({
      kind: 'retryable',
      code: 4004,
    });
    expect(connector.classifyError({ statusCode: 403, errorCode: 1004, message: 'no' })).toMatchObject({
      kind: 'auth',
    });
    expect(connector.classifyError({ statusCode: 400, errorCode: 1042, message: 'bad' })).toMatchObject({
      kind: 'invalid',
    });
    expect(connector.classifyError(new TypeError('fetch failed'))).toMatchObject({ kind: 'retryable' });
  });
});

describe('Smartsheet sandbox rate limit under a burst', () => {
  it('admits at most 300 requests in any minute and answers the rest 429/4003, classified rate_limited', async () => {
    const connector = connect();
    let admitted = 0;
    const limited: ReturnType<Connector['classifyError']>[] = [];
    for (let wave = 0; wave < 4; wave++) {
      const settled = await Promise.allSettled(Array.from({ length: 80 }, () => connector.discoverFields!(sheet)));
      for (const result of settled) {
        if (result.status === 'fulfilled') admitted += 1;
        else limited.push(connector.classifyError(result.reason));
      }
    }
    expect(admitted).toBe(300);
    expect(limited).toHaveLength(20);
    expect(limited.every((error) => error.kind === 'rate_limited' && error.code === 4003)).toBe(true);
    expect(sandbox.counters.maxRequestsInWindow(60_000)).toBe(300);
    expect(sandbox.limiter.rejected).toBe(20);
  });
});
