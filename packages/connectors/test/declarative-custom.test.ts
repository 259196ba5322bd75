// Custom definitions: the pagination styles no shipped definition uses (offset, Link header), a
// resumed read, a next link to another host; and the shipped generic definition against the
// hand-written generic REST sandbox (the F025 API itself): keys, duplicate adoption, webhooks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeclarativeConnector } from '../src/declarative/connector.ts';
import { parseDefinition } from '../src/declarative/definition.ts';
import { genericDefinition } from '../src/declarative/definitions/generic.ts';
import { SHIPPED_DEFINITIONS } from '../src/declarative/definitions/index.ts';
import { genericProfileWith } from '../src/declarative/sandbox-profiles.ts';
import { collectPages, startDeclarative } from './declarative-harness.ts';
import { startReceiver, startRest, TOKEN, type RestHarness } from './helpers.ts';

function withPagination(pagination: unknown, pageSize = { param: 'limit', value: 10 }) {
  return parseDefinition({ ...genericDefinition, list: { ...genericDefinition.list, pageSize, pagination } });
}

describe('pagination styles of custom definitions', () => {
  it('pages by offset until a short page', async () => {
    const h = await startDeclarative('generic', {
      profile: genericProfileWith({ style: 'offset', param: 'offset' }),
      definition: withPagination({ style: 'offset', param: 'offset' }),
    });
    try {
      const made = Array.from({ length: 25 }, (_, i) => h.sandbox.store.create('tasks', { title: `T${i}` }).id);
      const pages = await collectPages(h.connector.listChanges({ object: 'tasks' }, null));
      expect(pages.map((page) => page.records.length)).toEqual([10, 10, 5]);
      expect(pages.flatMap((page) => page.records.map((r) => r.id))).toEqual(made);
    } finally {
      await h.close();
    }
  });

  it('follows Link: rel="next" headers, and resumes a read from a page cursor', async () => {
    const h = await startDeclarative('generic', {
      profile: genericProfileWith({ style: 'page', param: 'page', first: 1, meta: 'link-header' }),
      definition: withPagination({ style: 'link-header' }),
    });
    try {
      const made = Array.from({ length: 23 }, (_, i) => h.sandbox.store.create('tasks', { title: `T${i}` }).id);
      const pages = await collectPages(h.connector.listChanges({ object: 'tasks' }, null));
      expect(pages.map((page) => page.records.length)).toEqual([10, 10, 3]);
      expect(pages.at(-1)?.fullReadComplete).toBe(true);
      // The engine stored the first page's cursor, then crashed: the read resumes at page 2.
      const resumed = await collectPages(h.connector.listChanges({ object: 'tasks' }, pages[0]!.nextCursor));
      expect(resumed.flatMap((page) => page.records.map((r) => r.id))).toEqual(made.slice(10));
      expect(resumed.at(-1)?.fullReadComplete).toBeUndefined(); // a resumed read never infers deletes
    } finally {
      await h.close();
    }
  });

  it('refuses to follow a next link to another host (credentials would go with it)', async () => {
    const h = await startDeclarative('harvest');
    try {
      for (let i = 0; i < 3; i++) h.sandbox.store.create('time_entries', { notes: `n${i}` });
      const cursor = JSON.stringify({
        v: 1,
        since: null,
        sinceRaw: null,
        page: 'https://evil.example.com/v2/time_entries?page=2',
        high: null,
        highRaw: null,
      });
      await expect(collectPages(h.connector.listChanges({ object: 'time_entries' }, cursor))).rejects.toMatchObject({
        kind: 'invalid',
        message: expect.stringMatching(/another host/),
      });
      expect(h.sandbox.counters.total).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe('the generic definition against the generic REST API sandbox', () => {
  let rest: RestHarness;
  const tasks = { object: 'tasks', keyField: 'internal_id' };
  const connector = () =>
    createDeclarativeConnector(SHIPPED_DEFINITIONS.generic, {
      baseUrl: rest.server.url,
      credentials: { token: TOKEN },
      timeoutMs: 5000,
    });

  beforeAll(async () => {
    rest = await startRest();
  });
  afterAll(() => rest.close());

  it('creates with our key, finds it again, adopts a duplicate, and reads incrementally with tombstones', async () => {
    const c = connector();
    const [first] = await c.upsertBatch(tasks, [
      { internalId: 'local-1', externalId: null, fields: { title: 'One', internal_id: 'ignored' } },
    ]);
    expect(first).toMatchObject({ ok: true });
    const id = first!.ok ? first!.externalId : '';
    expect(rest.sandbox.store.get('tasks', id)).toMatchObject({ key: 'local-1', fields: { title: 'One' } });
    await expect(c.findByKeys!(tasks, ['local-1', 'local-2'])).resolves.toEqual(new Map([['local-1', id]]));
    // A create whose answer was lost, sent again: the API says duplicate_key; the record is updated instead.
    const [again] = await c.upsertBatch(tasks, [
      { internalId: 'local-1', externalId: null, fields: { title: 'One again' } },
    ]);
    expect(again).toMatchObject({ ok: true, externalId: id });
    expect(rest.sandbox.store.count('tasks')).toBe(1);
    expect(rest.sandbox.store.get('tasks', id)?.fields.title).toBe('One again');

    const full = await collectPages(c.listChanges(tasks, null));
    expect(full.flatMap((p) => p.records)).toEqual([
      expect.objectContaining({ id, fields: { title: 'One again', internal_id: 'local-1' } }),
    ]);
    rest.sandbox.store.delete('tasks', id);
    const incremental = await collectPages(c.listChanges(tasks, full.at(-1)!.nextCursor));
    expect(incremental.flatMap((p) => p.deletedIds)).toEqual([id]);
  });

  it('verifies the REST sandbox webhooks (X-Webhook-Signature over "{timestamp}.{body}")', async () => {
    const receiver = await startReceiver();
    try {
      rest.sandbox.webhooks.configure({ url: receiver.url, secret: 'rest-secret', retryDelayMs: 0 });
      const made = rest.sandbox.store.create('tasks', { key: 'k-9', fields: { title: 'Hooked' } });
      await receiver.waitFor(1);
      const delivery = receiver.received[0]!;
      const request = { method: 'POST', url: delivery.url, headers: delivery.headers, rawBody: delivery.rawBody };
      const c = connector();
      expect(c.verifyWebhook(request, 'rest-secret')).toMatchObject({ ok: true, deliveryId: expect.any(String) });
      expect(c.verifyWebhook(request, 'other')).toEqual({ ok: false, reason: 'bad_signature' });
      expect(c.parseWebhook(request)).toEqual([
        expect.objectContaining({
          object: 'tasks',
          externalId: made.id,
          action: 'created',
          record: expect.objectContaining({ fields: { title: 'Hooked' } }),
        }),
      ]);
    } finally {
      rest.sandbox.webhooks.configure(null);
      await receiver.close();
    }
  });
});
