import { randomUUID } from 'node:crypto';
import { createSession, hashPassword } from '@syncbridge/api';
import type { UserRole } from '@syncbridge/db';
import type { TestDatabase } from '@syncbridge/db/testing';

export const PASSWORD = 'correct horse battery staple';

/** A user of `role` with PASSWORD (hashing is slow on purpose: reuse one hash per file). */
export async function createUser(db: TestDatabase, role: UserRole, passwordHash?: string) {
  return db.prisma.user.create({
    data: {
      email: `${role.toLowerCase()}-${randomUUID()}@example.com`,
      role,
      passwordHash: passwordHash ?? (await hashPassword(PASSWORD)),
    },
  });
}

/** A session made directly in the database: the Cookie header and CSRF token a signed-in browser would hold. */
export async function signedInAs(db: TestDatabase, role: UserRole) {
  const user = await createUser(db, role, 'not-a-usable-hash');
  const session = await createSession(db.prisma, user.id);
  return { user, cookie: `sb_session=${session.token}; sb_csrf=${session.csrfToken}`, csrfToken: session.csrfToken };
}
