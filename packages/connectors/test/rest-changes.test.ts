// listChanges: full read, incremental reads with tombstones, and resuming from every page cursor.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangePage, ResourceRef } from '../src/contract.ts';
import { collect, startRest, type RestHarness } from './helpers.ts';

let h: RestHarness;
beforeAll(async () => {
  h = await startRest({}, { pageSize: 3 });
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.store.clear());

const tasks: ResourceRef = { object: 'tasks' };

/** What a sequence of pages delivered: record versions and deletions, each as one string. */
function delivered(pages: ChangePage[]): string[] {
  return pages.flatMap((page) => [
    ...page.records.map((record) => `${record.id}@${record.updatedAt}`),
    ...(page.deletedIds ?? []).map((id) => `deleted:${id}`),
  ]);
}

function seed(count: number): string[] {
  return Array.from({ length: count }, (_, i) => h.sandbox.store.create('tasks', { key: `k${i}`, fields: { i } }).id);
}

describe('REST listChanges', () => {
  it('full read: pages of live records, the last marked fullReadComplete', async () => {
    const ids = seed(8);
    h.sandbox.store.delete('tasks', ids[7]!);
    const pages = await collect(h.connector.listChanges(tasks, null));
    expect(pages.map((page) => page.records.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((page) => page.records.map((record) => record.id))).toEqual(ids.slice(0, 7));
    expect(pages.map((page) => page.fullReadComplete ?? false)).toEqual([false, false, true]);
    expect(pages.flatMap((page) => page.deletedIds ?? [])).toEqual([]);
    expect(pages[0]!.records[0]).toMatchObject({ fields: { i: 0 }, updatedAt: expect.stringMatching(/Z$/) });
  });

  it('an empty collection is one empty, complete page', async () => {
    const pages = await collect(h.connector.listChanges(tasks, null));
    expect(pages).toEqual([{ records: [], deletedIds: [], nextCursor: expect.any(String), fullReadComplete: true }]);
  });

  it('incremental read after the cursor: changes and tombstones, nothing already delivered', async () => {
    const ids = seed(5);
    const full = await collect(h.connector.listChanges(tasks, null));
    const cursor = full.at(-1)!.nextCursor;
    expect(await collect(h.connector.listChanges(tasks, cursor))).toEqual([
      { records: [], deletedIds: [], nextCursor: cursor },
    ]);
    h.sandbox.store.update('tasks', ids[1]!, { fields: { i: 10 } });
    h.sandbox.store.delete('tasks', ids[3]!);
    const added = h.sandbox.store.create('tasks', { fields: { i: 99 } });
    const pages = await collect(h.connector.listChanges(tasks, cursor));
    expect(pages.flatMap((page) => page.records.map((record) => record.id))).toEqual([ids[1], added.id]);
    expect(pages.flatMap((page) => page.deletedIds)).toEqual([ids[3]]);
    expect(pages.some((page) => page.fullReadComplete)).toBe(false);
    // The next read starts after all of that.
    expect(await collect(h.connector.listChanges(tasks, pages.at(-1)!.nextCursor))).toEqual([
      { records: [], deletedIds: [], nextCursor: pages.at(-1)!.nextCursor },
    ]);
  });

  it('options.full reads everything again even with a cursor', async () => {
    seed(4);
    const cursor = (await collect(h.connector.listChanges(tasks, null))).at(-1)!.nextCursor;
    const pages = await collect(h.connector.listChanges(tasks, cursor, { full: true }));
    expect(pages.flatMap((page) => page.records)).toHaveLength(4);
    expect(pages.at(-1)!.fullReadComplete).toBe(true);
  });

  it('resuming from any intermediate cursor neither loses nor duplicates changes', async () => {
    const ids = seed(10);
    const base = (await collect(h.connector.listChanges(tasks, null))).at(-1)!.nextCursor;
    // Eleven changes since `base`: updates, deletes (one of a record updated first), creates.
    for (const i of [0, 2, 4, 6]) h.sandbox.store.update('tasks', ids[i]!, { fields: { touched: true } });
    for (const i of [2, 5, 9]) h.sandbox.store.delete('tasks', ids[i]!);
    const created = Array.from({ length: 4 }, (_, i) => h.sandbox.store.create('tasks', { fields: { extra: i } }).id);
    const reference = await collect(h.connector.listChanges(tasks, base));
    const expected = delivered(reference);
    expect(reference.length).toBeGreaterThanOrEqual(3);
    expect(new Set(expected).size).toBe(expected.length);
    expect(expected.filter((item) => item.startsWith('deleted:'))).toEqual([
      `deleted:${ids[2]}`,
      `deleted:${ids[5]}`,
      `deleted:${ids[9]}`,
    ]);
    expect(reference.flatMap((page) => page.records.map((record) => record.id))).toEqual([
      ids[0],
      ids[4],
      ids[6],
      ...created,
    ]);

    for (let k = 0; k < reference.length; k++) {
      // Pages 0..k were committed; the engine crashed and resumes from page k's cursor.
      const resumed = await collect(h.connector.listChanges(tasks, reference[k]!.nextCursor));
      const all = [...delivered(reference.slice(0, k + 1)), ...delivered(resumed)];
      expect(all).toEqual(expected);
      expect(resumed.at(-1)!.nextCursor).toBe(reference.at(-1)!.nextCursor);
    }
  });

  it('changes made while paging are delivered later, deletes during a full read included', async () => {
    const ids = seed(9);
    const iterator = h.connector.listChanges(tasks, null)[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as ChangePage;
    expect(first.records.map((record) => record.id)).toEqual(ids.slice(0, 3));
    h.sandbox.store.delete('tasks', ids[0]!); // already delivered
    h.sandbox.store.delete('tasks', ids[5]!); // not delivered yet
    h.sandbox.store.update('tasks', ids[1]!, { fields: { i: 100 } }); // delivered, changed again
    const rest: ChangePage[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
    const records = rest.flatMap((page) => page.records.map((record) => record.id));
    expect(records).toEqual([ids[3], ids[4], ids[6], ids[7], ids[8], ids[1]]);
    expect(rest.flatMap((page) => page.deletedIds)).toEqual([ids[0], ids[5]]);
    expect(rest.at(-1)!.fullReadComplete).toBe(true);
    // Nothing is left over for the next incremental read.
    expect(delivered(await collect(h.connector.listChanges(tasks, rest.at(-1)!.nextCursor)))).toEqual([]);
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(collect(h.connector.listChanges(tasks, 'garbage'))).rejects.toMatchObject({ kind: 'invalid' });
  });
});
