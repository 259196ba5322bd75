// Users of the admin app: created by an admin, by the CLI, or from ADMIN_EMAIL/ADMIN_PASSWORD on
// the first start. Password hashes never leave this module.
import type { Database, Prisma, UserRole } from '@syncbridge/db';
import { AppError } from '@syncbridge/engine';
import { recordAudit, type Actor } from './audit.ts';
import { normaliseEmail } from './auth.ts';
import { hashPassword } from './passwords.ts';

type Db = Pick<Database, 'prisma'>;

export const MIN_PASSWORD_LENGTH = 12;

export const userSummarySelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  lastLoginAt: true,
  createdAt: true,
} as const satisfies Prisma.UserSelect;

export type UserSummary = Prisma.UserGetPayload<{ select: typeof userSummarySelect }>;

export interface NewUser {
  email: string;
  password: string;
  role: UserRole;
  name?: string | null;
}

export async function createUser(db: Db, actor: Actor, input: NewUser): Promise<UserSummary> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('VALIDATION', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: normaliseEmail(input.email), name: input.name ?? null, role: input.role, passwordHash },
        select: userSummarySelect,
      });
      await recordAudit(tx, actor, { action: 'user.create', entityType: 'user', entityId: user.id, after: user });
      return user;
    });
  } catch (error) {
    // Prisma's unique-constraint code (checked by value: class identity differs across bundles).
    if ((error as { code?: unknown }).code === 'P2002') {
      throw new AppError('CONFLICT', 'A user with this email already exists.');
    }
    throw error;
  }
}

export async function listUsers(db: Db): Promise<UserSummary[]> {
  return db.prisma.user.findMany({ select: userSummarySelect, orderBy: [{ email: 'asc' }] });
}

/**
 * Creates the first admin when the users table is empty (ADMIN_EMAIL + ADMIN_PASSWORD on start).
 * Returns null when any user exists already. An advisory lock keeps two starting processes from
 * both creating one.
 */
export async function ensureFirstAdmin(
  db: Db,
  input: { email: string; password: string },
): Promise<UserSummary | null> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('VALIDATION', `ADMIN_PASSWORD must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if ((await db.prisma.user.count()) > 0) return null;
  const passwordHash = await hashPassword(input.password);
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('syncbridge.first-admin'))`;
    if ((await tx.user.count()) > 0) return null;
    const user = await tx.user.create({
      data: { email: normaliseEmail(input.email), role: 'ADMIN', passwordHash },
      select: userSummarySelect,
    });
    await recordAudit(
      tx,
      { userId: null, ip: null },
      {
        action: 'user.bootstrap_admin',
        entityType: 'user',
        entityId: user.id,
        after: user,
      },
    );
    return user;
  });
}
