// Integration names: create and rename (update) trim them, keep them 1–120 characters and refuse
// another integration's (ignoring case); the audit row shows a rename before and after.
import { beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import type { SessionUser } from '../src/index.ts';
import { callerFor, createRoleUsers, keyRingWith } from './helpers.ts';

const db = useTestDatabase();
const { ring } = keyRingWith('k1');
let users: Record<UserRole, SessionUser>;

beforeAll(async () => {
  users = await createRoleUsers(db);
});

const admin = () => callerFor(db, users.ADMIN, { keyRing: ring });

async function seed(name: string) {
  return db.prisma.integration.create({
    data: { name, type: 'SMARTSHEET', status: 'ACTIVE', frequency: 'HOURLY' },
  });
}

async function auditRowsFor(entityId: string) {
  return db.prisma.auditEvent.findMany({
    where: { entityId, action: 'integration.update' },
    orderBy: { createdAt: 'asc' },
  });
}

/** The zod issue paths of a BAD_REQUEST from a caller. */
function invalidPaths(error: unknown): string[] {
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe('BAD_REQUEST');
  const cause = (error as TRPCError).cause;
  expect(cause).toBeInstanceOf(z.ZodError);
  return (cause as z.ZodError).issues.map((issue) => issue.path.join('.'));
}

describe('integrations.update renaming', () => {
  it('stores the trimmed name, leaves the rest alone and audits the name before and after', async () => {
    const integration = await seed('Event registrations');
    const updated = await admin().integrations.update({ id: integration.id, name: '  Registrations 2026  ' });
    expect(updated.name).toBe('Registrations 2026');
    const stored = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(stored).toMatchObject({ name: 'Registrations 2026', frequency: 'HOURLY', status: 'ACTIVE' });

    const [audit, ...more] = await auditRowsFor(integration.id);
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      actorId: users.ADMIN.id,
      ip: '203.0.113.7',
      before: expect.objectContaining({ name: 'Event registrations' }),
      after: expect.objectContaining({ name: 'Registrations 2026', replaced: [] }),
    });

    // Other changes without a name keep it.
    const paused = await admin().integrations.update({ id: integration.id, status: 'PAUSED' });
    expect(paused).toMatchObject({ name: 'Registrations 2026', status: 'PAUSED' });
  });

  it('refuses an empty, blank or over-long name with a field error and changes nothing', async () => {
    const integration = await seed('Volunteers');
    for (const name of ['', '   ', 'x'.repeat(121)]) {
      const error = await admin()
        .integrations.update({ id: integration.id, name })
        .catch((e: unknown) => e);
      expect(invalidPaths(error)).toEqual(['name']);
    }
    // Exactly 120 characters is fine (after trimming).
    const longest = 'y'.repeat(120);
    await expect(admin().integrations.update({ id: integration.id, name: ` ${longest} ` })).resolves.toMatchObject({
      name: longest,
    });
    expect(await auditRowsFor(integration.id)).toHaveLength(1);
  });

  it("refuses another integration's name, ignoring case, and allows a change of case of its own", async () => {
    const taken = await seed('Members ↔ HubSpot');
    const integration = await seed('Contacts');
    const error = await admin()
      .integrations.update({ id: integration.id, name: '  members ↔ hubspot ', frequency: 'DAILY' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'Another integration already has this name.' });
    // Nothing of the refused update was applied or audited.
    const unchanged = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(unchanged).toMatchObject({ name: 'Contacts', frequency: 'HOURLY' });
    expect(await auditRowsFor(integration.id)).toEqual([]);
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: taken.id } })).name).toBe('Members ↔ HubSpot');

    // Its own name in another case is not "taken"; sending the unchanged name is a no-op rename.
    await expect(admin().integrations.update({ id: integration.id, name: 'CONTACTS' })).resolves.toMatchObject({
      name: 'CONTACTS',
    });
    await expect(admin().integrations.update({ id: integration.id, name: 'CONTACTS' })).resolves.toMatchObject({
      name: 'CONTACTS',
    });
  });

  it('keeps renaming to admins', async () => {
    const integration = await seed('Only admins rename');
    for (const role of ['STAFF', 'VIEWER'] as const) {
      const error = await callerFor(db, users[role], { keyRing: ring })
        .integrations.update({ id: integration.id, name: 'Renamed' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } })).name).toBe(
      'Only admins rename',
    );
  });
});

describe('integrations.create naming', () => {
  it("refuses another integration's name, ignoring case, before anything is stored or audited", async () => {
    await seed('Tasks ↔ Asana');
    const before = await db.prisma.integration.count();
    const error = await admin()
      .integrations.create({ name: '  TASKS ↔ asana ', type: 'ASANA', credentials: { token: 'asana-pat-1' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'Another integration already has this name.' });
    expect(await db.prisma.integration.count()).toBe(before);
    expect(await db.prisma.auditEvent.count({ where: { action: 'integration.create' } })).toBe(0);
    // A name of its own is created as usual.
    const { integration } = await admin().integrations.create({
      name: 'Tasks ↔ Asana (team B)',
      type: 'ASANA',
      credentials: { token: 'asana-pat-1' },
    });
    expect(integration.name).toBe('Tasks ↔ Asana (team B)');
  });
});
