// How the Google Sheets connector classifies what the sandbox answers over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, ResourceRef, UpsertItem } from '../src/contract.ts';
import { SHEETS_ENDPOINTS } from '../src/google-sheets/sandbox/index.ts';
import { startGoogleSheetsHarness, type GoogleSheetsHarness } from '../src/google-sheets/testing.ts';
import { collect } from './helpers.ts';

const ID = 'errors-sheet';
const contacts: ResourceRef = { object: ID, keyField: 'Email', options: { sheet: 'Contacts' } };

let h: GoogleSheetsHarness;
beforeAll(async () => {
  h = await startGoogleSheetsHarness({}, { random: () => 0.25 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.spreadsheets.clear();
  h.sandbox.faults.clear();
  h.sandbox.counters.reset();
  h.sandbox.limiter.reset();
  h.sandbox.limiter.configure({ readsPerUserPerWindow: 60, writesPerUserPerWindow: 60, windowMs: 60_000 });
  h.sandbox.spreadsheets.create({
    spreadsheetId: ID,
    sheets: [{ title: 'Contacts', header: ['Email', 'Name'], rows: [['ada@example.com', 'Ada']] }],
  });
});

async function failure(connector: Connector, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    return connector.classifyError(error);
  }
  throw new Error('expected the call to fail');
}

const read =
  (connector: Connector, resource = contacts) =>
  () =>
    collect(connector.listChanges(resource, null));

describe('Google Sheets connector error classes', () => {
  it('401 → auth', async () => {
    const connector = h.connect({ auth: { accessToken: 'expired' } });
    expect(await failure(connector, read(connector))).toMatchObject({ kind: 'auth', status: 401, code: 'authError' });
  });

  it('403 (not shared with this user) → auth', async () => {
    h.sandbox.spreadsheets.create({ spreadsheetId: 'private', sharedWith: ['someone@example.com'] });
    expect(await failure(h.connector, read(h.connector, { object: 'private', keyField: 'Email' }))).toMatchObject({
      kind: 'auth',
      status: 403,
    });
  });

  it('404 and 400 → invalid', async () => {
    expect(await failure(h.connector, read(h.connector, { ...contacts, object: 'missing' }))).toMatchObject({
      kind: 'invalid',
      status: 404,
      code: 'notFound',
    });
    expect(await failure(h.connector, read(h.connector, { ...contacts, options: { sheet: 'Contcts' } }))).toMatchObject(
      {
        kind: 'invalid',
        status: 400,
        message: "HTTP 400 INVALID_ARGUMENT: Unable to parse range: 'Contcts'",
      },
    );
  });

  it('quota 429 → rate_limited; backoff doubles while quota errors repeat, resets after a success', async () => {
    h.sandbox.limiter.configure({ readsPerUserPerWindow: 1 });
    const connector = h.connect({ random: () => 0.25 });
    await collect(connector.listChanges(contacts, null));
    const first = await failure(connector, read(connector));
    expect(first).toMatchObject({ kind: 'rate_limited', status: 429, code: 'RATE_LIMIT_EXCEEDED', retryAfterMs: 1250 });
    expect(await failure(connector, read(connector))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2250 });
    expect(await failure(connector, read(connector))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 4250 });
    h.sandbox.limiter.reset();
    await collect(connector.listChanges(contacts, null));
    h.sandbox.faults.failNext(1, 'rate_limit');
    expect(await failure(connector, read(connector))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1250 });
  });

  it('quota 429 with Retry-After → rate_limited for that long', async () => {
    const sandboxed = await startGoogleSheetsHarness({
      quota: { writesPerUserPerWindow: 1, windowMs: 30_000 },
      quotaRetryAfter: true,
    });
    try {
      sandboxed.sandbox.spreadsheets.create({ spreadsheetId: ID, sheets: [{ title: 'Contacts', header: ['Email'] }] });
      const items: UpsertItem[] = [{ internalId: 'a', externalId: null, fields: { Email: 'a@example.com' } }];
      await sandboxed.connector.upsertBatch(contacts, items); // one write: the append
      const error = await failure(sandboxed.connector, () =>
        sandboxed.connector.upsertBatch(contacts, [{ ...items[0]!, fields: { Email: 'b@example.com' } }]),
      );
      expect(error).toMatchObject({ kind: 'rate_limited', status: 429 });
      expect(error.retryAfterMs).toBeGreaterThan(25_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    } finally {
      await sandboxed.close();
    }
  });

  it('5xx, dropped connections and timeouts → retryable, never retried inside the SDK', async () => {
    for (const status of [500, 502, 503]) {
      h.sandbox.faults.failNext(1, 'error', { status });
      expect(await failure(h.connector, read(h.connector))).toMatchObject({ kind: 'retryable', status });
    }
    h.sandbox.faults.failNext(1, 'drop');
    expect(await failure(h.connector, read(h.connector))).toMatchObject({
      kind: 'retryable',
      message: expect.stringMatching(/^network error/),
    });
    const impatient = h.connect({ timeoutMs: 200 });
    h.sandbox.faults.failNext(1, 'timeout');
    expect(await failure(impatient, read(impatient))).toMatchObject({ kind: 'retryable' });
    h.sandbox.faults.releaseHanging();
    // Each failure reached the sandbox once: the GETs were not retried by googleapis.
    expect(h.sandbox.faults.injected).toMatchObject({ error: 3, drop: 1, timeout: 1 });
    expect(h.sandbox.counters.count(SHEETS_ENDPOINTS.getValues)).toBe(0);
  });

  it('a sandbox that is gone → retryable network error', async () => {
    const gone = await startGoogleSheetsHarness();
    await gone.close();
    expect(await failure(gone.connector, read(gone.connector))).toMatchObject({
      kind: 'retryable',
      message: expect.stringMatching(/^network error/),
    });
  });

  it('upsert: the first request failing is thrown; after a success, the rest fail per item', async () => {
    const items: UpsertItem[] = [
      { internalId: 'u', externalId: 'ada@example.com', fields: { Name: 'Ada L.' } },
      { internalId: 'n', externalId: null, fields: { Email: 'new@example.com', Name: 'New' } },
    ];
    // The key read fails: nothing was written, the whole call throws.
    h.sandbox.faults.failNext(1, 'error', { status: 503 });
    await expect(h.connector.upsertBatch(contacts, items)).rejects.toMatchObject({ kind: 'retryable', status: 503 });
    // The update goes through, then the append is refused: the update's success is kept.
    h.sandbox.limiter.configure({ writesPerUserPerWindow: 1 });
    const results = await h.connector.upsertBatch(contacts, items);
    expect(results).toEqual([
      { internalId: 'u', ok: true, externalId: 'ada@example.com', updatedAt: null },
      { internalId: 'n', ok: false, error: expect.objectContaining({ kind: 'rate_limited', status: 429 }) },
    ]);
    expect(h.sandbox.spreadsheets.rows(ID, 'Contacts')).toEqual([{ Email: 'ada@example.com', Name: 'Ada L.' }]);
  });
});
