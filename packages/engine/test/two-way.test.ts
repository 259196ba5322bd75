// Two-way sync against a real HTTP peer (the REST sandbox): pushes, echo-free pulls,
// convergence after edits on both sides, and every conflict strategy.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import type { ConflictStrategy } from '@syncbridge/db';
import { drainOutbox } from '../src/push.ts';
import { pullResource } from '../src/pull.ts';
import { applyConflictResolution } from '../src/resolve.ts';
import { externalByKey, restWorld, type RestWorld } from './rest-harness.ts';

const db = useTestDatabase();
let world: RestWorld;

beforeAll(async () => {
  world = await restWorld(db);
});
afterAll(async () => {
  await world?.close();
});

async function newTask(title: string, extra: Record<string, unknown> = {}) {
  const task = await db.prisma.tasks.create({ data: { title, description: `${title} notes`, status: 'todo', ...extra } });
  await drainOutbox(world.ctx, world.resourceId);
  const external = externalByKey(world.sandbox).get(task.id);
  if (!external) throw new Error('task was not pushed');
  return { id: task.id, externalId: external.id };
}

const writes = () => world.sandbox.counters.count('POST /v1/collections/:c/records/batch');

async function setStrategy(strategy: ConflictStrategy) {
  await db.prisma.integration.update({ where: { id: world.integrationId }, data: { conflictStrategy: strategy } });
}

async function syncBothWays() {
  await pullResource(world.ctx, world.resourceId);
  await drainOutbox(world.ctx, world.resourceId);
}

describe('two-way sync with a REST system', () => {
  it('pushes new local rows as external records carrying the local id as key', async () => {
    await db.prisma.tasks.createMany({ data: [1, 2, 3].map((i) => ({ title: `Task ${i}`, status: 'todo', due_date: new Date(`2026-12-0${i}T09:00:00Z`) })) });
    const outcome = await drainOutbox(world.ctx, world.resourceId);
    expect(outcome.created).toBe(3);
    const external = externalByKey(world.sandbox);
    const local = await db.prisma.tasks.findMany();
    for (const task of local) {
      expect(external.get(task.id)?.fields).toMatchObject({ title: task.title, status: 'todo', done: false, due: task.due_date?.toISOString() });
    }
  });

  it('applies a pulled change locally without echoing it back', async () => {
    const { id, externalId } = await newTask('Echo check');
    world.sandbox.store.update('tasks', externalId, { fields: { title: 'Renamed outside' } });
    const before = writes();
    const pulled = await pullResource(world.ctx, world.resourceId);
    expect(pulled.changed).toBeGreaterThanOrEqual(1);
    expect((await db.prisma.tasks.findUniqueOrThrow({ where: { id } })).title).toBe('Renamed outside');
    expect(await db.prisma.changeOutbox.count({ where: { resourceId: world.resourceId } })).toBe(0);
    await drainOutbox(world.ctx, world.resourceId);
    expect(writes()).toBe(before); // nothing was sent back
    const again = await pullResource(world.ctx, world.resourceId);
    expect(again.changed).toBe(0);
  });

  it('converges when each side edits a different field', async () => {
    const { id, externalId } = await newTask('Converge');
    await db.prisma.tasks.update({ where: { id }, data: { status: 'in_progress' } });
    world.sandbox.store.update('tasks', externalId, { fields: { notes: 'edited outside' } });
    await syncBothWays();
    const local = await db.prisma.tasks.findUniqueOrThrow({ where: { id } });
    const external = world.sandbox.store.get('tasks', externalId)!;
    expect(local).toMatchObject({ status: 'in_progress', description: 'edited outside' });
    expect(external.fields).toMatchObject({ status: 'in_progress', notes: 'edited outside' });
  });

  async function conflictOnTitle(strategy: ConflictStrategy, localUpdatedAt?: Date) {
    await setStrategy(strategy);
    const task = await newTask(`Conflict ${strategy}`);
    await db.prisma.tasks.update({ where: { id: task.id }, data: { title: 'local title', ...(localUpdatedAt ? { updated_at: localUpdatedAt } : {}) } });
    world.sandbox.store.update('tasks', task.externalId, { fields: { title: 'external title' } });
    await syncBothWays();
    return {
      ...task,
      local: await db.prisma.tasks.findUniqueOrThrow({ where: { id: task.id } }),
      external: world.sandbox.store.get('tasks', task.externalId)!,
    };
  }

  it('LOCAL_WINS keeps and pushes the local value', async () => {
    const r = await conflictOnTitle('LOCAL_WINS');
    expect(r.local.title).toBe('local title');
    expect(r.external.fields.title).toBe('local title');
  });

  it('EXTERNAL_WINS takes the external value', async () => {
    const r = await conflictOnTitle('EXTERNAL_WINS');
    expect(r.local.title).toBe('external title');
    expect(r.external.fields.title).toBe('external title');
  });

  it('LATEST_WINS takes the side edited last', async () => {
    const newer = await conflictOnTitle('LATEST_WINS', new Date(Date.now() + 3_600_000));
    expect(newer.local.title).toBe('local title');
    expect(newer.external.fields.title).toBe('local title');
    const older = await conflictOnTitle('LATEST_WINS', new Date(Date.now() - 3_600_000));
    expect(older.local.title).toBe('external title');
    expect(older.external.fields.title).toBe('external title');
  });

  it('CUSTOM_MERGE applies the per-field rule', async () => {
    await db.prisma.syncResource.update({ where: { id: world.resourceId }, data: { customMergeRules: { fields: { title: 'concatenate' }, separator: ' + ' } } });
    const r = await conflictOnTitle('CUSTOM_MERGE');
    expect(r.local.title).toBe('local title + external title');
    expect(r.external.fields.title).toBe('local title + external title');
    await db.prisma.syncResource.update({ where: { id: world.resourceId }, data: { customMergeRules: undefined } });
  });

  it('MANUAL_REVIEW leaves local untouched until an admin resolves, then applies the choice', async () => {
    const r = await conflictOnTitle('MANUAL_REVIEW');
    expect(r.local.title).toBe('local title');
    expect(r.external.fields.title).toBe('external title');
    const conflict = await db.prisma.conflictResolution.findFirstOrThrow({ where: { internalId: r.id, status: 'PENDING' } });
    expect(conflict.conflictedFields).toEqual(['title']);
    expect((await db.prisma.integrationMapping.findFirstOrThrow({ where: { internalId: r.id } })).status).toBe('CONFLICT');

    // While the conflict is open, neither side overwrites the other.
    await syncBothWays();
    expect(world.sandbox.store.get('tasks', r.externalId)!.fields.title).toBe('external title');

    const result = await applyConflictResolution(world.ctx, conflict.id, { choice: 'fields', fields: { title: 'external' } });
    expect(result.values.title).toBe('external title');
    await drainOutbox(world.ctx, world.resourceId);
    expect((await db.prisma.tasks.findUniqueOrThrow({ where: { id: r.id } })).title).toBe('external title');
    const resolved = await db.prisma.conflictResolution.findUniqueOrThrow({ where: { id: conflict.id } });
    expect(resolved.status).toBe('RESOLVED');
    expect((await db.prisma.integrationMapping.findFirstOrThrow({ where: { internalId: r.id } })).status).toBe('SYNCED');
  });

  it('detects a simultaneous edit even when the push runs before the pull', async () => {
    await setStrategy('EXTERNAL_WINS');
    const task = await newTask('Push first');
    await db.prisma.tasks.update({ where: { id: task.id }, data: { title: 'local edit' } });
    world.sandbox.store.update('tasks', task.externalId, { fields: { title: 'external edit' } });
    await drainOutbox(world.ctx, world.resourceId); // reads the external record before writing
    expect(world.sandbox.store.get('tasks', task.externalId)!.fields.title).toBe('external edit');
    expect((await db.prisma.tasks.findUniqueOrThrow({ where: { id: task.id } })).title).toBe('external edit');
  });

  it('keeps an app edit that commits while a pull is applying the same row', async () => {
    await setStrategy('LATEST_WINS');
    const task = await newTask('Race');
    world.sandbox.store.update('tasks', task.externalId, { fields: { notes: 'edited outside' } });
    // The app renames the task in a transaction still open when the pull reaches the row.
    const app = await db.pool.connect();
    try {
      await app.query('begin');
      await app.query(`update tasks set title = 'renamed in the app', updated_at = now() where id = $1`, [task.id]);
      const pulling = pullResource(world.ctx, world.resourceId);
      // The pull waits for the app's row lock (seen in pg_stat_activity, not guessed with a timer) …
      await vi.waitFor(
        async () => {
          const { rows } = await db.pool.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
          );
          expect(rows[0]!.n).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 10 },
      );
      await app.query('commit'); // … and goes on once the rename has committed.
      const pulled = await pulling;
      expect(pulled.failed).toBe(0);
    } finally {
      app.release();
    }
    await drainOutbox(world.ctx, world.resourceId);
    // Neither edit is lost: the pull saw the rename as a local change and merged the two.
    expect(await db.prisma.tasks.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      title: 'renamed in the app',
      description: 'edited outside',
    });
    expect(world.sandbox.store.get('tasks', task.externalId)!.fields).toMatchObject({
      title: 'renamed in the app',
      notes: 'edited outside',
    });
  });

  it('pulls new external records and deletes per policy', async () => {
    const created = world.sandbox.store.create('tasks', { fields: { title: 'Made outside', status: 'todo', done: true } });
    await pullResource(world.ctx, world.resourceId);
    const local = await db.prisma.tasks.findFirstOrThrow({ where: { title: 'Made outside' } });
    expect(local.completed).toBe(true);
    world.sandbox.store.delete('tasks', created.id);
    const outcome = await pullResource(world.ctx, world.resourceId);
    expect(outcome.removed).toBe(1);
    expect(await db.prisma.tasks.count({ where: { id: local.id } })).toBe(0);
  });
});
