// The REST connector against the in-process sandbox over real HTTP: writes, lookups, recovery.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResourceRef, UpsertItem } from '../src/contract.ts';
import { startRest, type RestHarness } from './helpers.ts';

let h: RestHarness;
beforeAll(async () => {
  h = await startRest({ maxBatch: 10 }, { maxBatchSize: 10 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.store.clear();
  h.sandbox.counters.reset();
  h.sandbox.faults.clear();
});

const tasks: ResourceRef = { object: 'tasks', keyField: 'internal_id' };
const BATCH = 'POST /v1/collections/:c/records/batch';

function creates(count: number, prefix = 'local'): UpsertItem[] {
  return Array.from({ length: count }, (_, i) => ({
    internalId: `${prefix}-${i}`,
    externalId: null,
    fields: { title: `Task ${i}`, n: i },
  }));
}

describe('REST connector', () => {
  it('tests the connection and reports its limits', async () => {
    const result = await h.connector.testConnection();
    expect(result).toMatchObject({ ok: true, apiVersion: '1.0' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(h.connector.type).toBe('GENERIC_REST');
    expect(h.connector.limits).toEqual({ requestsPerWindow: 600, windowMs: 60_000, maxBatchSize: 10 });
    await expect(h.connect({ token: 'wrong' }).testConnection()).resolves.toMatchObject({
      ok: false,
      message: expect.stringMatching(/^auth:/),
    });
  });

  it('creates with the internal id as key, then updates with PATCH semantics', async () => {
    const created = await h.connector.upsertBatch(tasks, creates(3));
    expect(created.every((result) => result.ok)).toBe(true);
    const ids = created.map((result) => (result.ok ? result.externalId : ''));
    expect(ids.map((id) => h.sandbox.store.get('tasks', id)!.key)).toEqual(['local-0', 'local-1', 'local-2']);
    const updated = await h.connector.upsertBatch(tasks, [
      { internalId: 'local-1', externalId: ids[1]!, fields: { n: 42 } },
    ]);
    expect(updated).toEqual([{ internalId: 'local-1', ok: true, externalId: ids[1], updatedAt: expect.any(String) }]);
    expect(h.sandbox.store.get('tasks', ids[1]!)!.fields).toEqual({ title: 'Task 1', n: 42 });
  });

  it('lets one bad record fail alone', async () => {
    const items = creates(4);
    items[2]!.fields = { title: '__invalid__' };
    items.push({ internalId: 'gone', externalId: 'rec_missing', fields: { title: 'x' } });
    const results = await h.connector.upsertBatch(tasks, items);
    expect(results.map((result) => result.ok)).toEqual([true, true, false, true, false]);
    expect(results[2]).toMatchObject({
      internalId: 'local-2',
      ok: false,
      error: { kind: 'invalid', code: 'validation_failed' },
    });
    expect(results[4]).toMatchObject({ internalId: 'gone', ok: false, error: { kind: 'invalid', code: 'not_found' } });
    expect(h.sandbox.store.count('tasks')).toBe(3);
  });

  it('never sends more than maxBatchSize items per request', async () => {
    const results = await h.connector.upsertBatch(tasks, creates(25));
    expect(results.map((result) => result.internalId)).toEqual(creates(25).map((item) => item.internalId));
    expect(h.sandbox.counters.count(BATCH)).toBe(3);
    expect(h.sandbox.store.count('tasks')).toBe(25);
  });

  it('throws when the first request of a batch fails', async () => {
    h.sandbox.faults.failNext(1, 'error', { status: 503 });
    await expect(h.connector.upsertBatch(tasks, creates(12))).rejects.toMatchObject({ kind: 'retryable', status: 503 });
    expect(h.sandbox.store.count('tasks')).toBe(0);
  });

  it('keeps the results of earlier chunks when a later chunk fails', async () => {
    // Once the first request has passed the fault middleware, make the next one fail.
    h.server.server.once('request', () => h.sandbox.faults.failNext(1, 'error', { status: 503 }));
    const results = await h.connector.upsertBatch(tasks, creates(25));
    expect(results.slice(0, 10).every((result) => result.ok)).toBe(true);
    for (const result of results.slice(10))
      expect(result).toMatchObject({ ok: false, error: { kind: 'retryable', status: 503 } });
    expect(results).toHaveLength(25);
    expect(h.sandbox.store.count('tasks')).toBe(10);
    expect(h.sandbox.counters.count(BATCH)).toBe(1); // the third chunk was not sent
  });

  it('recovers a create whose response was lost: duplicate_key adopts the existing record', async () => {
    // First attempt reached the API, but the caller never saw the answer.
    const [lost] = await h.connector.upsertBatch(tasks, [
      { internalId: 'local-7', externalId: null, fields: { title: 'v1' } },
    ]);
    expect(lost!.ok).toBe(true);
    // The engine retries the create with newer fields (it has no external id stored).
    const retried = await h.connector.upsertBatch(tasks, [
      { internalId: 'local-7', externalId: null, fields: { title: 'v2' } },
      { internalId: 'local-8', externalId: null, fields: { title: 'new' } },
    ]);
    expect(retried[0]).toEqual({
      internalId: 'local-7',
      ok: true,
      externalId: lost!.ok ? lost!.externalId : '',
      updatedAt: expect.any(String),
    });
    expect(retried[1]).toMatchObject({ internalId: 'local-8', ok: true });
    expect(h.sandbox.store.count('tasks')).toBe(2);
    expect(h.sandbox.store.get('tasks', lost!.ok ? lost!.externalId : '')!.fields).toEqual({ title: 'v2' });
  });

  it('recovers a create whose response was lost: findByKeys before creating again', async () => {
    const sent = await h.connector.upsertBatch(tasks, creates(3));
    const found = await h.connector.findByKeys!(tasks, ['local-0', 'local-2', 'never-created', 'with,comma']);
    expect(found).toEqual(
      new Map([
        ['local-0', sent[0]!.ok ? sent[0]!.externalId : ''],
        ['local-2', sent[2]!.ok ? sent[2]!.externalId : ''],
      ]),
    );
    expect(await h.connector.findByKeys!(tasks, [])).toEqual(new Map());
  });

  it('fetches specific records, exposing the key under the key field', async () => {
    const sent = await h.connector.upsertBatch(tasks, creates(2));
    const ids = sent.map((result) => (result.ok ? result.externalId : ''));
    const records = await h.connector.getRecords!(tasks, [ids[1]!, 'rec_missing', ids[0]!]);
    expect(records.map((record) => record.id).sort()).toEqual([...ids].sort());
    expect(records.find((record) => record.id === ids[0])!.fields).toEqual({
      title: 'Task 0',
      n: 0,
      internal_id: 'local-0',
    });
  });

  it('deletes in batches; deleting what is already gone succeeds', async () => {
    const sent = await h.connector.upsertBatch(tasks, creates(3));
    const items = sent.map((result) => ({
      internalId: result.internalId,
      externalId: result.ok ? result.externalId : '',
    }));
    const results = await h.connector.deleteBatch(tasks, [...items, { internalId: 'x', externalId: 'rec_missing' }]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(h.sandbox.store.count('tasks')).toBe(0);
    expect((await h.connector.deleteBatch(tasks, items)).every((result) => result.ok)).toBe(true);
  });

  it('discovers fields', async () => {
    await h.connector.upsertBatch(tasks, [
      { internalId: 'i', externalId: null, fields: { title: 't', n: 1, done: false } },
    ]);
    expect(await h.connector.discoverFields!(tasks)).toEqual([
      { name: 'done', type: 'boolean', required: true },
      { name: 'n', type: 'number', required: true },
      { name: 'title', type: 'string', required: true },
    ]);
  });
});
