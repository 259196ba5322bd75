// conflicts.list / get / bulkResolve over conflicts the engine itself detected: a REST tasks resource
// under MANUAL_REVIEW, a record adopted from the external side, then edited on both sides and pulled
// again (applyExternalChanges, the path webhook deliveries take).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { applyExternalChanges, restTasksResource, saveResource, type EngineContext } from '@syncbridge/engine';
import type { AppCaller, SessionUser } from '../src/index.ts';
import { engineContextFor } from '../src/services/syncs.ts';
import { callerFor, createRoleUsers, silentLogger } from './helpers.ts';

const db = useTestDatabase();

let users: Record<UserRole, SessionUser>;
let viewer: AppCaller;
let staff: AppCaller;
let ctx: EngineContext;
let integrationId: string;
let resourceId: string;
let otherIntegrationId: string;
let otherConflictId: string;

const T0 = Date.parse('2026-04-01T08:00:00.000Z');
let clock = 0;

function externalTask(id: string, title: string) {
  return {
    id,
    fields: { title, notes: `notes of ${id}`, status: 'todo', done: false, due: '2026-05-01T09:00:00.000Z' },
    updatedAt: new Date(T0 + ++clock * 1000).toISOString(),
  };
}

/** A conflict made the way the engine makes one; returns its id and the local task id. */
async function engineConflict(name: string) {
  const externalId = `ext-${name}-${randomUUID().slice(0, 8)}`;
  const adopted = await applyExternalChanges(ctx, resourceId, { records: [externalTask(externalId, `${name} v1`)] });
  expect(adopted.added).toBe(1);
  const mapping = await db.prisma.integrationMapping.findFirstOrThrow({ where: { resourceId, externalId } });
  await db.prisma.tasks.update({
    where: { id: mapping.internalId },
    data: { title: `${name} local`, status: 'in_progress' },
  });
  const pulled = await applyExternalChanges(ctx, resourceId, {
    records: [externalTask(externalId, `${name} external`)],
  });
  expect(pulled.conflicts).toBe(1);
  const conflict = await db.prisma.conflictResolution.findFirstOrThrow({
    where: { resourceId, internalId: mapping.internalId, status: 'PENDING' },
  });
  return { id: conflict.id, taskId: mapping.internalId, externalId };
}

beforeAll(async () => {
  users = await createRoleUsers(db);
  viewer = callerFor(db, users.VIEWER);
  staff = callerFor(db, users.STAFF);
  ctx = engineContextFor({ prisma: db.prisma, pool: db.pool, logger: silentLogger, keyRing: null });
  const integration = await db.prisma.integration.create({
    data: { name: 'Tasks ↔ REST', type: 'GENERIC_REST', conflictStrategy: 'MANUAL_REVIEW' },
  });
  integrationId = integration.id;
  resourceId = (await saveResource(ctx, restTasksResource(integrationId))).id;

  // A second integration whose conflict is stored as the engine stores one (not resolvable: no
  // resource), for the filters.
  const other = await db.prisma.integration.create({ data: { name: 'Members ↔ HubSpot', type: 'HUBSPOT' } });
  otherIntegrationId = other.id;
  otherConflictId = (
    await db.prisma.conflictResolution.create({
      data: {
        integrationId: other.id,
        resourceType: 'MEMBER',
        internalId: 'member-1',
        externalId: '501',
        localData: { email: 'a@example.com', firstname: 'Ann' },
        externalData: { email: 'a@example.com', firstname: 'Anne' },
        conflictedFields: ['firstname'],
        conflictReason: 'Both sides changed firstname since the last sync.',
      },
    })
  ).id;
});

describe('conflicts.get', () => {
  it('shows both versions, the base, and which fields differ', async () => {
    const { id, taskId, externalId } = await engineConflict('diff');
    const got = await viewer.conflicts.get({ id });
    expect(got).toMatchObject({
      id,
      integrationId,
      integrationName: 'Tasks ↔ REST',
      resourceId,
      resourceType: 'TASK',
      internalId: taskId,
      externalId,
      status: 'PENDING',
      conflictedFields: ['title'],
      conflictReason: 'Both sides changed title since the last sync.',
      resolvedAt: null,
      resolvedBy: null,
      resolutionStrategy: null,
      choice: null,
      resolvedData: null,
    });
    expect(got.localData).toMatchObject({
      title: 'diff local',
      status: 'in_progress',
      notes: `notes of ${externalId}`,
    });
    expect(got.externalData).toMatchObject({ title: 'diff external', status: 'todo' });
    expect(got.baseData).toMatchObject({ title: 'diff v1', status: 'todo' });
    const byField = Object.fromEntries(got.fields.map((f) => [f.field, f]));
    expect(Object.keys(byField).sort()).toEqual(['done', 'due', 'notes', 'status', 'title']);
    expect(byField.title).toEqual({
      field: 'title',
      local: 'diff local',
      external: 'diff external',
      base: 'diff v1',
      differs: true,
      conflicted: true,
    });
    // Changed locally only: differs from the external side, but not a conflict.
    expect(byField.status).toEqual({
      field: 'status',
      local: 'in_progress',
      external: 'todo',
      base: 'todo',
      differs: true,
      conflicted: false,
    });
    expect(byField.notes).toMatchObject({ differs: false, conflicted: false });
    expect(byField.done).toMatchObject({ local: false, external: false, differs: false });
    expect(
      got.fields
        .filter((f) => f.differs)
        .map((f) => f.field)
        .sort(),
    ).toEqual(['status', 'title']);
  });

  it('omits the base when none was stored; unknown ids are NOT_FOUND', async () => {
    const got = await viewer.conflicts.get({ id: otherConflictId });
    expect(got.baseData).toBeNull();
    expect(got.fields).toEqual([
      { field: 'email', local: 'a@example.com', external: 'a@example.com', differs: false, conflicted: false },
      { field: 'firstname', local: 'Ann', external: 'Anne', differs: true, conflicted: true },
    ]);
    expect(got.fields[0]).not.toHaveProperty('base');
    await expect(viewer.conflicts.get({ id: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(viewer.conflicts.get({ id: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('conflicts.list', () => {
  it('lists pending conflicts newest first with filters and cursor pages', async () => {
    const made = [];
    for (const name of ['l1', 'l2', 'l3', 'l4', 'l5']) made.push(await engineConflict(name));
    const pending = await db.prisma.conflictResolution.findMany({
      where: { status: 'PENDING' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });

    const all = await viewer.conflicts.list();
    expect(all.items.map((c) => c.id)).toEqual(pending.map((c) => c.id));
    expect(all.total).toBe(pending.length);
    expect(all.nextCursor).toBeNull();
    const newest = all.items[0]!;
    expect(newest).toEqual({
      id: made[4]!.id,
      integrationId,
      integrationName: 'Tasks ↔ REST',
      resourceId,
      resourceType: 'TASK',
      internalId: made[4]!.taskId,
      externalId: made[4]!.externalId,
      conflictedFields: ['title'],
      conflictReason: 'Both sides changed title since the last sync.',
      status: 'PENDING',
      createdAt: expect.any(Date),
      resolvedAt: null,
      resolvedBy: null,
      resolutionStrategy: null,
      choice: null,
    });

    const mine = await viewer.conflicts.list({ integrationId });
    expect(mine.items.every((c) => c.integrationId === integrationId)).toBe(true);
    expect(mine.total).toBe(pending.length - 1);
    const members = await viewer.conflicts.list({ resourceType: 'MEMBER' });
    expect(members.items.map((c) => c.id)).toEqual([otherConflictId]);
    expect((await viewer.conflicts.list({ integrationId: otherIntegrationId })).total).toBe(1);
    expect((await viewer.conflicts.list({ status: 'RESOLVED' })).items).toEqual([]);

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await viewer.conflicts.list({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual(pending.map((c) => c.id));

    await expect(viewer.conflicts.list({ limit: 201 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.conflicts.list({ status: 'DONE' as 'PENDING' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(viewer.conflicts.list({ cursor: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('conflicts.bulkResolve', () => {
  it('resolves each through the engine, reports the ones it could not, and audits each', async () => {
    const keepExternal = [await engineConflict('b1'), await engineConflict('b2'), await engineConflict('b3')];
    const already = await engineConflict('b4');
    await staff.conflicts.resolve({ conflictId: already.id, choice: { choice: 'local' } });
    const unknown = randomUUID();
    const outboxBefore = await db.prisma.changeOutbox.count({ where: { resourceId } });

    const result = await staff.conflicts.bulkResolve({
      ids: [...keepExternal.map((c) => c.id), already.id, unknown, keepExternal[0]!.id],
      choice: 'external',
    });
    expect(result.resolved).toEqual(keepExternal.map((c) => c.id));
    expect(result.failed).toEqual([
      { id: already.id, message: 'This conflict was already resolved.' },
      { id: unknown, message: 'Conflict not found.' },
    ]);

    for (const conflict of keepExternal) {
      const name = (await db.prisma.tasks.findUniqueOrThrow({ where: { id: conflict.taskId } })).title;
      expect(name).toMatch(/^b\d external$/);
      const row = await db.prisma.conflictResolution.findUniqueOrThrow({ where: { id: conflict.id } });
      expect(row).toMatchObject({
        status: 'RESOLVED',
        resolutionStrategy: 'MANUAL_REVIEW',
        resolvedById: users.STAFF.id,
      });
      const mapping = await db.prisma.integrationMapping.findFirstOrThrow({
        where: { resourceId, internalId: conflict.taskId },
      });
      expect(mapping.status).toBe('SYNCED');
    }
    // Keeping the external side leaves nothing to push.
    expect(await db.prisma.changeOutbox.count({ where: { resourceId } })).toBe(outboxBefore);

    const audits = await db.prisma.auditEvent.findMany({
      where: { action: 'conflict.resolve', entityId: { in: keepExternal.map((c) => c.id) } },
    });
    expect(audits).toHaveLength(3);
    expect(audits.every((a) => a.actorId === users.STAFF.id && a.ip === '203.0.113.7')).toBe(true);
    expect(audits.map((a) => (a.after as { choice: { choice: string } }).choice.choice)).toEqual([
      'external',
      'external',
      'external',
    ]);

    // The history shows who resolved what, and how.
    const history = await viewer.conflicts.list({ status: 'RESOLVED', integrationId });
    expect(history.total).toBe(4);
    const entry = history.items.find((c) => c.id === keepExternal[1]!.id);
    expect(entry).toMatchObject({
      status: 'RESOLVED',
      resolutionStrategy: 'MANUAL_REVIEW',
      choice: 'external',
      resolvedBy: { id: users.STAFF.id, email: users.STAFF.email },
      resolvedAt: expect.any(Date),
    });
    expect(history.items.find((c) => c.id === already.id)?.choice).toBe('local');
    const detail = await viewer.conflicts.get({ id: keepExternal[1]!.id });
    expect(detail.resolvedData).toMatchObject({ title: 'b2 external', status: 'todo' });
    expect(detail.choice).toBe('external');
  });

  it('keeping the local side with push queues the record for the external system', async () => {
    const conflict = await engineConflict('p1');
    const queued = () => db.prisma.changeOutbox.count({ where: { resourceId, rowKey: conflict.taskId } });
    const before = await queued(); // the local edit that caused the conflict is waiting there already
    const result = await staff.conflicts.bulkResolve({ ids: [conflict.id], choice: 'local', push: true });
    expect(result).toEqual({ resolved: [conflict.id], failed: [] });
    expect((await db.prisma.tasks.findUniqueOrThrow({ where: { id: conflict.taskId } })).title).toBe('p1 local');
    expect(await queued()).toBe(before + 1);
  });

  it('explains why a conflict whose resource is gone cannot be resolved, and validates the input', async () => {
    const result = await staff.conflicts.bulkResolve({ ids: [otherConflictId], choice: 'local' });
    expect(result).toEqual({
      resolved: [],
      failed: [{ id: otherConflictId, message: 'The resource of this conflict no longer exists.' }],
    });
    await expect(staff.conflicts.bulkResolve({ ids: [], choice: 'local' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const tooMany = Array.from({ length: 201 }, () => randomUUID());
    await expect(staff.conflicts.bulkResolve({ ids: tooMany, choice: 'local' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      staff.conflicts.bulkResolve({ ids: [otherConflictId], choice: 'fields' as 'local' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.conflicts.bulkResolve({ ids: [otherConflictId], choice: 'local' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
