// The records API as seen over HTTP, without the connector.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRest, TOKEN, type RestHarness } from './helpers.ts';

let h: RestHarness;
beforeAll(async () => {
  h = await startRest({ maxBatch: 5 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.store.clear();
  h.sandbox.counters.reset();
  h.sandbox.limiter.reset();
});

async function api(method: string, path: string, body?: unknown, token = TOKEN) {
  const response = await fetch(`${h.server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

const records = '/v1/collections/tasks/records';

describe('REST sandbox over HTTP', () => {
  it('requires the bearer token', async () => {
    const missing = await fetch(`${h.server.url}/v1/me`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
    expect((await api('GET', '/v1/me', undefined, 'wrong')).status).toBe(401);
    expect(await api('GET', '/v1/me')).toMatchObject({ status: 200, body: { ok: true, api_version: '1.0' } });
  });

  it('creates, reads, patches and deletes one record', async () => {
    const created = await api('POST', records, { key: 'k1', fields: { title: 'A', n: 1 } });
    expect(created.status).toBe(201);
    const id = created.body!.id as string;
    expect(created.body).toMatchObject({ key: 'k1', fields: { title: 'A', n: 1 }, deleted: false });
    expect((await api('GET', `${records}/${id}`)).body).toMatchObject({ id, fields: { title: 'A' } });
    const patched = await api('PATCH', `${records}/${id}`, { fields: { n: 2 } });
    expect(patched.body).toMatchObject({ fields: { title: 'A', n: 2 } });
    expect(String(patched.body!.updated_at) > String(created.body!.updated_at)).toBe(true);
    expect((await api('DELETE', `${records}/${id}`)).body).toMatchObject({ id, deleted: true });
    expect(await api('GET', `${records}/${id}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await api('PATCH', `${records}/${id}`, { fields: {} })).status).toBe(404);
    expect((await api('POST', records, { key: 'k1', fields: {} })).status).toBe(201);
    expect(await api('POST', records, { key: 'k1', fields: {} })).toMatchObject({
      status: 409,
      body: { error: 'duplicate_key', existing_id: expect.any(String) },
    });
  });

  it('batch: creates and updates with per-item results and partial success', async () => {
    const existing = h.sandbox.store.create('tasks', { key: 'taken', fields: { title: 'old', n: 1 } });
    const { status, body } = await api('POST', `${records}/batch`, {
      records: [
        { fields: { title: 'new' } },
        { id: existing.id, fields: { n: 2 } },
        { fields: { title: '__invalid__' } },
        { key: 'taken', fields: { title: 'again' } },
        { id: 'rec_missing', fields: {} },
      ],
    });
    expect(status).toBe(200);
    expect(body!.results).toEqual([
      { ok: true, id: expect.any(String), updated_at: expect.any(String) },
      { ok: true, id: existing.id, updated_at: expect.any(String) },
      { ok: false, error: { code: 'validation_failed', message: expect.any(String) } },
      { ok: false, error: { code: 'duplicate_key', message: expect.any(String), existing_id: existing.id } },
      { ok: false, id: 'rec_missing', error: { code: 'not_found', message: expect.any(String) } },
    ]);
    expect(h.sandbox.store.get('tasks', existing.id)!.fields).toEqual({ title: 'old', n: 2 });
    expect(h.sandbox.store.count('tasks')).toBe(2);
  });

  it('batch: refuses more than maxBatch items with a clear error', async () => {
    const tooMany = Array.from({ length: 6 }, () => ({ fields: {} }));
    const response = await api('POST', `${records}/batch`, { records: tooMany });
    expect(response).toMatchObject({
      status: 413,
      body: { error: 'batch_too_large', message: 'a batch may carry at most 5 items; got 6' },
    });
    expect(h.sandbox.store.count('tasks')).toBe(0);
    expect((await api('POST', `${records}/batch`, { nope: [] })).status).toBe(400);
  });

  it('batch_delete reports missing ids per item', async () => {
    const a = h.sandbox.store.create('tasks', { fields: {} });
    const { body } = await api('POST', `${records}/batch_delete`, { ids: [a.id, 'rec_nope', a.id] });
    expect(body!.results).toEqual([
      { ok: true, id: a.id, updated_at: expect.any(String) },
      { ok: false, id: 'rec_nope', error: { code: 'not_found', message: expect.any(String) } },
      { ok: false, id: a.id, error: { code: 'not_found', message: expect.any(String) } },
    ]);
  });

  it('lists with limits, cursors, key and id filters', async () => {
    const made = Array.from({ length: 5 }, (_, i) => h.sandbox.store.create('tasks', { key: `k${i}`, fields: { i } }));
    const first = await api('GET', `${records}?limit=2`);
    expect((first.body!.records as unknown[]).length).toBe(2);
    const second = await api('GET', `${records}?limit=2&cursor=${first.body!.next_cursor as string}`);
    expect((second.body!.records as { id: string }[]).map((r) => r.id)).toEqual([made[2]!.id, made[3]!.id]);
    expect((await api('GET', `${records}?key=k1,k3`)).body!.records).toHaveLength(2);
    expect((await api('GET', `${records}?ids=${made[0]!.id},${made[4]!.id}`)).body!.records).toHaveLength(2);
    expect((await api('GET', `${records}?limit=501`)).status).toBe(400);
    expect((await api('GET', `${records}?limit=0`)).status).toBe(400);
    expect((await api('GET', `${records}?cursor=bogus`)).status).toBe(400);
    expect((await api('GET', `${records}?updated_since=bogus`)).status).toBe(400);
    expect((await api('GET', `${records}`)).body!.records).toHaveLength(5); // default limit 100
  });

  it('discovers fields and answers unknown routes and bad JSON with JSON errors', async () => {
    h.sandbox.store.create('tasks', { fields: { title: 'x', n: 1, due: '2025-01-01' } });
    expect((await api('GET', '/v1/collections/tasks/fields')).body).toEqual({
      fields: [
        { name: 'due', type: 'date', nullable: false },
        { name: 'n', type: 'number', nullable: false },
        { name: 'title', type: 'string', nullable: false },
      ],
    });
    expect((await api('GET', '/v1/collections')).body).toEqual({ collections: [{ name: 'tasks', record_count: 1 }] });
    expect(await api('GET', '/v2/nothing')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await api('POST', records, '{not json')).toMatchObject({ status: 400, body: { error: 'invalid_json' } });
  });

  it('counts requests per route pattern and sends rate-limit headers', async () => {
    const a = h.sandbox.store.create('tasks', { fields: {} });
    const response = await api('GET', `${records}/${a.id}`);
    await api('GET', `${records}/${a.id}`);
    await api('GET', records);
    expect(response.headers.get('x-ratelimit-limit')).toBe('600');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('599');
    expect(h.sandbox.counters.byEndpoint()).toEqual({
      'GET /v1/collections/:c/records/:id': 2,
      'GET /v1/collections/:c/records': 1,
    });
  });
});
