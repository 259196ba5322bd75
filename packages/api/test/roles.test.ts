// Who may call what: every procedure of the router with each role and signed out. The table lives
// in test/roles/*.ts (one file per domain); a procedure without a case fails the completeness check.
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import type { UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { appRouter, type AppCaller, type SessionUser } from '../src/index.ts';
import { callerFor, createResource, createRoleUsers, fakeSender, keyRingWith } from './helpers.ts';
import { PUBLIC_PROCEDURES, type RoleCase, type RoleCases, type RoleFixture } from './roles/cases.ts';

const db = useTestDatabase();
const { ring } = keyRingWith('k1');
let users: Record<UserRole, SessionUser>;
let integrationId: string;
let resourceId: string;

const procedures: RoleCase[] = [];

beforeAll(async () => {
  users = await createRoleUsers(db);
  const integration = await db.prisma.integration.create({ data: { name: 'Board', type: 'SMARTSHEET' } });
  integrationId = integration.id;
  resourceId = (await createResource(db, integration.id)).id;
  const fixture: RoleFixture = { db, users, integrationId, resourceId };
  const folder = new URL('./roles/', import.meta.url);
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.ts') && name !== 'cases.ts')
    .sort()) {
    const { default: build } = (await import(new URL(file, folder).href)) as { default: RoleCases };
    procedures.push(...build(fixture));
  }
});

const RANK: Record<UserRole, number> = { VIEWER: 1, STAFF: 2, ADMIN: 3 };

async function outcome(call: RoleCase['call'], caller: AppCaller): Promise<string> {
  try {
    await call(caller);
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

it('every procedure of the router is in the role table', () => {
  const covered = new Set(procedures.map((p) => p.path));
  const missing = Object.keys(appRouter._def.procedures).filter(
    (path) => !PUBLIC_PROCEDURES.has(path) && !covered.has(path),
  );
  expect(missing).toEqual([]);
  expect(procedures.length).toBeGreaterThan(10);
});

describe.each(['signed out', 'VIEWER', 'STAFF', 'ADMIN'] as const)('as %s', (who) => {
  it('each procedure answers per the role table', async () => {
    const report: Record<string, { expected: string; got: string }> = {};
    for (const { path, label, minimum, call, allowedOutcome } of procedures) {
      const user = who === 'signed out' ? null : users[who];
      const caller = callerFor(db, user, { keyRing: ring, sendJob: fakeSender() });
      const expected =
        who === 'signed out' ? 'UNAUTHORIZED' : RANK[who] >= RANK[minimum] ? (allowedOutcome ?? 'ok') : 'FORBIDDEN';
      report[label ? `${path} (${label})` : path] = { expected, got: await outcome(call, caller) };
    }
    const wrong = Object.entries(report).filter(([, r]) => r.expected !== r.got);
    expect(wrong).toEqual([]);
  });
});

describe('public procedures', () => {
  it('auth.me answers everyone; health.check too', async () => {
    expect(await callerFor(db, null).auth.me()).toEqual({ user: null, csrfToken: null });
    expect((await callerFor(db, users.VIEWER).auth.me()).user).toEqual(users.VIEWER);
    expect((await callerFor(db, null).health.check()).status).toBe('ok');
  });
});

describe('what allowed calls do', () => {
  it('syncs.trigger queues through the engine with the user as trigger', async () => {
    const sender = fakeSender();
    const caller = callerFor(db, users.STAFF, { sendJob: sender });
    expect(await caller.syncs.trigger({ integrationId, full: true })).toEqual({ queued: true, jobId: 'job-1' });
    await caller.syncs.trigger({ resourceId, direction: 'push' });
    expect(sender.sent).toEqual([
      { name: 'sync.integration', data: { integrationId, trigger: `manual:${users.STAFF.id}`, full: true } },
      { name: 'sync.resource', data: { resourceId, direction: 'push', trigger: `manual:${users.STAFF.id}` } },
    ]);
    await expect(caller.syncs.trigger({ integrationId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(callerFor(db, users.STAFF).syncs.trigger({ integrationId })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
  });

  it('integrations.delete reports what went with the integration', async () => {
    const integration = await db.prisma.integration.create({ data: { name: 'Gone', type: 'ASANA' } });
    const resource = await createResource(db, integration.id);
    await db.prisma.integrationMapping.createMany({
      data: [
        { integrationId: integration.id, resourceId: resource.id, internalId: 'a', externalId: '1' },
        { integrationId: integration.id, resourceId: resource.id, internalId: 'b', externalId: '2' },
      ],
    });
    await db.prisma.syncLog.create({
      data: {
        integrationId: integration.id,
        operation: 'CREATE',
        direction: 'PUSH',
        resourceType: 'TASK',
        status: 'SUCCESS',
      },
    });
    await db.prisma.conflictResolution.create({
      data: {
        integrationId: integration.id,
        resourceId: resource.id,
        resourceType: 'TASK',
        internalId: 'a',
        externalId: '1',
        localData: {},
        externalData: {},
      },
    });
    const result = await callerFor(db, users.ADMIN).integrations.delete({ id: integration.id });
    expect(result).toEqual({ removed: { resources: 1, mappings: 2, syncLogs: 1, conflicts: 1 } });
    expect(await db.prisma.integration.findUnique({ where: { id: integration.id } })).toBeNull();
    expect(await db.prisma.integrationMapping.count({ where: { integrationId: integration.id } })).toBe(0);
  });

  it('syncs.retryFailed puts failed records back in line', async () => {
    await db.prisma.integrationMapping.create({
      data: { integrationId, resourceId, internalId: 'failed-1', externalId: 'x1', status: 'FAILED', attempts: 5 },
    });
    expect(await callerFor(db, users.STAFF).syncs.retryFailed({ resourceId })).toEqual({ requeued: 1 });
    const mapping = await db.prisma.integrationMapping.findFirstOrThrow({ where: { internalId: 'failed-1' } });
    expect(mapping).toMatchObject({ status: 'PENDING_SYNC', attempts: 0 });
  });
});
