// Cookie sessions. The browser holds a random 32-byte token; the database holds only its SHA-256,
// so reading the sessions table does not let anyone sign in. The CSRF token is derived from the
// session token (a keyed hash of it), so it needs no storage and dies with the session.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database, UserRole } from '@syncbridge/db';

type SessionDb = Pick<Database['prisma'], 'session'>;

export interface SessionUser {
  id: string;
  email: string;
  role: UserRole;
}

export const SESSION_COOKIE = 'sb_session';
/** Readable by the page's script, which echoes it in the `x-csrf-token` header. */
export const CSRF_COOKIE = 'sb_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const DEFAULT_SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
// lastSeenAt is a hint, not an audit trail: write it at most once a minute per session.
const LAST_SEEN_RESOLUTION_MS = 60_000;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The session's CSRF token: a hash of the session token under its own label. */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`syncbridge-csrf\n${sessionToken}`).digest('base64url');
}

export function csrfTokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  prisma: SessionDb,
  userId: string,
  options: { ttlMs?: number; ip?: string | null; now?: Date } = {},
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (options.ttlMs ?? DEFAULT_SESSION_TTL_MS));
  await prisma.session.create({
    data: {
      userId,
      tokenHash: hashSessionToken(token),
      ip: options.ip ?? null,
      expiresAt,
      createdAt: now,
      lastSeenAt: now,
    },
  });
  return { token, csrfToken: csrfTokenFor(token), expiresAt };
}

export interface ActiveSession {
  id: string;
  user: SessionUser;
  csrfToken: string;
  expiresAt: Date;
}

/** The live session a cookie token names, or null (unknown, expired, or the user is disabled). */
export async function findSession(prisma: SessionDb, token: string, now = new Date()): Promise<ActiveSession | null> {
  if (!token || token.length > 128) return null;
  const session = await prisma.session.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    select: {
      id: true,
      expiresAt: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, role: true, disabled: true } },
    },
  });
  if (!session || session.expiresAt <= now || session.user.disabled) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { id, email, role } = session.user;
  return { id: session.id, user: { id, email, role }, csrfToken: csrfTokenFor(token), expiresAt: session.expiresAt };
}

export async function deleteSession(prisma: SessionDb, sessionId: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id: sessionId } });
}

// ── Cookies ──

export interface CookieSettings {
  /** Secure flag; turn off only for plain-http localhost development. */
  secure: boolean;
}

function serializeCookie(
  name: string,
  value: string,
  options: { httpOnly: boolean; secure: boolean; maxAgeSeconds: number },
): string {
  const parts = [`${name}=${value}`, 'Path=/', `Max-Age=${options.maxAgeSeconds}`, 'SameSite=Lax'];
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Set-Cookie values for a new session: the HttpOnly token and the script-readable CSRF token. */
export function sessionCookies(session: NewSession, settings: CookieSettings, now = new Date()): string[] {
  const maxAgeSeconds = Math.max(0, Math.round((session.expiresAt.getTime() - now.getTime()) / 1000));
  return [
    serializeCookie(SESSION_COOKIE, session.token, { httpOnly: true, secure: settings.secure, maxAgeSeconds }),
    serializeCookie(CSRF_COOKIE, session.csrfToken, { httpOnly: false, secure: settings.secure, maxAgeSeconds }),
  ];
}

export function clearedSessionCookies(settings: CookieSettings): string[] {
  return [
    serializeCookie(SESSION_COOKIE, '', { httpOnly: true, secure: settings.secure, maxAgeSeconds: 0 }),
    serializeCookie(CSRF_COOKIE, '', { httpOnly: false, secure: settings.secure, maxAgeSeconds: 0 }),
  ];
}

/** One cookie's value from a Cookie header (no decoding: our values are base64url). */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim() || null;
  }
  return null;
}
