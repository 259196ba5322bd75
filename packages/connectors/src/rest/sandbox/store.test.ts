import { describe, expect, it } from 'vitest';
import { formatMicros, parseMicros } from './stamps.ts';
import { RecordStore, StoreError, type StoredRecord } from './store.ts';

/** A clock frozen at one millisecond, to prove stamps still increase within it. */
const frozen = () => Date.parse('2025-12-18T12:00:00.000Z');

function pageThrough(
  store: RecordStore,
  collection: string,
  query: { updatedSince?: string; limit: number },
): StoredRecord[][] {
  const pages: StoredRecord[][] = [];
  let cursor: string | null = null;
  do {
    const page = store.list(collection, { ...query, cursor });
    pages.push(page.records);
    cursor = page.next_cursor;
  } while (cursor);
  return pages;
}

describe('stamps', () => {
  it('formats and parses microseconds', () => {
    const micros = Date.parse('2025-12-18T12:00:00.123Z') * 1000 + 456;
    expect(formatMicros(micros)).toBe('2025-12-18T12:00:00.123456Z');
    expect(parseMicros('2025-12-18T12:00:00.123456Z')).toBe(micros);
    expect(parseMicros('2025-12-18T12:00:00.123Z')).toBe(micros - 456);
    expect(parseMicros('2025-12-18T13:00:00+01:00')).toBe(Date.parse('2025-12-18T12:00:00Z') * 1000);
    expect(parseMicros('nonsense')).toBeNull();
  });
});

describe('RecordStore', () => {
  it('stamps updated_at strictly increasing within one millisecond', () => {
    const store = new RecordStore({ clock: frozen });
    const stamps = Array.from({ length: 50 }, (_, i) => store.create('c', { fields: { i } }).updated_at);
    const updated = store.update('c', store.list('c').records[0]!.id, { fields: { i: -1 } });
    stamps.push(updated.updated_at);
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('merges fields on update and keeps created_at', () => {
    const store = new RecordStore();
    const created = store.create('c', { fields: { a: 1, b: 2 } });
    const updated = store.update('c', created.id, { fields: { b: 3 } });
    expect(updated.fields).toEqual({ a: 1, b: 3 });
    expect(updated.created_at).toBe(created.created_at);
    expect(updated.updated_at > created.updated_at).toBe(true);
  });

  it('keeps keys unique among live records and frees them on delete', () => {
    const store = new RecordStore();
    const first = store.create('c', { key: 'k1', fields: {} });
    expect(() => store.create('c', { key: 'k1', fields: {} })).toThrow(
      expect.objectContaining({ code: 'duplicate_key', existingId: first.id }),
    );
    expect(store.create('other', { key: 'k1', fields: {} }).key).toBe('k1'); // per collection
    store.delete('c', first.id);
    expect(store.create('c', { key: 'k1', fields: {} }).id).not.toBe(first.id);
    expect(() => store.create('c', { key: 'a,b', fields: {} })).toThrow(StoreError);
  });

  it('rejects invalid fields, nested markers included, and runs the custom validator', () => {
    const store = new RecordStore({
      validate: (fields) => (typeof fields.title === 'number' ? 'title must be text' : null),
    });
    expect(() => store.create('c', { fields: { a: '__invalid__' } })).toThrow(/invalid value/);
    expect(() => store.create('c', { fields: { a: { b: ['__invalid__'] } } })).toThrow(StoreError);
    expect(() => store.create('c', { fields: [] })).toThrow(/JSON object/);
    expect(() => store.create('c', { fields: { title: 1 } })).toThrow('title must be text');
  });

  it('hides tombstones from full listings and shows them after updated_since', () => {
    const store = new RecordStore();
    const a = store.create('c', { fields: { n: 1 } });
    const since = a.updated_at;
    const b = store.create('c', { fields: { n: 2 } });
    store.delete('c', a.id);
    expect(store.list('c').records.map((r) => r.id)).toEqual([b.id]);
    expect(store.list('c', { updatedSince: since }).records.map((r) => [r.id, r.deleted])).toEqual([
      [b.id, false],
      [a.id, true],
    ]);
    expect(store.get('c', a.id)).toBeUndefined();
    expect(() => store.delete('c', a.id)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('pages in updated_at order; a write moves a record to the end', () => {
    const store = new RecordStore();
    const ids = Array.from({ length: 7 }, (_, i) => store.create('c', { fields: { i } }).id);
    store.update('c', ids[0]!, { fields: { i: 100 } });
    const pages = pageThrough(store, 'c', { limit: 3 });
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((r) => r.id)).toEqual([...ids.slice(1), ids[0]]);
  });

  it('reports records deleted during a full listing on its later pages', () => {
    const store = new RecordStore();
    const ids = Array.from({ length: 6 }, (_, i) => store.create('c', { fields: { i } }).id);
    store.delete('c', store.create('c', { fields: {} }).id); // deleted before the listing: never shown
    const first = store.list('c', { limit: 2 });
    store.delete('c', ids[0]!); // already delivered
    const rest = pageThrough(store, 'c', { limit: 2 }); // a fresh listing for comparison
    const resumed = store.list('c', { limit: 10, cursor: first.next_cursor });
    expect(resumed.records.map((r) => [r.id, r.deleted])).toEqual([
      [ids[2], false],
      [ids[3], false],
      [ids[4], false],
      [ids[5], false],
      [ids[0], true],
    ]);
    expect(rest.flat().some((r) => r.deleted)).toBe(false);
  });

  it('filters by keys and ids, validates limit and cursor', () => {
    const store = new RecordStore();
    const a = store.create('c', { key: 'ka', fields: {} });
    const b = store.create('c', { key: 'kb', fields: {} });
    store.create('c', { fields: {} });
    expect(store.list('c', { keys: ['kb', 'zz'] }).records.map((r) => r.id)).toEqual([b.id]);
    expect(store.list('c', { ids: [a.id, b.id] }).records).toHaveLength(2);
    expect(() => store.list('c', { limit: 501 })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => store.list('c', { cursor: 'garbage' })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => store.list('c', { updatedSince: 'yesterday' })).toThrow(StoreError);
    expect(store.list('missing')).toEqual({ records: [], next_cursor: null });
  });

  it('infers field types from live records', () => {
    const store = new RecordStore();
    store.create('c', {
      fields: { title: 'a', n: 1, on: '2025-01-01', at: '2025-01-01T10:00:00Z', tags: [], meta: {}, x: 1 },
    });
    store.create('c', { fields: { title: 'b', n: 2, ok: true, x: 'text', maybe: null } });
    expect(Object.fromEntries(store.inferFields('c').map((f) => [f.name, [f.type, f.nullable]]))).toEqual({
      at: ['datetime', true],
      maybe: ['unknown', true],
      meta: ['json', true],
      n: ['number', false],
      ok: ['boolean', true],
      on: ['date', true],
      tags: ['array', true],
      title: ['string', false],
      x: ['unknown', false],
    });
  });

  it('notifies listeners of every write', () => {
    const store = new RecordStore();
    const seen: string[] = [];
    store.onChange((change) => seen.push(`${change.type}:${change.record.id}`));
    const r = store.create('c', { fields: {} });
    store.update('c', r.id, { fields: { a: 1 } });
    store.delete('c', r.id);
    expect(seen).toEqual([`record.created:${r.id}`, `record.updated:${r.id}`, `record.deleted:${r.id}`]);
  });
});
