// The Asana connector against the sandbox over real HTTP: writes (one request per task), custom
// fields by name, keys and recovery, full and incremental reads with paging and resumable cursors,
// skinny fetches and discovery.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangePage, ItemResult } from '../src/contract.ts';
import { ASANA_TOKEN, startAsana, type AsanaHarness } from '../src/asana/testing.ts';
import { collect } from './helpers.ts';

let h: AsanaHarness;
let seq = 0;
const nextId = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

beforeAll(async () => {
  h = await startAsana();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.faults.clear();
  h.sandbox.limiter.reset();
  h.sandbox.counters.reset();
});

const okIds = (results: ItemResult[]) => results.map((result) => (result.ok ? result.externalId : null));
const stored = (gid: string) => h.sandbox.store.task(gid)!;
const requests = (endpoint: string) => h.sandbox.counters.count(endpoint);

describe('Asana connector', () => {
  it('reports Asana limits (one task per call) and tests the connection', async () => {
    expect(h.connector.type).toBe('ASANA');
    expect(h.connector.limits).toEqual({ requestsPerWindow: 150, windowMs: 60_000, maxBatchSize: 1 });
    expect(h.connect({ requestsPerWindow: 1500 }).limits.requestsPerWindow).toBe(1500);
    expect(await h.connector.testConnection()).toMatchObject({ ok: true, apiVersion: '1.0' });
    const bad = await h.connect({ accessToken: 'nope' }).testConnection();
    expect(bad).toMatchObject({ ok: false, error: { kind: 'auth', status: 401 } });
    expect(bad.message).toBe('auth: HTTP 401: Not Authorized');
  });

  it('creates a task carrying our key in its external gid, then updates it, one request each', async () => {
    const id = nextId();
    const [created] = await h.connector.upsertBatch(h.tasks, [
      {
        internalId: id,
        externalId: null,
        fields: {
          name: 'Plant trees',
          notes: null,
          completed: false,
          due_on: '2025-12-25',
          custom_fields: { Status: 'In progress', Priority: 'high' },
        },
      },
    ]);
    expect(created).toMatchObject({ ok: true, internalId: id });
    const gid = (created as { externalId: string }).externalId;
    const task = stored(gid);
    expect(task).toMatchObject({ name: 'Plant trees', notes: '', due_on: '2025-12-25', projects: [h.project.gid] });
    expect(task.external).toEqual({ gid: `syncbridge:${h.project.gid}:${id}`, data: null });
    expect(created).toMatchObject({ updatedAt: new Date(task.modified_at).toISOString() });
    const [status, priority] = h.sandbox.store.fieldsOf([h.project.gid]);
    expect(task.custom[status!.gid]).toBe(status!.enum_options[1]!.gid); // 'In progress'
    expect(task.custom[priority!.gid]).toBe(priority!.enum_options[2]!.gid); // 'High', case-insensitive
    expect(requests('POST /api/1.0/tasks')).toBe(1);
    // The project's custom fields were read once, for the create.
    expect(requests('GET /api/1.0/projects/:gid/custom_field_settings')).toBe(1);

    const updated = await h.connector.upsertBatch(h.tasks, [
      {
        internalId: id,
        externalId: gid,
        fields: { name: 'Plant 10 trees', completed: true, custom_fields: { Priority: null } },
      },
    ]);
    expect(okIds(updated)).toEqual([gid]);
    expect(stored(gid)).toMatchObject({ name: 'Plant 10 trees', completed: true });
    expect(stored(gid).custom[priority!.gid]).toBeNull();
    expect(requests('PUT /api/1.0/tasks/:gid')).toBe(1);
    expect(requests('GET /api/1.0/projects/:gid/custom_field_settings')).toBe(1);
  });

  it('fails a bad value alone: unknown options and fields before sending, Asana’s 400 after', async () => {
    const good = nextId();
    const results = await h.connector.upsertBatch(h.tasks, [
      { internalId: nextId(), externalId: null, fields: { name: 'x', custom_fields: { Priority: 'Urgent' } } },
      { internalId: nextId(), externalId: null, fields: { name: 'x', custom_fields: { Colour: 'Red' } } },
      { internalId: nextId(), externalId: null, fields: { name: 'x', due_on: '25/12/2025' } },
      { internalId: good, externalId: null, fields: { name: 'fine' } },
      { internalId: nextId(), externalId: '999999', fields: { name: 'gone' } },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : `${r.error.kind}:${r.error.status ?? '-'}`))).toEqual([
      'invalid:-',
      'invalid:-',
      'invalid:400',
      'ok',
      'invalid:404',
    ]);
    expect(results[0]).toMatchObject({
      error: { message: expect.stringContaining('has no option "Urgent" (options: Low, Medium, High)') },
    });
    expect(results[1]).toMatchObject({ error: { message: 'custom field "Colour" is not on this project' } });
    expect(results[2]).toMatchObject({ error: { message: 'HTTP 400: due_on: Invalid date value: 25/12/2025' } });
    // Unknown names made the connector read the definitions again once, in case they were added.
    expect(requests('GET /api/1.0/projects/:gid/custom_field_settings')).toBe(2);
    expect(requests('POST /api/1.0/tasks')).toBe(2);
  });

  it('throws a request failure while nothing succeeded, and reports it per item once something did', async () => {
    h.sandbox.faults.failNext(1, 'error', { status: 503 });
    await expect(
      h.connector.upsertBatch(h.tasks, [{ internalId: nextId(), externalId: null, fields: { name: 'a' } }]),
    ).rejects.toMatchObject({ kind: 'retryable', status: 503 });
    h.sandbox.faults.failNext(1, 'rate_limit');
    await expect(
      h.connector.upsertBatch(h.tasks, [{ internalId: nextId(), externalId: null, fields: { name: 'a' } }]),
    ).rejects.toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 30_000 });
    // The request after the first successful create fails: the rest of the call fails per item.
    let armed = true;
    h.sandbox.store.onChange((change) => {
      if (armed && change.type === 'created' && change.task.name === 'b') {
        armed = false;
        h.sandbox.faults.failNext(1, 'error', { status: 502 });
      }
    });
    const results = await h.connector.upsertBatch(h.tasks, [
      { internalId: 'b', externalId: null, fields: { name: 'b' } },
      { internalId: 'c', externalId: null, fields: { name: 'c' } },
      { internalId: 'd', externalId: null, fields: { name: 'd' } },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : `${r.error.kind}:${r.error.status}`))).toEqual([
      'ok',
      'retryable:502',
      'retryable:502',
    ]);
    expect(requests('POST /api/1.0/tasks')).toBe(1);
  });

  it('adopts its own earlier create when the response was lost (external gid taken), without a duplicate', async () => {
    const id = nextId();
    const first = await h.connector.upsertBatch(h.tasks, [
      { internalId: id, externalId: null, fields: { name: 'Once' } },
    ]);
    const gid = okIds(first)[0]!;
    const before = h.sandbox.store.live().length;
    const again = await h.connector.upsertBatch(h.tasks, [
      { internalId: id, externalId: null, fields: { name: 'Once, renamed' } },
    ]);
    expect(okIds(again)).toEqual([gid]);
    expect(h.sandbox.store.live()).toHaveLength(before);
    expect(stored(gid).name).toBe('Once, renamed');
  });

  it('finds tasks by our key: one request per key for a few, the project list for many', async () => {
    const ids = Array.from({ length: 12 }, nextId);
    const gids: string[] = [];
    for (const id of ids)
      gids.push(
        okIds(await h.connector.upsertBatch(h.tasks, [{ internalId: id, externalId: null, fields: { name: id } }]))[0]!,
      );
    h.sandbox.counters.reset();
    const few = await h.connector.findByKeys!(h.tasks, [ids[0]!, ids[1]!, 'not-there']);
    expect(few).toEqual(
      new Map([
        [ids[0], gids[0]],
        [ids[1], gids[1]],
      ]),
    );
    expect(requests('GET /api/1.0/tasks/:gid')).toBe(3);
    h.sandbox.counters.reset();
    const many = await h.connector.findByKeys!(h.tasks, [...ids, 'not-there']);
    expect(many).toEqual(new Map(ids.map((id, i) => [id, gids[i]])));
    expect(requests('GET /api/1.0/tasks')).toBe(Math.ceil(h.sandbox.store.live().length / 100));
    // With a personal access token the key lives in a text custom field instead.
    const byField = { object: h.project.gid, keyField: 'custom_fields.Syncbridge ID' };
    const id = nextId();
    const gid = okIds(
      await h.connector.upsertBatch(byField, [{ internalId: id, externalId: null, fields: { name: 'PAT' } }]),
    )[0]!;
    expect(stored(gid).external).toBeNull();
    expect(await h.connector.findByKeys!(byField, [id])).toEqual(new Map([[id, gid]]));
    await expect(h.connector.findByKeys!({ object: h.project.gid, keyField: 'notes' }, [id])).rejects.toMatchObject({
      kind: 'invalid',
    });
  });

  it('deletes one task per request; a task already gone counts as deleted', async () => {
    const id = nextId();
    const gid = okIds(
      await h.connector.upsertBatch(h.tasks, [{ internalId: id, externalId: null, fields: { name: 'bye' } }]),
    )[0]!;
    const results = await h.connector.deleteBatch(h.tasks, [
      { internalId: id, externalId: gid },
      { internalId: 'other', externalId: '123456' },
    ]);
    expect(results).toEqual([
      { internalId: id, ok: true, externalId: gid },
      { internalId: 'other', ok: true, externalId: '123456' },
    ]);
    expect(h.sandbox.store.task(gid)).toBeUndefined();
    expect(requests('DELETE /api/1.0/tasks/:gid')).toBe(2);
  });

  it('fetches tasks by gid, skipping deleted ones and tasks of other projects', async () => {
    const other = h.sandbox.store.addProject({ name: 'Elsewhere' });
    const mine = h.sandbox.store.create({
      name: 'Mine',
      projects: [h.project.gid],
      assignee: ASANA_TOKEN ? h.sandbox.userOfToken(ASANA_TOKEN)!.gid : null,
    });
    const theirs = h.sandbox.store.create({ name: 'Theirs', projects: [other.gid] });
    const deleted = h.sandbox.store.create({ name: 'Deleted', projects: [h.project.gid] });
    h.sandbox.store.delete(deleted.gid);
    const records = await h.connector.getRecords!(h.tasks, [mine.gid, theirs.gid, deleted.gid, mine.gid]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: mine.gid,
      updatedAt: new Date(mine.modified_at).toISOString(),
      fields: {
        name: 'Mine',
        notes: null,
        completed: false,
        assignee: h.sandbox.userOfToken(ASANA_TOKEN)!.gid,
        assignee_email: 'syncbridge@asana.example',
        custom_fields: { Status: null, Priority: null, 'Syncbridge ID': null },
        external: null,
      },
    });
  });

  it('reads the whole project in pages of 100 first, then only what changed, resuming mid-read from a cursor', async () => {
    // A sandbox on a clock of our own: the read's start comes from its Date header.
    let now = Date.parse('2026-03-01T09:00:00.000Z');
    const t = await startAsana({ clock: () => now });
    try {
      const ref = t.tasks;
      for (let i = 0; i < 230; i++) t.sandbox.store.create({ name: `R${i}`, projects: [t.project.gid] });
      now += 300_000; // well past the safety margin
      const full = await collect(t.connector.listChanges(ref, null));
      expect(full.map((page) => page.records.length)).toEqual([100, 100, 30]);
      expect(full.map((page) => Boolean(page.fullReadComplete))).toEqual([false, false, true]);
      expect(JSON.parse(full[2]!.nextCursor!)).toEqual({ v: 1, mode: 'changes', since: now });
      expect(full[0]!.records[0]!.fields).toMatchObject({ name: 'R0', custom_fields: { Status: null } });

      // Resuming after page 1 reads pages 2 and 3 only, and (not having seen everything) infers nothing.
      t.sandbox.counters.reset();
      const resumed = await collect(t.connector.listChanges(ref, full[0]!.nextCursor));
      expect(resumed.map((page) => page.records[0]!.fields.name)).toEqual(['R100', 'R200']);
      expect(resumed.at(-1)!.fullReadComplete).toBeUndefined();
      expect(t.sandbox.counters.count('GET /api/1.0/tasks')).toBe(2);

      // Incremental: modified_since the read's start minus the margin (60 s by default).
      const since = full[2]!.nextCursor!;
      now += 120_000;
      const changed = t.sandbox.store.live().slice(5, 8);
      for (const task of changed) t.sandbox.store.update(task.gid, { notes: 'edited' });
      t.sandbox.counters.reset();
      const pages: ChangePage[] = await collect(t.connector.listChanges(ref, since));
      expect(pages.flatMap((page) => page.records.map((record) => record.id))).toEqual(changed.map((task) => task.gid));
      expect(pages.every((page) => page.fullReadComplete === undefined)).toBe(true);
      expect(JSON.parse(pages.at(-1)!.nextCursor!)).toEqual({ v: 1, mode: 'changes', since: now });
      // The next read starts a margin before the cursor: the edits just read come again with the new
      // one (repeats are cheap, the engine's hashes skip them; misses would not be).
      const late = t.sandbox.store.live()[9]!;
      now += 1_000;
      const cursor = pages.at(-1)!.nextCursor!;
      t.sandbox.store.update(late.gid, { notes: 'later' });
      const wide = await collect(t.connector.listChanges(ref, cursor));
      expect(wide.flatMap((page) => page.records.map((record) => record.id)).sort()).toEqual(
        [...changed.map((task) => task.gid), late.gid].sort(),
      );
      // `full` forces a full read even with a cursor.
      const forced = await collect(t.connector.listChanges(ref, since, { full: true }));
      expect(forced.reduce((n, page) => n + page.records.length, 0)).toBe(230);
    } finally {
      await t.close();
    }
  });

  it('restarts a read whose stored offset Asana no longer accepts', async () => {
    const project = h.sandbox.store.addProject({ name: 'Expired' });
    for (let i = 0; i < 3; i++) h.sandbox.store.create({ name: `E${i}`, projects: [project.gid] });
    const stale = JSON.stringify({ v: 1, mode: 'full', offset: 'expired-token', started: Date.now() });
    const pages = await collect(h.connector.listChanges({ object: project.gid }, stale));
    expect(pages.flatMap((page) => page.records.map((record) => record.fields.name))).toEqual(['E0', 'E1', 'E2']);
    // A restarted read saw everything itself: deletions may be inferred.
    expect(pages.at(-1)!.fullReadComplete).toBe(true);
    await expect(collect(h.connector.listChanges({ object: 'not-a-gid' }, null))).rejects.toMatchObject({
      kind: 'invalid',
    });
    await expect(collect(h.connector.listChanges({ object: project.gid }, '{"v":9}'))).rejects.toMatchObject({
      kind: 'invalid',
    });
  });

  it('discovers the standard fields and the project’s custom fields with their options', async () => {
    const fields = await h.connector.discoverFields!(h.tasks);
    expect(fields).toEqual(
      expect.arrayContaining([
        { name: 'name', type: 'string', required: true },
        { name: 'completed', type: 'boolean' },
        { name: 'due_on', type: 'date' },
        { name: 'custom_fields.Status', type: 'enum', options: ['To do', 'In progress', 'Done'] },
        { name: 'custom_fields.Syncbridge ID', type: 'string' },
      ]),
    );
  });
});
