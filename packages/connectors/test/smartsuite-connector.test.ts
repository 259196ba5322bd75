// The SmartSuite connector (fetch) against the SmartSuite sandbox over real HTTP: bulk writes in
// chunks of 25 with per-record failures, offset-paginated full reads and day-filtered incremental
// reads (deletions from the trash), reads by id and by our key, discovery, 429 and recovery.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorRequestError, type ItemResult, type ResourceRef, type UpsertItem } from '../src/contract.ts';
import { startSmartSuite, type SmartSuiteHarness } from '../src/smartsuite/testing.ts';
import { collect } from './helpers.ts';

let h: SmartSuiteHarness;
let resource: ResourceRef;
/** The sandbox's clock: frozen unless a test moves it. */
let now = Date.parse('2024-03-01T10:00:00Z');
const DAY = 86_400_000;

beforeAll(async () => {
  h = await startSmartSuite({ clock: () => now, requestsPerWindow: 10_000 });
});
afterAll(() => h.close());
beforeEach(() => {
  now = Date.parse('2024-03-01T10:00:00Z');
  h.sandbox.faults.clear();
  h.sandbox.limiter.reset();
  h.sandbox.limiter.configure({ requestsPerWindow: 10_000, windowMs: 1000, penaltyMs: 30_000 });
  h.sandbox.counters.reset();
  h.sandbox.writes.reset();
  const table = h.sandbox.tables.createTable({
    name: 'Products',
    fields: [
      { slug: 'syncbridge_id', label: 'Syncbridge ID' },
      { slug: 'description', field_type: 'textareafield' },
      { slug: 'price', field_type: 'numberfield' },
      { slug: 'status', field_type: 'singleselectfield', choices: ['Draft', 'Live'] },
    ],
  });
  resource = { object: table.id, keyField: 'syncbridge_id' };
});

const product = (n: number, extra: Record<string, unknown> = {}): UpsertItem => ({
  internalId: `local-${n}`,
  externalId: null,
  fields: { title: `Product ${n}`, price: n, ...extra } as UpsertItem['fields'],
});
const okIds = (results: ItemResult[]) => results.map((r) => (r.ok ? r.externalId : null));
const stored = () => h.sandbox.tables.records(resource.object);
const bulkRequests = () => h.sandbox.counters.count('POST /api/v1/applications/:tableId/records/bulk/');

describe('SmartSuite connector: connection and discovery', () => {
  it('tests the connection, and reports bad credentials as auth', async () => {
    expect(await h.connector.testConnection()).toMatchObject({ ok: true, apiVersion: 'v1' });
    const wrong = await h.connect({ apiKey: 'wrong' }).testConnection();
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'auth', status: 401 } });
    expect(wrong.message).toContain('Invalid token.');
    const otherWorkspace = await h.connect({ accountId: 'someone' }).testConnection();
    expect(otherWorkspace).toMatchObject({ ok: false, error: { kind: 'auth', status: 403 } });
  });

  it('discovers the table structure by field slug', async () => {
    const fields = await h.connector.discoverFields!(resource);
    expect(fields.slice(0, 5)).toEqual([
      { name: 'title', type: 'string', required: true },
      { name: 'syncbridge_id', type: 'string', required: false },
      { name: 'description', type: 'string', required: false },
      { name: 'price', type: 'number', required: false },
      { name: 'status', type: 'enum', required: false, options: ['Draft', 'Live'] },
    ]);
    expect(fields.map((f) => f.name)).toContain('last_updated');
  });
});

describe('SmartSuite connector: writes', () => {
  it('creates in bulk requests of at most 25, writing our key, results in input order', async () => {
    const items = Array.from({ length: 60 }, (_, i) => product(i));
    const results = await h.connector.upsertBatch(resource, items);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(bulkRequests()).toBe(3); // 25 + 25 + 10
    const records = stored();
    expect(records).toHaveLength(60);
    const byKey = new Map(records.map((r) => [r.syncbridge_id as string, r]));
    results.forEach((result, i) => {
      const record = byKey.get(`local-${i}`)!;
      expect(result).toMatchObject({
        internalId: `local-${i}`,
        externalId: record.id,
        updatedAt: (record.last_updated as { on: string }).on,
      });
      expect(record).toMatchObject({ title: `Product ${i}`, price: i });
    });
  });

  it('updates only the given fields and creates new records in the same call', async () => {
    const [first] = await h.connector.upsertBatch(resource, [product(1, { description: 'keep me' })]);
    const id = first?.ok ? first.externalId : '';
    h.sandbox.counters.reset();
    const results = await h.connector.upsertBatch(resource, [
      { internalId: 'local-1', externalId: id, fields: { price: 99, status: 'Live' } },
      product(2),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(h.sandbox.tables.record(resource.object, id)).toMatchObject({
      title: 'Product 1',
      description: 'keep me',
      price: 99,
      status: 'status_2',
      syncbridge_id: 'local-1',
    });
    expect(h.sandbox.counters.byEndpoint()).toEqual({
      'POST /api/v1/applications/:tableId/records/bulk/': 1,
      'PATCH /api/v1/applications/:tableId/records/bulk/': 1,
    });
  });

  it('fails only the records a bulk 422 blames and sends the rest once more', async () => {
    const items = [product(1), { ...product(2), fields: { price: 2 } }, product(3), product(4, { price: 'many' })];
    const results = await h.connector.upsertBatch(resource, items);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false]);
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'invalid', status: 422 } });
    expect((results[1] as { error: { message: string } }).error.message).toContain('title: This field is required.');
    expect((results[3] as { error: { message: string } }).error.message).toContain(
      'price: A valid number is required.',
    );
    expect(stored().map((r) => r.title)).toEqual(['Product 1', 'Product 3']);
    expect(okIds(results).filter(Boolean)).toEqual(stored().map((r) => r.id));
    expect(bulkRequests()).toBe(2);
  });

  it('an update of a record gone from SmartSuite fails alone as invalid', async () => {
    const created = await h.connector.upsertBatch(resource, [product(1), product(2)]);
    const [a, b] = okIds(created) as string[];
    h.sandbox.tables.remove(resource.object, b!);
    const results = await h.connector.upsertBatch(resource, [
      { internalId: 'local-1', externalId: a!, fields: { price: 10 } },
      { internalId: 'local-2', externalId: b!, fields: { price: 20 } },
    ]);
    expect(results[0]).toMatchObject({ ok: true, externalId: a });
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(h.sandbox.tables.record(resource.object, a!)).toMatchObject({ price: 10 });
  });

  it('deletes in bulk requests of at most 25; records already gone count as deleted', async () => {
    const created = await h.connector.upsertBatch(
      resource,
      Array.from({ length: 30 }, (_, i) => product(i)),
    );
    const ids = okIds(created) as string[];
    h.sandbox.tables.remove(resource.object, ids[0]!);
    h.sandbox.counters.reset();
    const results = await h.connector.deleteBatch(
      resource,
      ids.map((externalId, i) => ({ internalId: `local-${i}`, externalId })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(stored()).toHaveLength(0);
    expect(h.sandbox.counters.count('PATCH /api/v1/applications/:tableId/records/bulk_delete/')).toBe(2);
  });
});

describe('SmartSuite connector: reads', () => {
  it('reads the whole table in offset pages, the cursor and fullReadComplete on the last page only', async () => {
    await h.connector.upsertBatch(
      resource,
      Array.from({ length: 25 }, (_, i) => product(i)),
    );
    await h.connector.upsertBatch(
      resource,
      Array.from({ length: 25 }, (_, i) => product(25 + i, { description: '' })),
    );
    const pages = await collect(h.connect({ pageSize: 20 }).listChanges(resource, null));
    expect(pages.map((p) => p.records.length)).toEqual([20, 20, 10]);
    expect(pages.map((p) => p.fullReadComplete ?? false)).toEqual([false, false, true]);
    expect(pages.slice(0, 2).every((p) => p.nextCursor === null)).toBe(true);
    expect(JSON.parse(pages[2]!.nextCursor!)).toEqual({ v: 1, since: expect.stringMatching(/^2024-03-01T10:00:00/) });
    const all = pages.flatMap((p) => p.records);
    expect(all.map((r) => r.fields.title)).toEqual(Array.from({ length: 50 }, (_, i) => `Product ${i}`));
    expect(all[30]!.fields).not.toHaveProperty('description'); // empty fields are left out
    expect(all[0]!.updatedAt).toBe((all[0]!.fields.last_updated as { on: string }).on);
  });

  it('reads incrementally by last_updated day, deletions included, and advances the cursor', async () => {
    const created = okIds(
      await h.connector.upsertBatch(
        resource,
        Array.from({ length: 10 }, (_, i) => product(i)),
      ),
    );
    now += 4 * DAY;
    h.sandbox.tables.update(resource.object, created[0]!, { price: 100 });
    const [first] = await collect(h.connector.listChanges(resource, null));
    expect(first!.records).toHaveLength(10);

    now += 4 * DAY;
    h.sandbox.tables.update(resource.object, created[1]!, { price: 200 });
    h.sandbox.tables.remove(resource.object, created[2]!);
    const pages = await collect(h.connector.listChanges(resource, first!.nextCursor));
    // Changed on or after the cursor's day: record 0 (day 5, the cursor's day) and record 1 (day 9);
    // record 2 comes back from the trash as a deletion; the rest (day 1) is not read.
    expect(pages.flatMap((p) => p.records).map((r) => r.id)).toEqual([created[0], created[1]]);
    expect(pages.flatMap((p) => p.deletedIds ?? [])).toEqual([created[2]]);
    expect(pages.at(-1)!.fullReadComplete).toBeUndefined();
    const cursor = JSON.parse(pages.at(-1)!.nextCursor!) as { since: string };
    expect(cursor.since.startsWith('2024-03-09T10:00:00')).toBe(true);
    // A full read on request ignores the cursor.
    const full = await collect(h.connector.listChanges(resource, pages.at(-1)!.nextCursor, { full: true }));
    expect(full.flatMap((p) => p.records)).toHaveLength(9);
  });

  it('fetches records by id and finds ours by key, one request each', async () => {
    const ids = okIds(
      await h.connector.upsertBatch(
        resource,
        Array.from({ length: 5 }, (_, i) => product(i)),
      ),
    ) as string[];
    h.sandbox.tables.remove(resource.object, ids[4]!);
    h.sandbox.counters.reset();
    const records = await h.connector.getRecords!(resource, [ids[0]!, ids[3]!, ids[4]!, 'ffffffffffffffffffffffff']);
    expect(records.map((r) => r.id).sort()).toEqual([ids[0], ids[3]].sort());
    const found = await h.connector.findByKeys!(resource, ['local-1', 'local-2', 'local-404']);
    expect([...found]).toEqual([
      ['local-1', ids[1]],
      ['local-2', ids[2]],
    ]);
    expect(h.sandbox.counters.total).toBe(2);
  });
});

describe('SmartSuite connector: rate limits and failures', () => {
  it('a 429 is rate_limited with the wait the API asks for; after it, the write goes through', async () => {
    h.sandbox.limiter.configure({ requestsPerWindow: 5, windowMs: 1000, penaltyMs: 30_000 });
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => h.connector.upsertBatch(resource, [product(i)])),
    );
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const failure = h.connector.classifyError(rejected[0]!.reason);
    expect(failure).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 30_000 });
    expect(failure.message).toContain('Request was throttled');
    // Still locked out before the wait is over, through after it.
    now += 29_000;
    await expect(h.connector.upsertBatch(resource, [product(7)])).rejects.toMatchObject({ kind: 'rate_limited' });
    now += 1_000;
    expect((await h.connector.upsertBatch(resource, [product(7)]))[0]).toMatchObject({ ok: true });
    expect(stored()).toHaveLength(6);
  });

  it('a pull waits out a 429 (Retry-After) and a 5xx, then reads the page again', async () => {
    await h.connector.upsertBatch(resource, [product(1), product(2)]);
    h.sandbox.limiter.configure({ penaltyMs: 1000 });
    h.sandbox.faults.failNext(1, 'rate_limit');
    h.sandbox.faults.failNext(1, 'error', { status: 502 });
    const started = performance.now();
    const pages = await collect(h.connector.listChanges(resource, null));
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After: 1
    expect(pages.flatMap((p) => p.records)).toHaveLength(2);
    expect(h.sandbox.faults.injected).toMatchObject({ rate_limit: 1, error: 1 });
    // Without retries the same 429 fails the read, classified.
    h.sandbox.faults.failNext(1, 'rate_limit');
    await expect(collect(h.connect({ readRetries: 0 }).listChanges(resource, null))).rejects.toMatchObject({
      kind: 'rate_limited',
    });
  });

  it('classifies failures: 5xx and network errors retryable, 422 invalid', async () => {
    h.sandbox.faults.failNext(1, 'error', { status: 503 });
    const serverError = await h.connector.upsertBatch(resource, [product(1)]).catch((e: unknown) => e);
    expect(h.connector.classifyError(serverError)).toMatchObject({ kind: 'retryable', status: 503 });
    const unreachable = h.connect({ baseUrl: 'http://127.0.0.1:9/api/v1', timeoutMs: 2000 });
    const network = await unreachable.upsertBatch(resource, [product(1)]).catch((e: unknown) => e);
    expect(network).toBeInstanceOf(ConnectorRequestError);
    expect(unreachable.classifyError(network)).toMatchObject({ kind: 'retryable' });
    const [invalid] = await h.connector.upsertBatch(resource, [{ ...product(1), fields: { price: 1 } }]);
    expect(invalid).toMatchObject({ ok: false, error: { kind: 'invalid', status: 422 } });
    await expect(h.connector.upsertBatch({ object: '../etc', keyField: null }, [product(1)])).rejects.toMatchObject({
      kind: 'invalid',
    });
    expect(h.connector.limits).toEqual({
      requestsPerWindow: 5,
      windowMs: 1000,
      maxBatchSize: 25,
      maxDeleteBatchSize: 25,
    });
  });
});

describe('SmartSuite connector: pacing of pull pages', () => {
  it('spaces its own page requests under 5 per second, so a long read sees no 429', async () => {
    const paced = await startSmartSuite({ penaltyMs: 1000 }, { pageSize: 10 });
    try {
      const table = paced.sandbox.tables.createTable({ name: 'Many' });
      for (let i = 0; i < 80; i++) paced.sandbox.tables.create(table.id, { title: `Row ${i}` });
      const pages = await collect(paced.connector.listChanges({ object: table.id }, null));
      expect(pages).toHaveLength(8);
      expect(paced.sandbox.limiter.rejected).toBe(0);
      expect(paced.sandbox.counters.maxRequestsInWindow(1000)).toBeLessThanOrEqual(5);
    } finally {
      await paced.close();
    }
  });
});
