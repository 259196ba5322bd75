// Opaque cursors for newest-first keyset pages (created_at desc, id desc): the position of the last
// row seen, base64url-encoded so clients treat it as a token rather than build one.
import { AppError } from '@syncbridge/engine';

export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

/** The position a cursor names; VALIDATION (400) for anything this server did not hand out. */
export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [time, id] = parsed as unknown[];
      const createdAt = typeof time === 'string' ? new Date(time) : null;
      if (createdAt && !Number.isNaN(createdAt.getTime()) && typeof id === 'string' && UUID.test(id)) {
        return { createdAt, id };
      }
    }
  } catch {
    // Not JSON: the same answer as a well-formed but wrong cursor.
  }
  throw new AppError('VALIDATION', 'Invalid cursor: pass the nextCursor of a previous page.');
}

/**
 * Rows strictly after `position` in newest-first order (a Prisma where fragment). The plain
 * `created_at <= t` bound lets Postgres start its index scan at the position; with only the OR it
 * would walk every newer row again on each page (a million-row export went quadratic).
 */
export function afterPosition(position: KeysetPosition) {
  return {
    createdAt: { lte: position.createdAt },
    OR: [{ createdAt: { lt: position.createdAt } }, { id: { lt: position.id } }],
  };
}

/** Newest first, ties broken by id so the order (and so every page) is total. */
export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
