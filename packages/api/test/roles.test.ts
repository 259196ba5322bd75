// Who may call what: every protected procedure with each role and signed out. Allowed calls
// succeed (conflicts.resolve on an unknown id gets past the role check to NOT_FOUND).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import type { UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import type { AppCaller, SessionUser } from '../src/index.ts';
import { callerFor, createResource, createRoleUsers, fakeSender, keyRingWith } from './helpers.ts';

const db = useTestDatabase();
const { ring } = keyRingWith('k1');
let users: Record<UserRole, SessionUser>;
let integrationId: string;
let resourceId: string;

beforeAll(async () => {
  users = await createRoleUsers(db);
  const integration = await db.prisma.integration.create({ data: { name: 'Board', type: 'SMARTSHEET' } });
  integrationId = integration.id;
  resourceId = (await createResource(db, integration.id)).id;
});

type Call = (caller: AppCaller) => Promise<unknown>;

const procedures: { name: string; minimum: UserRole; call: Call; allowedOutcome?: string }[] = [
  { name: 'integrations.list', minimum: 'VIEWER', call: (c) => c.integrations.list() },
  { name: 'integrations.get', minimum: 'VIEWER', call: (c) => c.integrations.get({ id: integrationId }) },
  { name: 'syncs.trigger', minimum: 'STAFF', call: (c) => c.syncs.trigger({ integrationId }) },
  {
    name: 'syncs.trigger (resource)',
    minimum: 'STAFF',
    call: (c) => c.syncs.trigger({ resourceId, direction: 'pull' }),
  },
  { name: 'syncs.retryFailed', minimum: 'STAFF', call: (c) => c.syncs.retryFailed({ resourceId }) },
  {
    name: 'conflicts.resolve',
    minimum: 'STAFF',
    call: (c) => c.conflicts.resolve({ conflictId: randomUUID(), choice: { choice: 'local' } }),
    allowedOutcome: 'NOT_FOUND',
  },
  {
    name: 'integrations.create',
    minimum: 'ADMIN',
    call: (c) =>
      c.integrations.create({ name: `New ${randomUUID()}`, type: 'GENERIC_REST', credentials: { token: 't' } }),
  },
  {
    name: 'integrations.update',
    minimum: 'ADMIN',
    call: (c) => c.integrations.update({ id: integrationId, frequency: 'HOURLY', status: 'PAUSED' }),
  },
  {
    name: 'integrations.delete',
    minimum: 'ADMIN',
    call: async (c) => {
      const doomed = await db.prisma.integration.create({ data: { name: 'Doomed', type: 'ASANA' } });
      return c.integrations.delete({ id: doomed.id });
    },
  },
  {
    name: 'users.create',
    minimum: 'ADMIN',
    call: (c) =>
      c.users.create({ email: `${randomUUID()}@example.com`, role: 'VIEWER', password: 'a long enough password' }),
  },
  { name: 'users.list', minimum: 'ADMIN', call: (c) => c.users.list() },
];

const RANK: Record<UserRole, number> = { VIEWER: 1, STAFF: 2, ADMIN: 3 };

async function outcome(call: Call, caller: AppCaller): Promise<string> {
  try {
    await call(caller);
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe.each(['signed out', 'VIEWER', 'STAFF', 'ADMIN'] as const)('as %s', (who) => {
  it.each(procedures)('$name', async ({ minimum, call, allowedOutcome }) => {
    const user = who === 'signed out' ? null : users[who];
    const caller = callerFor(db, user, { keyRing: ring, sendJob: fakeSender() });
    const expected =
      who === 'signed out' ? 'UNAUTHORIZED' : RANK[who] >= RANK[minimum] ? (allowedOutcome ?? 'ok') : 'FORBIDDEN';
    expect(await outcome(call, caller)).toBe(expected);
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
