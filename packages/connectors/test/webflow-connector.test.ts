// The Webflow connector (on the official SDK) against the Webflow sandbox over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, ItemResult, ResourceRef, UpsertItem } from '../src/contract.ts';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';
import { createWebflowConnector, type WebflowConnectorOptions } from '../src/webflow/index.ts';
import { createWebflowSandbox, type WebflowSandbox } from '../src/webflow/sandbox/index.ts';
import { collect } from './helpers.ts';

const TOKEN = 'wf-connector-token';
let sandbox: WebflowSandbox;
let server: SandboxServer;
let connector: Connector;
let resource: ResourceRef;

const connect = (options: Partial<WebflowConnectorOptions> = {}) =>
  createWebflowConnector({ accessToken: TOKEN, baseUrl: `${server.url}/v2`, timeoutMs: 5000, ...options });

beforeAll(async () => {
  sandbox = createWebflowSandbox({ accessToken: TOKEN });
  server = await sandbox.start();
});
afterAll(() => server.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.limiter.reset();
  sandbox.limiter.configure({ requestsPerWindow: 1000, windowMs: 60_000 });
  sandbox.counters.reset();
  sandbox.writes.reset();
  sandbox.writtenItems.reset();
  const collection = sandbox.collections.createCollection({
    displayName: 'Products',
    fields: [
      { slug: 'syncbridge-id', displayName: 'Syncbridge ID', type: 'PlainText' },
      { slug: 'price', type: 'Number', isRequired: true },
      { slug: 'in-stock', type: 'Switch' },
      { slug: 'released', type: 'DateTime' },
      { slug: 'colour', type: 'Option', options: ['Red', 'Blue'] },
    ],
  });
  resource = { object: collection.id, keyField: 'syncbridge-id' };
  connector = connect();
});

const product = (n: number, extra: Record<string, unknown> = {}): UpsertItem => ({
  internalId: `local-${n}`,
  externalId: null,
  fields: { name: `Product ${n}`, price: n, ...extra } as UpsertItem['fields'],
});
const okIds = (results: ItemResult[]) => results.map((result) => (result.ok ? result.externalId : null));

describe('Webflow connector: writes', () => {
  it('creates in bulk with our key and a slug from the name, then publishes the written items', async () => {
    const results = await connector.upsertBatch(resource, [product(1), product(2, { 'in-stock': true })]);
    expect(results.every((result) => result.ok)).toBe(true);
    const items = sandbox.collections.items(resource.object);
    expect(items.map((item) => item.fieldData)).toEqual([
      { name: 'Product 1', price: 1, 'syncbridge-id': 'local-1', slug: 'product-1' },
      { name: 'Product 2', price: 2, 'in-stock': true, 'syncbridge-id': 'local-2', slug: 'product-2' },
    ]);
    expect(okIds(results)).toEqual(items.map((item) => item.id));
    expect(results[0]).toMatchObject({ updatedAt: items[0]!.lastUpdated });
    expect(sandbox.collections.liveItems(resource.object).map((item) => item.id)).toEqual(items.map((item) => item.id));
    // One create and one publish: the publish is the documented extra request.
    expect(sandbox.counters.byEndpoint()).toEqual({
      'POST /v2/collections/:collectionId/items': 1,
      'POST /v2/collections/:collectionId/items/publish': 1,
    });
  });

  it('updates known items (fieldData merged) and creates new ones in one call', async () => {
    const [first] = await connector.upsertBatch(resource, [product(1)]);
    const id = first?.ok ? first.externalId : '';
    sandbox.counters.reset();
    const results = await connector.upsertBatch(resource, [
      { internalId: 'local-1', externalId: id, fields: { price: 99 } },
      product(2),
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    expect(sandbox.collections.item(resource.object, id)?.fieldData).toMatchObject({ name: 'Product 1', price: 99 });
    expect(sandbox.collections.liveItem(resource.object, id)?.fieldData).toMatchObject({ price: 99 });
    expect(sandbox.counters.byEndpoint()).toEqual({
      'POST /v2/collections/:collectionId/items': 1,
      'PATCH /v2/collections/:collectionId/items': 1,
      'POST /v2/collections/:collectionId/items/publish': 1,
    });
  });

  it('splits into requests of at most 100 items', async () => {
    const items = Array.from({ length: 150 }, (_, i) => product(i + 1));
    const results = await connector.upsertBatch(resource, items);
    expect(results.filter((result) => result.ok)).toHaveLength(150);
    expect(sandbox.counters.count('POST /v2/collections/:collectionId/items')).toBe(2);
    expect(sandbox.counters.count('POST /v2/collections/:collectionId/items/publish')).toBe(2);
    expect(sandbox.writtenItems.total).toBe(300);
  });

  it('fails only the bad items of a rejected bulk request and sends the rest once more', async () => {
    sandbox.collections.createItems(resource.object, [{ fieldData: { name: 'Taken', slug: 'taken', price: 1 } }], true);
    const results = await connector.upsertBatch(resource, [
      product(1),
      { internalId: 'bad-price', externalId: null, fields: { name: 'Bad', price: 'free' } },
      product(3, { slug: 'taken' }),
      product(4, { colour: 'Green' }),
      product(5, { colour: 'Blue' }),
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, false, false, false, true]);
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'invalid', status: 400, code: 'validation_error' } });
    expect(!results[2]!.ok && results[2]!.error.message).toContain('Unique value is already in database');
    expect(sandbox.collections.items(resource.object).map((item) => item.fieldData['syncbridge-id'])).toEqual([
      undefined,
      'local-1',
      'local-5',
    ]);
    expect(sandbox.counters.count('POST /v2/collections/:collectionId/items')).toBe(2);
  });

  it('fails an update of an item that no longer exists alone', async () => {
    const [first] = await connector.upsertBatch(resource, [product(1)]);
    const id = first?.ok ? first.externalId : '';
    const results = await connector.upsertBatch(resource, [
      { internalId: 'local-1', externalId: id, fields: { price: 5 } },
      { internalId: 'ghost', externalId: 'ffffffffffffffffffffffff', fields: { price: 5 } },
    ]);
    expect(results[0]).toMatchObject({ ok: true, externalId: id });
    expect(results[1]).toMatchObject({
      ok: false,
      error: { kind: 'invalid', status: 404, code: 'resource_not_found' },
    });
  });

  it('does not publish when publish is off', async () => {
    const results = await connect({ publish: false }).upsertBatch(resource, [product(1)]);
    expect(results[0]!.ok).toBe(true);
    expect(sandbox.collections.liveItems(resource.object)).toEqual([]);
    expect(sandbox.counters.count('POST /v2/collections/:collectionId/items/publish')).toBe(0);
  });

  it('keeps created items when publish is rate limited and publishes them with the next write', async () => {
    sandbox.limiter.configure({ requestsPerWindow: 1 });
    const [created] = await connector.upsertBatch(resource, [product(1)]);
    expect(created).toMatchObject({ ok: true });
    const id = created?.ok ? created.externalId : '';
    expect(sandbox.collections.liveItem(resource.object, id)).toBeUndefined();

    // An update whose publish is rate limited is reported failed (safe to repeat).
    sandbox.limiter.reset();
    const [updated] = await connector.upsertBatch(resource, [
      { internalId: 'local-1', externalId: id, fields: { price: 7 } },
    ]);
    expect(updated).toMatchObject({ ok: false, error: { kind: 'rate_limited', retryAfterMs: expect.any(Number) } });
    expect(!updated!.ok && updated!.error.message).toContain('written but not published');

    sandbox.limiter.reset();
    sandbox.limiter.configure({ requestsPerWindow: 1000 });
    await connector.upsertBatch(resource, [product(2)]);
    expect(sandbox.collections.liveItem(resource.object, id)?.fieldData).toMatchObject({ price: 7 });
  });

  it('throws a rate_limited error with Retry-After when nothing was written', async () => {
    sandbox.limiter.configure({ requestsPerWindow: 1 });
    await connector.upsertBatch(resource, []); // no request at all
    await collect(connector.listChanges(resource, null));
    const error = await connector.upsertBatch(resource, [product(1)]).catch((caught: unknown) => caught);
    expect(connector.classifyError(error)).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      code: 'too_many_requests',
    });
    expect(connector.classifyError(error).retryAfterMs).toBeGreaterThan(0);
    expect(sandbox.collections.items(resource.object)).toEqual([]);
  });

  it('deletes in bulk; items already gone count as deleted', async () => {
    const results = await connector.upsertBatch(resource, [product(1), product(2), product(3)]);
    const ids = okIds(results) as string[];
    sandbox.collections.deleteItems(resource.object, [ids[1]]);
    const deleted = await connector.deleteBatch(
      resource,
      ids.map((externalId, i) => ({ internalId: `local-${i + 1}`, externalId })),
    );
    expect(deleted).toEqual(
      ids.map((externalId, i) => ({ internalId: `local-${i + 1}`, ok: true, externalId, updatedAt: null })),
    );
    expect(sandbox.collections.items(resource.object)).toEqual([]);
    expect(sandbox.collections.liveItems(resource.object)).toEqual([]);
  });

  it('never sends more write requests per minute than the limiter admits', async () => {
    sandbox.limiter.configure({ requestsPerWindow: 4 });
    const outcomes: unknown[] = [];
    for (let i = 0; i < 4; i++)
      outcomes.push(await connector.upsertBatch(resource, [product(i + 1)]).catch((error: unknown) => error));
    expect(sandbox.writes.maxRequestsInWindow(60_000)).toBeLessThanOrEqual(4);
    expect(sandbox.limiter.rejected).toBeGreaterThan(0);
  });
});

describe('Webflow connector: reads', () => {
  it('lists every item in pages of 100 with fullReadComplete on the last and no cursor', async () => {
    for (let start = 0; start < 250; start += 50) {
      const part = Array.from({ length: 50 }, (_, i) => start + i);
      sandbox.collections.createItems(
        resource.object,
        part.map((n) => ({ fieldData: { name: `P${n}`, slug: `p-${n}`, price: n } })),
        true,
      );
    }
    const pages = await collect(connector.listChanges(resource, null));
    expect(pages.map((page) => page.records.length)).toEqual([100, 100, 50]);
    expect(pages.map((page) => page.fullReadComplete ?? false)).toEqual([false, false, true]);
    expect(pages.every((page) => page.nextCursor === null)).toBe(true);
    const first = pages[0]!.records[0]!;
    const stored = sandbox.collections.items(resource.object)[0]!;
    expect(first).toEqual({ id: stored.id, fields: stored.fieldData, updatedAt: stored.lastUpdated });
  });

  it('reads an empty collection as one complete page', async () => {
    const pages = await collect(connector.listChanges(resource, null, { full: true }));
    expect(pages).toEqual([{ records: [], deletedIds: [], nextCursor: null, fullReadComplete: true }]);
  });

  it('finds records by key and fetches records by id (one GET each, or a full read for many)', async () => {
    const results = await connector.upsertBatch(
      resource,
      Array.from({ length: 8 }, (_, i) => product(i + 1)),
    );
    const ids = okIds(results) as string[];
    const found = await connector.findByKeys!(resource, ['local-2', 'local-7', 'local-missing']);
    expect(found).toEqual(
      new Map([
        ['local-2', ids[1]],
        ['local-7', ids[6]],
      ]),
    );

    sandbox.counters.reset();
    const few = await connector.getRecords!(resource, [ids[0]!, 'ffffffffffffffffffffffff']);
    expect(few.map((record) => record.fields.name)).toEqual(['Product 1']);
    expect(sandbox.counters.count('GET /v2/collections/:collectionId/items/:itemId')).toBe(2);
    const many = await connector.getRecords!(resource, ids.slice(0, 7));
    expect(many).toHaveLength(7);
    expect(sandbox.counters.count('GET /v2/collections/:collectionId/items')).toBe(1);
  });

  it('discovers fields from the collection schema, named by slug', async () => {
    expect(await connector.discoverFields!(resource)).toEqual([
      { name: 'name', type: 'string', required: true },
      { name: 'slug', type: 'string', required: true },
      { name: 'syncbridge-id', type: 'string', required: false },
      { name: 'price', type: 'number', required: true },
      { name: 'in-stock', type: 'boolean', required: false },
      { name: 'released', type: 'datetime', required: false },
      { name: 'colour', type: 'enum', required: false, options: ['Red', 'Blue'] },
    ]);
  });

  it('tests the connection', async () => {
    expect(await connector.testConnection()).toMatchObject({ ok: true, apiVersion: 'v2' });
    expect(await connect({ accessToken: 'nope' }).testConnection()).toMatchObject({
      ok: false,
      message: expect.stringContaining('auth'),
    });
  });

  it('declares Webflow limits (configurable for the 120/min plans)', () => {
    expect(connector.limits).toEqual({
      requestsPerWindow: 60,
      windowMs: 60_000,
      maxBatchSize: 100,
      maxDeleteBatchSize: 100,
    });
    expect(connect({ requestsPerWindow: 120 }).limits.requestsPerWindow).toBe(120);
  });
});
