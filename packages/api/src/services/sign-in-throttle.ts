// Sign-in throttling: at most `maxFailures` failed attempts per email and IP address in a sliding
// window. Failures are rows in rate_limit_events (shared by every web process, pruned by the
// worker's daily cleanup); the key is a hash, so the table holds no email addresses.
import { createHash } from 'node:crypto';
import type { Database } from '@syncbridge/db';
import { AppError } from '@syncbridge/engine';

export interface SignInLimit {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMIT: SignInLimit = { maxFailures: 5, windowMs: 15 * 60 * 1000 };

function throttleKey(email: string, ip: string | null): string {
  return `sign-in:${createHash('sha256')
    .update(`${email}\n${ip ?? '-'}`)
    .digest('hex')}`;
}

/** Throws RATE_LIMITED when this email and address already used up their failures. */
export async function assertSignInAllowed(
  pool: Database['pool'],
  email: string,
  ip: string | null,
  limit: SignInLimit,
) {
  const { rows } = await pool.query<{ failures: number; oldest: Date | null }>(
    `select count(*)::int as failures, min(at) as oldest from rate_limit_events
      where key = $1 and at > clock_timestamp() - make_interval(secs => $2)`,
    [throttleKey(email, ip), limit.windowMs / 1000],
  );
  const { failures, oldest } = rows[0] ?? { failures: 0, oldest: null };
  if (failures >= limit.maxFailures) {
    const retryAfterMs = oldest ? Math.max(0, oldest.getTime() + limit.windowMs - Date.now()) : limit.windowMs;
    const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
    throw new AppError('RATE_LIMITED', `Too many failed sign-in attempts. Try again in ${minutes} minute(s).`, {
      details: { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) },
    });
  }
}

export async function recordSignInFailure(pool: Database['pool'], email: string, ip: string | null): Promise<void> {
  await pool.query('insert into rate_limit_events (key, at) values ($1, clock_timestamp())', [throttleKey(email, ip)]);
}

export async function clearSignInFailures(pool: Database['pool'], email: string, ip: string | null): Promise<void> {
  await pool.query('delete from rate_limit_events where key = $1', [throttleKey(email, ip)]);
}
