import { beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { ensureFirstAdmin, type SessionUser } from '../src/index.ts';
import { callerFor, createRoleUsers, PASSWORD } from './helpers.ts';

const db = useTestDatabase();
let users: Record<UserRole, SessionUser>;

beforeAll(async () => {
  users = await createRoleUsers(db);
});

function signInCaller(ip: string) {
  const cookies: string[] = [];
  const caller = callerFor(db, null, { ip, setCookie: (header) => cookies.push(header) });
  return { caller, cookies };
}

describe('auth.signIn', () => {
  it('creates a session (only its hash stored), sets the cookies and audits', async () => {
    const { caller, cookies } = signInCaller('198.51.100.1');
    const result = await caller.auth.signIn({ email: 'STAFF@example.com ', password: PASSWORD });
    expect(result.user).toEqual(users.STAFF);
    expect(result.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const token = /^sb_session=([^;]+)/.exec(cookies[0] ?? '')?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = await db.prisma.session.findFirstOrThrow({ where: { userId: users.STAFF.id } });
    expect(session.tokenHash).not.toContain(token!);
    expect(session.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'auth.sign_in', actorId: users.STAFF.id },
    });
    expect(audit.ip).toBe('198.51.100.1');
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: users.STAFF.id } })).lastLoginAt).toBeInstanceOf(
      Date,
    );
  });

  it('rejects a wrong password or unknown email with one message, and audits the failure', async () => {
    const { caller, cookies } = signInCaller('198.51.100.2');
    for (const attempt of [
      { email: 'viewer@example.com', password: 'wrong password!' },
      { email: 'nobody@example.com', password: PASSWORD },
    ]) {
      await expect(caller.auth.signIn(attempt)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'Email or password is incorrect.',
      });
    }
    expect(cookies).toEqual([]);
    const failures = await db.prisma.auditEvent.findMany({
      where: { action: 'auth.sign_in_failed', ip: '198.51.100.2' },
    });
    expect(failures).toHaveLength(2);
    expect(JSON.stringify(failures)).not.toContain('wrong password!');
  });

  it('refuses a disabled user', async () => {
    await db.prisma.user.update({ where: { id: users.VIEWER.id }, data: { disabled: true } });
    const { caller } = signInCaller('198.51.100.3');
    await expect(caller.auth.signIn({ email: 'viewer@example.com', password: PASSWORD })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await db.prisma.user.update({ where: { id: users.VIEWER.id }, data: { disabled: false } });
  });

  it('locks an email and address out after 5 failures in 15 minutes (429), other addresses unaffected', async () => {
    const { caller } = signInCaller('198.51.100.9');
    for (let i = 0; i < 5; i++) {
      await expect(caller.auth.signIn({ email: 'admin@example.com', password: `nope ${i}` })).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    }
    // Even the right password is refused now.
    const locked = await caller.auth
      .signIn({ email: 'admin@example.com', password: PASSWORD })
      .catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect((locked as Error).message).toMatch(/Too many failed sign-in attempts/);
    const elsewhere = signInCaller('198.51.100.10');
    expect((await elsewhere.caller.auth.signIn({ email: 'admin@example.com', password: PASSWORD })).user.role).toBe(
      'ADMIN',
    );
    // The window passes (failures older than 15 minutes no longer count).
    await db.pool.query(`update rate_limit_events set at = at - interval '16 minutes' where key like 'sign-in:%'`);
    expect((await caller.auth.signIn({ email: 'admin@example.com', password: PASSWORD })).user.role).toBe('ADMIN');
    const { rows } = await db.pool.query(`select key from rate_limit_events where key like 'sign-in:%'`);
    expect(JSON.stringify(rows)).not.toContain('admin@example.com');
  });
});

describe('auth.signOut', () => {
  it('deletes the session and clears both cookies', async () => {
    const { caller } = signInCaller('198.51.100.20');
    await caller.auth.signIn({ email: 'staff@example.com', password: PASSWORD });
    const session = await db.prisma.session.findFirstOrThrow({ where: { ip: '198.51.100.20' } });
    const cookies: string[] = [];
    const signedIn = callerFor(db, users.STAFF, {
      session: { id: session.id, csrfToken: 'csrf' },
      csrfHeader: 'csrf',
      setCookie: (header) => cookies.push(header),
    });
    expect(await signedIn.auth.signOut()).toEqual({ signedOut: true });
    expect(await db.prisma.session.findUnique({ where: { id: session.id } })).toBeNull();
    expect(cookies.map((c) => c.split(';')[0])).toEqual(['sb_session=', 'sb_csrf=']);
    expect(cookies.every((c) => c.includes('Max-Age=0'))).toBe(true);
    expect(await db.prisma.auditEvent.count({ where: { action: 'auth.sign_out', entityId: session.id } })).toBe(1);
  });
});

describe('first admin', () => {
  it('is created from ADMIN_EMAIL/ADMIN_PASSWORD only while no user exists', async () => {
    // This file's users exist already: nothing happens.
    expect(await ensureFirstAdmin(db, { email: 'boot@example.com', password: 'a long enough password' })).toBeNull();
    await db.prisma.auditEvent.deleteMany();
    await db.prisma.user.deleteMany();
    const admin = await ensureFirstAdmin(db, { email: 'Boot@Example.com', password: 'a long enough password' });
    expect(admin).toMatchObject({ email: 'boot@example.com', role: 'ADMIN' });
    expect(await ensureFirstAdmin(db, { email: 'other@example.com', password: 'a long enough password' })).toBeNull();
    expect(await db.prisma.user.count()).toBe(1);
    const { caller } = signInCaller('198.51.100.30');
    expect(
      (await caller.auth.signIn({ email: 'boot@example.com', password: 'a long enough password' })).user.role,
    ).toBe('ADMIN');
  });
});
