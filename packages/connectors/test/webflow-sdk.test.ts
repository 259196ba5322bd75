// The official `webflow-api` SDK, unchanged (retries off), against the Webflow sandbox over real
// HTTP: the sandbox must speak the API well enough for the vendor's client.
import { WebflowClient, WebflowError } from 'webflow-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxServer } from '../src/sandbox-kit/server.ts';
import { createWebflowSandbox, type WebflowSandbox } from '../src/webflow/sandbox/index.ts';

const TOKEN = 'wf-sdk-token';
let sandbox: WebflowSandbox;
let server: SandboxServer;
let collectionId: string;

function sdk(token = TOKEN): WebflowClient {
  return new WebflowClient({ accessToken: token, baseUrl: `${server.url}/v2`, maxRetries: 0, timeoutInSeconds: 5 });
}

async function rejection(promise: Promise<unknown>): Promise<WebflowError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WebflowError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  sandbox = createWebflowSandbox({ accessToken: [TOKEN, 'other-token'], readOnlyTokens: ['other-token'] });
  server = await sandbox.start();
});
afterAll(() => server.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.limiter.reset();
  sandbox.limiter.configure({ requestsPerWindow: 60, windowMs: 60_000 });
  sandbox.counters.reset();
  collectionId = sandbox.collections.createCollection({
    displayName: 'Blog Posts',
    fields: [
      { slug: 'syncbridge-id', type: 'PlainText' },
      { slug: 'summary', type: 'PlainText', isRequired: true },
      { slug: 'views', type: 'Number' },
      { slug: 'featured', type: 'Switch' },
    ],
  }).id;
});

const post = (n: number, extra: Record<string, unknown> = {}) => ({
  isDraft: false,
  isArchived: false,
  fieldData: { name: `Post ${n}`, slug: `post-${n}`, summary: `About ${n}`, ...extra },
});

describe('Webflow SDK against the sandbox', () => {
  it('gets the collection schema with the built-in name and slug fields', async () => {
    const collection = await sdk().collections.get(collectionId);
    expect(collection).toMatchObject({ id: collectionId, displayName: 'Blog Posts', singularName: 'Blog Post' });
    expect(collection.fields.map((field) => [field.slug, field.type, field.isRequired])).toEqual([
      ['name', 'PlainText', true],
      ['slug', 'PlainText', true],
      ['syncbridge-id', 'PlainText', false],
      ['summary', 'PlainText', true],
      ['views', 'Number', false],
      ['featured', 'Switch', false],
    ]);
  });

  it('creates one item and many (bulk), lists with offset/limit and gets one', async () => {
    const client = sdk();
    const single = await client.collections.items.createItem(collectionId, post(0, { views: 3 }));
    expect(single).toMatchObject({ isDraft: false, fieldData: { name: 'Post 0', views: 3 } });
    // The API sends `lastPublished: null` for never-published items; the SDK's serializer drops nulls.
    expect(single.lastPublished ?? null).toBeNull();
    expect(single.id).toMatch(/^[0-9a-f]{24}$/);
    const bulk = (await client.collections.items.createItem(collectionId, {
      items: Array.from({ length: 4 }, (_, i) => post(i + 1)),
    })) as unknown as { items: { id: string; fieldData: { slug: string } }[] };
    expect(bulk.items.map((item) => item.fieldData.slug)).toEqual(['post-1', 'post-2', 'post-3', 'post-4']);

    const page = await client.collections.items.listItems(collectionId, { offset: 1, limit: 2 });
    expect(page.pagination).toEqual({ limit: 2, offset: 1, total: 5 });
    expect(page.items?.map((item) => item.fieldData.slug)).toEqual(['post-1', 'post-2']);
    const got = await client.collections.items.getItem(collectionId, bulk.items[2]!.id);
    expect(got.fieldData).toMatchObject({ name: 'Post 3', summary: 'About 3' });
    expect(got).toMatchObject({
      cmsLocaleId: expect.any(String),
      createdOn: expect.any(String),
      lastUpdated: expect.any(String),
    });
  });

  it('updates in bulk (fieldData merged) and deletes in bulk', async () => {
    const client = sdk();
    const [a, b] = sandbox.collections.createItems(collectionId, [post(1), post(2)], true);
    const updated = (await client.collections.items.updateItems(collectionId, {
      items: [
        { id: a!.id, fieldData: { views: 10 } },
        { id: b!.id, fieldData: { name: 'Renamed', featured: true } },
      ],
    })) as { items: { id: string; lastUpdated: string; fieldData: Record<string, unknown> }[] };
    expect(updated.items.map((item) => item.fieldData)).toEqual([
      { name: 'Post 1', slug: 'post-1', summary: 'About 1', views: 10 },
      { name: 'Renamed', slug: 'post-2', summary: 'About 2', featured: true },
    ]);
    expect(Date.parse(updated.items[0]!.lastUpdated)).toBeGreaterThan(Date.parse(a!.lastUpdated));

    await client.collections.items.deleteItems(collectionId, { items: [{ id: a!.id }] });
    expect(sandbox.collections.items(collectionId).map((item) => item.id)).toEqual([b!.id]);
    const gone = await rejection(client.collections.items.getItem(collectionId, a!.id));
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toMatchObject({ code: 'resource_not_found' });
  });

  it('publishes items: live copies, lastPublished set, live endpoints serve them', async () => {
    const client = sdk();
    const [a, b] = sandbox.collections.createItems(collectionId, [post(1), post(2)], true);
    const result = await client.collections.items.publishItem(collectionId, { itemIds: [a!.id] });
    expect(result).toEqual({ publishedItemIds: [a!.id], errors: [] });
    expect(sandbox.collections.item(collectionId, a!.id)?.lastPublished).toEqual(expect.any(String));
    expect(sandbox.collections.liveItem(collectionId, b!.id)).toBeUndefined();
    const live = await client.collections.items.listItemsLive(collectionId);
    expect(live.items?.map((item) => item.id)).toEqual([a!.id]);
    const one = await client.collections.items.getItemLive(collectionId, a!.id);
    expect(one.fieldData).toMatchObject({ name: 'Post 1' });
  });

  it('rejects invalid writes with validation_error naming the items, all or nothing', async () => {
    const client = sdk();
    sandbox.collections.createItems(collectionId, [post(1)], true);
    const error = await rejection(
      client.collections.items.createItem(collectionId, {
        items: [
          post(2),
          { fieldData: { name: 'No summary', slug: 'no-summary' } },
          post(1),
          post(3, { views: 'many' }),
        ],
      } as Parameters<WebflowClient['collections']['items']['createItem']>[1]),
    );
    expect(error.statusCode).toBe(400);
    expect(error.body).toEqual({
      code: 'validation_error',
      message: 'Validation Error',
      externalReference: null,
      details: [
        { param: 'items[1].fieldData.summary', description: "Field 'summary' is required" },
        { param: 'items[2].fieldData.slug', description: "Unique value is already in database: 'post-1'" },
        { param: 'items[3].fieldData.views', description: "Expected a number for 'views'" },
      ],
    });
    expect(sandbox.collections.items(collectionId)).toHaveLength(1);
  });

  it('caps bulk requests at 100 items and list pages at limit 100', async () => {
    const client = sdk();
    const tooMany = await rejection(
      client.collections.items.createItem(collectionId, { items: Array.from({ length: 101 }, (_, i) => post(i)) }),
    );
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toMatchObject({ code: 'validation_error', details: [{ param: 'items' }] });
    const bigPage = await rejection(client.collections.items.listItems(collectionId, { limit: 101 }));
    expect(bigPage.statusCode).toBe(400);
  });

  it('answers 401 without a valid token and 403 missing_scopes on writes with a read-only token', async () => {
    const unauthorized = await rejection(sdk('wrong').collections.get(collectionId));
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.body).toMatchObject({ code: 'not_authorized' });
    await expect(sdk('other-token').collections.items.listItems(collectionId)).resolves.toBeTruthy();
    const forbidden = await rejection(sdk('other-token').collections.items.createItem(collectionId, post(1)));
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.body).toMatchObject({ code: 'missing_scopes' });
  });

  it('sends X-RateLimit headers on every admitted response and 429 + Retry-After past the limit', async () => {
    sandbox.limiter.configure({ requestsPerWindow: 3 });
    const client = sdk();
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { rawResponse } = await client.collections.items.listItems(collectionId).withRawResponse();
      expect(rawResponse.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(rawResponse.headers.get('x-ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await rejection(client.collections.items.listItems(collectionId));
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toMatchObject({ code: 'too_many_requests' });
    expect(Number(limited.rawResponse?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.rawResponse?.headers.get('x-ratelimit-remaining')).toBe('0');
    // Per token: another token is still admitted.
    await expect(sdk('other-token').collections.get(collectionId)).resolves.toMatchObject({ id: collectionId });
    expect(sandbox.limiter.rejected).toBe(1);
  });

  it('injects faults and counts requests per endpoint pattern', async () => {
    const client = sdk();
    sandbox.faults.failNext(1, 'error', { status: 503 });
    const failed = await rejection(client.collections.get(collectionId));
    expect(failed.statusCode).toBe(503);
    expect(failed.body).toMatchObject({ code: 'internal_error' });
    await client.collections.get(collectionId);
    await client.collections.items.listItems(collectionId);
    expect(sandbox.counters.byEndpoint()).toEqual({
      'GET /v2/collections/:collectionId': 1,
      'GET /v2/collections/:collectionId/items': 1,
    });
  });

  it('answers the token introspection', async () => {
    const answer = await sdk().token.introspect();
    expect(answer.authorization).toMatchObject({ rateLimit: 60, authorizedTo: { siteIds: [sandbox.siteId] } });
  });

  it('serves an unchanged SDK over a standalone start too (no state leaks between apps)', async () => {
    const other = createWebflowSandbox({ accessToken: TOKEN });
    const running = await startSandbox(other.app);
    try {
      const client = new WebflowClient({ accessToken: TOKEN, baseUrl: `${running.url}/v2`, maxRetries: 0 });
      const missing = await rejection(client.collections.get(collectionId));
      expect(missing.statusCode).toBe(404);
    } finally {
      await running.close();
    }
  });
});
