import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export interface DatabaseOptions {
  connectionString: string;
  /** Pool size; the engine's raw SQL and Prisma share it. */
  max?: number;
  /** Shown in pg_stat_activity, handy when several processes share a database. */
  applicationName?: string;
  /** How long to wait for a free pooled connection before failing (default 30 s; never hang). */
  connectionTimeoutMillis?: number;
}

/** One pool and one Prisma client over it: create once per process (or per test database). */
export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

// Postgres returns int8 as strings by default; counts and ids we read through `pool` fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export function createDatabase(options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'syncbridge',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process:
  // the pool discards it and the next query reconnects.
  pool.on('error', () => undefined);
  // Nor one checked out and idle between queries (a held advisory lock, an open transaction):
  // the pool listens only to idle clients, and an unheard 'error' kills the process. Its next
  // query fails instead, and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed = false;
  return {
    prisma,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Answers whether the database takes queries right now (for /healthz). */
export async function pingDatabase(pool: pg.Pool, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
    });
    await Promise.race([pool.query('select 1'), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Replaces the password in a connection string so it can be logged. */
export function redactConnectionString(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid connection string>';
  }
}
