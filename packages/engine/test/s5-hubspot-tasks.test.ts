// Flow S5 end to end: `tasks` ↔ HubSpot tasks (CRM v3 objects/tasks) through the real HubSpot
// connector (official SDK) against the in-process HubSpot sandbox over HTTP, on a real Postgres.
// Pushes come from the change-capture outbox, pulls are scheduled (a full read first, then a search
// by hs_lastmodifieddate from the cursor); each conflict strategy is exercised on the same field
// edited on both sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpot, type HubSpotHarness } from '@syncbridge/connectors/sandboxes';
import type { ConflictStrategy } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import type { EngineContext } from '../src/context.ts';
import { S5_HUBSPOT_TASK_PROPERTIES, s5HubSpotTasksResource } from '../src/presets/s5-hubspot-tasks.ts';
import { pullResource } from '../src/pull.ts';
import { drainOutbox } from '../src/push.ts';
import { applyConflictResolution } from '../src/resolve.ts';
import { saveResource } from '../src/resources.ts';
import { engineContext } from './support.ts';

const db = useTestDatabase();
let h: HubSpotHarness;
let ctx: EngineContext;
let integrationId: string;
let resourceId: string;

beforeAll(async () => {
  h = await startHubSpot({ taskProperties: [...S5_HUBSPOT_TASK_PROPERTIES] });
  ctx = engineContext(db, {
    connectorFor: (integration) => (integration.type === 'HUBSPOT' ? h.connector : undefined!),
  });
  const integration = await db.prisma.integration.create({
    data: {
      name: 'Tasks ↔ HubSpot',
      type: 'HUBSPOT',
      baseUrl: h.server.url,
      direction: 'BIDIRECTIONAL',
      frequency: 'HOURLY',
      conflictStrategy: 'LATEST_WINS',
    },
  });
  integrationId = integration.id;
  resourceId = (await saveResource(ctx, s5HubSpotTasksResource(integrationId))).id;
});
afterAll(async () => {
  await h?.close();
});

const hsTasks = () => h.sandbox.objects.tasks;
const hsTask = (externalId: string) => {
  const found = hsTasks().get(externalId);
  if (!found) throw new Error(`no HubSpot task ${externalId}`);
  return found.properties;
};
/** Batch create/update/archive requests on tasks the sandbox received. */
const writes = () =>
  Object.entries(h.sandbox.counters.byEndpoint())
    .filter(([endpoint]) => /batch\/(create|update|archive)$/.test(endpoint))
    .reduce((sum, [, n]) => sum + n, 0);
const task = (id: string) => db.prisma.tasks.findUniqueOrThrow({ where: { id } });
const mappingOf = (internalId: string) =>
  db.prisma.integrationMapping.findFirstOrThrow({ where: { resourceId, internalId } });

let serial = 0;
async function newTask(extra: Partial<{ priority: string | null; due_date: Date | null }> = {}) {
  serial++;
  const created = await db.prisma.tasks.create({
    data: { title: `Task ${serial}`, description: `About ${serial}`, ...extra },
  });
  await drainOutbox(ctx, resourceId);
  const { externalId } = await mappingOf(created.id);
  if (!externalId) throw new Error('task was not pushed');
  return { id: created.id, externalId };
}

async function setStrategy(strategy: ConflictStrategy) {
  await db.prisma.integration.update({ where: { id: integrationId }, data: { conflictStrategy: strategy } });
}

async function syncBothWays() {
  await pullResource(ctx, resourceId);
  await drainOutbox(ctx, resourceId);
}

describe('S5: tasks ↔ HubSpot tasks', () => {
  it('pushes new tasks in one batch, carrying the task id in syncbridge_id, and pulls no echo', async () => {
    await db.prisma.tasks.createMany({
      data: [
        {
          title: 'Call the supplier',
          description: 'About seeds',
          status: 'in_progress',
          priority: 'high',
          due_date: new Date('2026-04-01T09:30:00Z'),
        },
        { title: 'File the report', status: 'done', completed: true }, // no due date, no priority
        { title: 'Private', external_sync_enabled: false },
      ],
    });
    expect(await drainOutbox(ctx, resourceId)).toMatchObject({ created: 2, failed: 0 });
    expect(h.sandbox.counters.count('POST /crm/v3/objects/:objectType/batch/create')).toBe(1);
    const call = await db.prisma.tasks.findFirstOrThrow({ where: { title: 'Call the supplier' } });
    expect(hsTask((await mappingOf(call.id)).externalId!)).toMatchObject({
      syncbridge_id: call.id,
      hs_task_subject: 'Call the supplier',
      hs_task_body: 'About seeds',
      hs_task_status: 'IN_PROGRESS',
      hs_task_priority: 'HIGH',
      hs_timestamp: '2026-04-01T09:30:00.000Z',
    });
    const report = await db.prisma.tasks.findFirstOrThrow({ where: { title: 'File the report' } });
    // hs_timestamp is required: a task without a due date goes with its creation time.
    expect(hsTask((await mappingOf(report.id)).externalId!)).toMatchObject({
      hs_task_status: 'COMPLETED',
      hs_task_priority: '',
      hs_timestamp: report.created_at.toISOString(),
    });
    expect(
      hsTasks()
        .live()
        .some((t) => t.properties.hs_task_subject === 'Private'),
    ).toBe(false);

    const before = writes();
    const pulled = await pullResource(ctx, resourceId);
    expect(pulled).toMatchObject({ processed: 2, added: 0, changed: 0, unchanged: 2, failed: 0 });
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
    expect((await task(report.id)).due_date).toBeNull();
  });

  it('applies an edit made in HubSpot on the next (incremental) pull without echoing it back, completed following the status', async () => {
    const { id, externalId } = await newTask();
    hsTasks().update(externalId, {
      hs_task_subject: 'Renamed in HubSpot',
      hs_task_status: 'COMPLETED',
      hs_task_priority: 'LOW',
    });
    const before = writes();
    const searches = h.sandbox.counters.count('POST /crm/v3/objects/:objectType/search');
    const pulled = await pullResource(ctx, resourceId);
    expect(h.sandbox.counters.count('POST /crm/v3/objects/:objectType/search')).toBe(searches + 1);
    expect(pulled.changed).toBe(1);
    expect(await task(id)).toMatchObject({
      title: 'Renamed in HubSpot',
      status: 'done',
      completed: true,
      priority: 'low',
    });
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
    expect((await pullResource(ctx, resourceId)).changed).toBe(0);
  });

  it('pulls a task created in HubSpot as a new task', async () => {
    const made = hsTasks().create({
      hs_task_subject: 'Made in HubSpot',
      hs_timestamp: '2026-05-01T12:00:00Z',
      hs_task_status: 'WAITING',
    });
    const pulled = await pullResource(ctx, resourceId);
    expect(pulled.added).toBe(1);
    const local = await db.prisma.tasks.findFirstOrThrow({ where: { title: 'Made in HubSpot' } });
    expect(local).toMatchObject({
      status: 'in_progress',
      completed: false,
      priority: null,
      description: null,
      due_date: new Date('2026-05-01T12:00:00Z'),
    });
    expect((await mappingOf(local.id)).externalId).toBe(made.id);
  });

  it('converges when each side edits a different field', async () => {
    const { id, externalId } = await newTask();
    await db.prisma.tasks.update({ where: { id }, data: { description: 'Local notes', updated_at: new Date() } });
    hsTasks().update(externalId, { hs_task_priority: 'MEDIUM' });
    await syncBothWays();
    expect(await task(id)).toMatchObject({ description: 'Local notes', priority: 'medium' });
    expect(hsTask(externalId)).toMatchObject({ hs_task_body: 'Local notes', hs_task_priority: 'MEDIUM' });
    const before = writes();
    expect(await pullResource(ctx, resourceId)).toMatchObject({ changed: 0, conflicts: 0 });
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
  });

  async function conflictOnTitle(strategy: ConflictStrategy, localUpdatedAt: Date) {
    await setStrategy(strategy);
    const t = await newTask();
    await db.prisma.tasks.update({ where: { id: t.id }, data: { title: 'Local title', updated_at: localUpdatedAt } });
    hsTasks().update(t.externalId, { hs_task_subject: 'HubSpot title' });
    await syncBothWays();
    return { ...t, local: await task(t.id), external: hsTask(t.externalId) };
  }

  it('LATEST_WINS takes the side edited last (tasks.updated_at against hs_lastmodifieddate)', async () => {
    const newer = await conflictOnTitle('LATEST_WINS', new Date(Date.now() + 3_600_000));
    expect(newer.local.title).toBe('Local title');
    expect(newer.external.hs_task_subject).toBe('Local title');
    const older = await conflictOnTitle('LATEST_WINS', new Date(Date.now() - 3_600_000));
    expect(older.local.title).toBe('HubSpot title');
    expect(older.external.hs_task_subject).toBe('HubSpot title');
    expect(await db.prisma.conflictResolution.count({ where: { resourceId, status: 'PENDING' } })).toBe(0);
  });

  it('EXTERNAL_WINS takes the HubSpot value even when the local edit is newer', async () => {
    const r = await conflictOnTitle('EXTERNAL_WINS', new Date(Date.now() + 3_600_000));
    expect(r.local.title).toBe('HubSpot title');
    expect(r.external.hs_task_subject).toBe('HubSpot title');
    expect((await mappingOf(r.id)).status).toBe('SYNCED');
  });

  it('MANUAL_REVIEW holds the task for an admin, then applies a per-field choice to both sides', async () => {
    await setStrategy('MANUAL_REVIEW');
    const { id, externalId } = await newTask({ priority: 'low' });
    await db.prisma.tasks.update({
      where: { id },
      data: { title: 'Local title', priority: 'medium', updated_at: new Date() },
    });
    hsTasks().update(externalId, { hs_task_subject: 'HubSpot title', hs_task_priority: 'HIGH' });
    expect((await pullResource(ctx, resourceId)).conflicts).toBe(1);
    const conflict = await db.prisma.conflictResolution.findFirstOrThrow({
      where: { internalId: id, status: 'PENDING' },
    });
    expect(conflict.conflictedFields).toEqual(['hs_task_subject', 'hs_task_priority']);
    expect((await mappingOf(id)).status).toBe('CONFLICT');

    await syncBothWays();
    expect(await task(id)).toMatchObject({ title: 'Local title', priority: 'medium' });
    expect(hsTask(externalId)).toMatchObject({ hs_task_subject: 'HubSpot title', hs_task_priority: 'HIGH' });

    const result = await applyConflictResolution(ctx, conflict.id, {
      choice: 'fields',
      fields: { hs_task_subject: 'external', hs_task_priority: 'local' },
    });
    expect(result).toMatchObject({
      pushed: true,
      values: { hs_task_subject: 'HubSpot title', hs_task_priority: 'MEDIUM' },
    });
    await drainOutbox(ctx, resourceId);
    expect(await task(id)).toMatchObject({ title: 'HubSpot title', priority: 'medium' });
    expect(hsTask(externalId)).toMatchObject({ hs_task_subject: 'HubSpot title', hs_task_priority: 'MEDIUM' });
    expect((await mappingOf(id)).status).toBe('SYNCED');
    expect(await pullResource(ctx, resourceId)).toMatchObject({ changed: 0, conflicts: 0 });
  });

  it('deletes both ways: a local delete archives the HubSpot task, an archived one goes on a full read', async () => {
    await setStrategy('LATEST_WINS');
    const local = await newTask();
    await db.prisma.tasks.delete({ where: { id: local.id } });
    await drainOutbox(ctx, resourceId);
    expect(hsTasks().get(local.externalId)).toBeUndefined();
    expect(h.sandbox.counters.count('POST /crm/v3/objects/:objectType/batch/archive')).toBe(1);

    const remote = await newTask();
    hsTasks().archive(remote.externalId);
    expect((await pullResource(ctx, resourceId, { full: true })).removed).toBe(1);
    expect(await db.prisma.tasks.count({ where: { id: remote.id } })).toBe(0);
  });
});
