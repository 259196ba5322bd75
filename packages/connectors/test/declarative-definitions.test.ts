// Every shipped declarative definition against the generic sandbox speaking that vendor's API
// (paths, auth, pagination, record shape, errors) over real HTTP: a full read of at least two pages
// in the vendor's pagination style, an incremental read, creates, updates and deletes (through the
// batch endpoints where the definition has them), per-record failures, lookups and the 429.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fields, ResourceRef, UpsertItem } from '../src/contract.ts';
import type { ShippedDefinitionId } from '../src/declarative/definitions/index.ts';
import { SANDBOX_CREDENTIALS } from '../src/declarative/sandbox-profiles.ts';
import { SANDBOX_INVALID_MARKER, type SandboxItem } from '../src/declarative/sandbox-store.ts';
import type { DeclarativeSandbox } from '../src/declarative/sandbox.ts';
import { collectPages, manualClock, startDeclarative, type DeclarativeHarness } from './declarative-harness.ts';

interface Case {
  id: ShippedDefinitionId;
  resource: ResourceRef;
  /** The sandbox object records live in. */
  object: string;
  /** Records per page in the vendor's default (the read must span two pages at least). */
  pageSize: number;
  /** Counter key of the list request(s). */
  listEndpoints: string[];
  seed(sandbox: DeclarativeSandbox, i: number): SandboxItem;
  newFields(i: number): Fields;
  changedFields: Fields;
  /** Where the update shows in the stored record. */
  changed(item: SandboxItem): unknown;
  /** The API reports deletes in incremental reads (tombstones). */
  tombstones?: boolean;
  /** Every read is a full read (no updated-at on the records). */
  fullReadsOnly?: boolean;
  /** The single-write, per-record answer to a missing record is an item failure (GraphQL). */
  deleteMissingFails?: boolean;
  batch?: { create: string; update?: string; delete: string };
  /** 429 carries how long to wait. */
  retryAfter: boolean;
  setup?(sandbox: DeclarativeSandbox): void;
}

const minute = (start: number, i: number) => new Date(start - i * 60_000).toISOString().replace('.000Z', '+00:00');

const CASES: Case[] = [
  {
    id: 'generic',
    resource: { object: 'tasks', keyField: 'internal_id' },
    object: 'tasks',
    pageSize: 100,
    listEndpoints: ['GET /v1/collections/:object/records'],
    seed: (s, i) => s.store.create('tasks', { title: `Task ${i}`, n: i }),
    newFields: (i) => ({ title: `New ${i}`, n: 1000 + i }),
    changedFields: { title: 'Changed' },
    changed: (item) => item.fields.title,
    tombstones: true,
    batch: {
      create: 'POST /v1/collections/:object/records/batch',
      delete: 'POST /v1/collections/:object/records/batch_delete',
    },
    retryAfter: true,
  },
  {
    id: 'trello',
    resource: { object: 'board-1', options: { listId: 'list-1' } },
    object: 'board-1',
    pageSize: 1000,
    listEndpoints: ['GET /1/boards/:object/cards'],
    setup: (s) => s.alias('list-1', 'board-1'),
    seed: (s, i) => s.store.create('board-1', { name: `Card ${i}`, desc: '', idList: 'list-1' }),
    newFields: (i) => ({ name: `New card ${i}`, desc: 'made by the connector' }),
    changedFields: { name: 'Changed' },
    changed: (item) => item.fields.name,
    retryAfter: true,
  },
  {
    id: 'monday',
    resource: { object: '4200000001' },
    object: '4200000001',
    pageSize: 100,
    listEndpoints: ['POST /v2'],
    seed: (s, i) =>
      s.store.create('4200000001', {
        name: `Item ${i}`,
        column_values: { status: 'Working on it', text0: `note ${i}` },
      }),
    newFields: (i) => ({ name: `New item ${i}`, column_values: { status: { label: 'Done' }, text0: 'fresh' } }),
    changedFields: { name: 'Changed', column_values: { text0: 'edited' } },
    changed: (item) => [
      item.fields.name,
      (item.fields.column_values as Record<string, string>).text0,
      (item.fields.column_values as Record<string, string>).status,
    ],
    deleteMissingFails: true,
    retryAfter: true,
  },
  {
    id: 'clickup',
    resource: { object: 'list-900' },
    object: 'list-900',
    pageSize: 100,
    listEndpoints: ['GET /api/v2/list/:object/task'],
    seed: (s, i) => s.store.create('list-900', { name: `Task ${i}`, description: '', status: { status: 'to do' } }),
    newFields: (i) => ({ name: `New task ${i}`, description: 'made by the connector' }),
    changedFields: { name: 'Changed' },
    changed: (item) => item.fields.name,
    retryAfter: true,
  },
  {
    id: 'toggl',
    resource: { object: '777' },
    object: '777',
    pageSize: 1000,
    listEndpoints: ['GET /api/v9/me/time_entries'],
    seed: (s, i) =>
      s.store.create('777', {
        description: `Entry ${i}`,
        start: minute(Date.parse('2026-01-04T12:00:00Z'), i),
        duration: 600,
      }),
    newFields: (i) => ({
      description: `New entry ${i}`,
      start: minute(Date.parse('2026-01-06T12:00:00Z'), i),
      duration: 900,
    }),
    changedFields: { description: 'Changed' },
    changed: (item) => item.fields.description,
    tombstones: true,
    retryAfter: true,
  },
  {
    id: 'harvest',
    resource: { object: 'time_entries' },
    object: 'time_entries',
    pageSize: 2000,
    listEndpoints: ['GET /v2/:object'],
    seed: (s, i) =>
      s.store.create('time_entries', { spent_date: '2026-01-04', hours: 1.5, notes: `Entry ${i}`, project_id: 14 }),
    newFields: (i) => ({ spent_date: '2026-01-06', hours: 2, notes: `New ${i}`, project_id: 14, task_id: 8 }),
    changedFields: { notes: 'Changed' },
    changed: (item) => item.fields.notes,
    retryAfter: true,
  },
  {
    id: 'clockify',
    resource: { object: 'user-1' },
    object: 'user-1',
    pageSize: 200,
    listEndpoints: ['GET /api/v1/workspaces/:workspace/user/:object/time-entries'],
    seed: (s, i) =>
      s.store.create('user-1', {
        description: `Entry ${i}`,
        start: '2026-01-04T09:00:00Z',
        end: '2026-01-04T10:00:00Z',
        billable: false,
      }),
    newFields: (i) => ({
      description: `New ${i}`,
      start: '2026-01-06T09:00:00Z',
      end: '2026-01-06T09:30:00Z',
      billable: true,
    }),
    changedFields: { description: 'Changed', start: '2026-01-06T09:00:00Z', end: '2026-01-06T09:30:00Z' },
    changed: (item) => item.fields.description,
    fullReadsOnly: true,
    retryAfter: true,
  },
  {
    id: 'salesforce',
    resource: { object: 'Contact', keyField: 'Syncbridge_Id__c', options: { fields: ['LastName', 'Email'] } },
    object: 'Contact',
    pageSize: 200,
    listEndpoints: ['GET /services/data/v60.0/query', 'GET /services/data/v60.0/query/:locator'],
    seed: (s, i) => s.store.create('Contact', { LastName: `Last ${i}`, Email: `c${i}@example.com` }),
    newFields: (i) => ({ LastName: `New ${i}`, Email: `new${i}@example.com` }),
    changedFields: { LastName: 'Changed' },
    changed: (item) => item.fields.LastName,
    batch: {
      create: 'POST /services/data/v60.0/composite/sobjects',
      update: 'PATCH /services/data/v60.0/composite/sobjects',
      delete: 'DELETE /services/data/v60.0/composite/sobjects',
    },
    retryAfter: false, // REQUEST_LIMIT_EXCEEDED (403) says no wait
  },
];

const listRequests = (h: DeclarativeHarness, c: Case) =>
  c.listEndpoints.reduce((sum, endpoint) => sum + h.sandbox.counters.count(endpoint), 0);

describe.each(CASES)('declarative definition: $id', (c) => {
  let h: DeclarativeHarness;
  const clock = manualClock();
  let seeded: SandboxItem[] = [];

  beforeAll(async () => {
    h = await startDeclarative(c.id, { sandbox: { clock: clock.now } });
    c.setup?.(h.sandbox);
    seeded = Array.from({ length: c.pageSize + 5 }, (_, i) => c.seed(h.sandbox, i));
  });
  afterAll(() => h?.close());

  it('tests the connection, and reports bad credentials as auth without echoing them', async () => {
    await expect(h.connector.testConnection()).resolves.toMatchObject({ ok: true });
    const bad = Object.fromEntries(Object.keys(SANDBOX_CREDENTIALS[c.id]).map((name) => [name, `wrong-${name}-value`]));
    const result = await h.connect({ credentials: bad }).testConnection();
    expect(result.ok).toBe(false);
    expect(result.error?.kind).toBe('auth');
    for (const value of Object.values(bad)) expect(JSON.stringify(result)).not.toContain(value);
  });

  it(`lists every record over at least two pages in the vendor's pagination style`, async () => {
    const before = listRequests(h, c);
    const pages = await collectPages(h.connector.listChanges(c.resource, null));
    const ids = pages.flatMap((page) => page.records.map((record) => record.id));
    expect(ids.sort()).toEqual(seeded.map((item) => item.id).sort());
    expect(listRequests(h, c) - before).toBeGreaterThanOrEqual(2);
    expect(pages.at(-1)?.fullReadComplete).toBe(true);
    expect(pages.slice(0, -1).every((page) => !page.fullReadComplete)).toBe(true);
    const sample = pages.flatMap((page) => page.records).find((record) => record.id === seeded[0]!.id)!;
    expect(sample.fields).toMatchObject(seeded[0]!.fields);
    if (!c.fullReadsOnly)
      expect(Date.parse(sample.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse('2026-01-05T09:00:00Z') - 1000);
  });

  it(
    c.fullReadsOnly
      ? 'reads in full each time (the API has no change filter)'
      : 'reads incrementally: only what changed since the cursor',
    async () => {
      // An anchor changed an hour after the seed moves the high-water mark past the seeded records.
      clock.advance(3_600_000);
      const anchor = h.sandbox.store.update(c.object, seeded[0]!.id, c.changedFields);
      const first = await collectPages(h.connector.listChanges(c.resource, null));
      const cursor = first.at(-1)!.nextCursor;
      clock.advance(3_600_000);
      const updated = [seeded[1]!, seeded[2]!].map((item) =>
        h.sandbox.store.update(c.object, item.id, c.changedFields),
      );
      const created = c.seed(h.sandbox, 9999);
      const removed = c.tombstones ? h.sandbox.store.delete(c.object, seeded[3]!.id) : null;
      const pages = await collectPages(h.connector.listChanges(c.resource, cursor));
      const ids = new Set(pages.flatMap((page) => page.records.map((record) => record.id)));
      const changed = [...updated, created].map((item) => item.id);
      for (const id of changed) expect(ids.has(id)).toBe(true);
      if (c.fullReadsOnly) {
        expect(ids.size).toBe(h.sandbox.store.count(c.object));
        expect(pages.at(-1)?.fullReadComplete).toBe(true);
      } else {
        // Only the changes (and, for second-precision filters, the anchor inside the overlap).
        expect([...ids].filter((id) => !changed.includes(id) && id !== anchor.id)).toEqual([]);
        expect(pages.some((page) => page.fullReadComplete)).toBe(false);
      }
      if (removed) expect(pages.flatMap((page) => page.deletedIds ?? [])).toContain(removed.id);
    },
  );

  let createdIds: string[] = [];

  it(
    c.batch ? 'creates and updates through the batch endpoints' : 'creates and updates one record per request',
    async () => {
      h.sandbox.counters.reset();
      const items: UpsertItem[] = [0, 1, 2].map((i) => ({
        internalId: `local-${c.id}-${i}`,
        externalId: null,
        fields: c.newFields(i),
      }));
      const results = await h.connector.upsertBatch(c.resource, items);
      expect(results.map((r) => r.ok)).toEqual([true, true, true]);
      createdIds = results.map((r) => (r.ok ? r.externalId : ''));
      for (const [i, id] of createdIds.entries()) {
        const stored = h.sandbox.store.get(c.object, id);
        expect(stored, `record ${id}`).toBeDefined();
        const expected = c.newFields(i);
        if (c.id === 'monday')
          expect(stored!.fields).toMatchObject({
            name: expected.name,
            column_values: { status: 'Done', text0: 'fresh' },
          });
        else expect(stored!.fields).toMatchObject(expected);
      }
      if (c.batch) expect(h.sandbox.counters.count(c.batch.create)).toBe(1);
      else expect(h.sandbox.counters.total).toBe(3);

      h.sandbox.counters.reset();
      const updates = await h.connector.upsertBatch(
        c.resource,
        createdIds.slice(0, 2).map((externalId, i) => ({
          internalId: `local-${c.id}-${i}`,
          externalId,
          fields: { ...c.newFields(i), ...c.changedFields },
        })),
      );
      expect(updates).toEqual(
        createdIds
          .slice(0, 2)
          .map((externalId, i) => expect.objectContaining({ internalId: `local-${c.id}-${i}`, ok: true, externalId })),
      );
      const after = h.sandbox.store.get(c.object, createdIds[0]!)!;
      if (c.id === 'monday') expect(c.changed(after)).toEqual(['Changed', 'edited', 'Done']);
      else expect(c.changed(after)).toBe(Object.values(c.changedFields)[0]);
      if (c.batch?.update) expect(h.sandbox.counters.count(c.batch.update)).toBe(1);
      if (c.batch) expect(h.sandbox.counters.total).toBe(1);
      else expect(h.sandbox.counters.total).toBe(2);
    },
  );

  it('lets one bad record fail alone', async () => {
    const items: UpsertItem[] = [0, 1, 2].map((i) => ({
      internalId: `bad-${c.id}-${i}`,
      externalId: null,
      fields: c.newFields(10 + i),
    }));
    const nameField = Object.keys(items[1]!.fields)[0]!;
    items[1]!.fields = { ...items[1]!.fields, [nameField]: SANDBOX_INVALID_MARKER };
    const results = await h.connector.upsertBatch(c.resource, items);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ internalId: `bad-${c.id}-1`, ok: false, error: { kind: 'invalid' } });
    const made = results.flatMap((r) => (r.ok ? [r.externalId] : []));
    await h.connector.deleteBatch(
      c.resource,
      made.map((externalId, i) => ({ internalId: `bad-${i}`, externalId })),
    );
  });

  it(
    c.batch
      ? 'deletes through the batch endpoint; deleting what is gone succeeds'
      : 'deletes one record per request; deleting what is gone succeeds',
    async () => {
      h.sandbox.counters.reset();
      const results = await h.connector.deleteBatch(
        c.resource,
        createdIds.slice(0, 2).map((externalId, i) => ({ internalId: `local-${c.id}-${i}`, externalId })),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      for (const id of createdIds.slice(0, 2)) expect(h.sandbox.store.get(c.object, id)).toBeUndefined();
      expect(h.sandbox.store.get(c.object, createdIds[2]!)).toBeDefined();
      if (c.batch) expect(h.sandbox.counters.count(c.batch.delete)).toBe(1);
      else expect(h.sandbox.counters.total).toBe(2);
      const again = await h.connector.deleteBatch(c.resource, [
        { internalId: `local-${c.id}-0`, externalId: createdIds[0]! },
      ]);
      expect(again[0]!.ok).toBe(!c.deleteMissingFails);
    },
  );

  it('fetches records by id where the API can', async () => {
    if (!h.connector.getRecords) {
      expect(c.id).toBe('monday'); // GraphQL items(ids:) is outside the covered subset
      return;
    }
    const wanted = [seeded[4]!.id, createdIds[2]!];
    const records = await h.connector.getRecords(c.resource, [...wanted, 'missing-id-1']);
    expect(records.map((r) => r.id).sort()).toEqual([...wanted].sort());
  });

  it('discovers fields by sampling records', async () => {
    const fields = await h.connector.discoverFields!(c.resource);
    const names = fields.map((f) => f.name);
    for (const name of Object.keys(seeded[5]!.fields)) expect(names).toContain(name);
    const typeOf = (name: string) => fields.find((f) => f.name === name)?.type;
    for (const [name, value] of Object.entries(seeded[5]!.fields)) {
      if (typeof value === 'number') expect(typeOf(name)).toBe('number');
      else if (typeof value === 'string' && /^[A-Za-z]/.test(value)) expect(typeOf(name)).toBe('string');
      else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) expect(typeOf(name)).toBe('date');
    }
  });

  it('surfaces a 429 (or the vendor equivalent) as rate limited', async () => {
    h.sandbox.limiter.configure({ requestsPerWindow: 1, windowMs: 30_000 });
    try {
      h.sandbox.limiter.reset();
      await h.connector.testConnection();
      const limited = await h.connector.testConnection();
      expect(limited.ok).toBe(false);
      expect(limited.error?.kind).toBe('rate_limited');
      if (c.retryAfter) {
        expect(limited.error?.retryAfterMs).toBeGreaterThan(20_000);
        expect(limited.error?.retryAfterMs).toBeLessThanOrEqual(31_000);
      } else expect(limited.error?.retryAfterMs).toBeUndefined();
    } finally {
      h.sandbox.limiter.configure({ requestsPerWindow: 1_000_000 });
      h.sandbox.limiter.reset();
    }
  });
});
