import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { UserRole } from '@syncbridge/db';
import type { TestDatabase } from '@syncbridge/db/testing';
import { createKeyRing, createLogger, type JobSender, type KeyRing } from '@syncbridge/engine';
import { appRouter, createContext, type ContextDeps, type SessionUser } from '../src/index.ts';
import { hashPassword } from '../src/services/passwords.ts';

export const silentLogger = createLogger({ name: 'api-test', level: 'silent' });

/** A logger writing every line (trace and up) into `lines`, to check what was logged. */
export function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ name: 'api-test', level: 'trace', destination }), lines };
}

export function keyRingWith(...ids: string[]): { ring: KeyRing; keys: Map<string, Buffer> } {
  const keys = new Map(ids.map((id) => [id, randomBytes(32)] as const));
  return { ring: createKeyRing(keys, ids[0]!), keys };
}

/** Records what would be queued; answers like pg-boss (a job id). */
export function fakeSender(): JobSender & { sent: { name: string; data: unknown }[] } {
  const sent: { name: string; data: unknown }[] = [];
  return {
    sent,
    send: (async (name: string, data: unknown) => {
      sent.push({ name, data });
      return `job-${sent.length}`;
    }) as JobSender['send'],
  };
}

export const PASSWORD = 'correct horse battery staple';

/** One user per role (inserted directly with one shared hash: scrypt is slow on purpose). */
export async function createRoleUsers(db: TestDatabase): Promise<Record<UserRole, SessionUser>> {
  const passwordHash = await hashPassword(PASSWORD);
  const out = {} as Record<UserRole, SessionUser>;
  for (const role of ['ADMIN', 'STAFF', 'VIEWER'] as const) {
    const user = await db.prisma.user.create({
      data: { email: `${role.toLowerCase()}@example.com`, role, passwordHash },
      select: { id: true, email: true, role: true },
    });
    out[role] = user;
  }
  return out;
}

export function callerFor(db: TestDatabase, user: SessionUser | null, deps: Partial<ContextDeps> = {}) {
  return appRouter.createCaller(
    createContext({ prisma: db.prisma, pool: db.pool, logger: silentLogger, user, ip: '203.0.113.7', ...deps }),
  );
}

/** Minimal resource rows for sync procedures (nothing runs them here). */
export async function createResource(db: TestDatabase, integrationId: string) {
  return db.prisma.syncResource.create({
    data: {
      integrationId,
      name: `tasks-${randomBytes(3).toString('hex')}`,
      resourceType: 'TASK',
      localTable: 'tasks',
      localKeyColumn: 'id',
      externalObject: 'sheet-1',
    },
  });
}
