// Signing in and out. Every attempt is throttled per email and address, every outcome audited.
import type { Database } from '@syncbridge/db';
import { AppError } from '@syncbridge/engine';
import { recordAudit, type Actor } from './audit.ts';
import { verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { createSession, deleteSession, type NewSession, type SessionUser } from './sessions.ts';
import { assertSignInAllowed, clearSignInFailures, recordSignInFailure, type SignInLimit } from './sign-in-throttle.ts';

type Db = Pick<Database, 'prisma' | 'pool'>;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface SignInResult {
  user: SessionUser;
  session: NewSession;
}

export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string | null },
  options: { limit: SignInLimit; sessionTtlMs: number },
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  await assertSignInAllowed(db.pool, email, input.ip, options.limit);
  const user = await db.prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, role: true, disabled: true, passwordHash: true },
  });
  const valid =
    user?.passwordHash && !user.disabled
      ? await verifyPassword(input.password, user.passwordHash)
      : await verifyAgainstDummy(input.password);
  if (!user || !valid) {
    await recordSignInFailure(db.pool, email, input.ip);
    await recordAudit(
      db.prisma,
      { userId: null, ip: input.ip },
      {
        action: 'auth.sign_in_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        after: { email },
      },
    );
    // One message for unknown email, wrong password and disabled user: no account probing.
    throw new AppError('UNAUTHORIZED', 'Email or password is incorrect.');
  }
  await clearSignInFailures(db.pool, email, input.ip);
  const session = await db.prisma.$transaction(async (tx) => {
    const created = await createSession(tx, user.id, { ttlMs: options.sessionTtlMs, ip: input.ip });
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(
      tx,
      { userId: user.id, ip: input.ip },
      { action: 'auth.sign_in', entityType: 'user', entityId: user.id },
    );
    return created;
  });
  return { user: { id: user.id, email: user.email, role: user.role }, session };
}

export async function signOut(db: Db, actor: Actor, sessionId: string | null): Promise<void> {
  if (!sessionId) return;
  await deleteSession(db.prisma, sessionId);
  await recordAudit(db.prisma, actor, { action: 'auth.sign_out', entityType: 'session', entityId: sessionId });
}
