// Where tests get Postgres from: TEST_DATABASE_URL, else Testcontainers when a Docker engine
// answers, else an embedded Postgres in a temporary folder. One server per test run; each test
// file then clones its own database from a migrated template (see database.ts).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findFreePort, startEmbeddedPostgres } from '../embedded.ts';
import { migrateDatabase } from '../migrate.ts';

export interface TestServer {
  kind: 'external' | 'testcontainers' | 'embedded';
  /** Connection string for a maintenance database on the server (used to create and drop databases). */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** An existing server to use (TEST_DATABASE_URL). */
  externalUrl?: string;
  /** DOCKER_HOST, if the environment names one. */
  dockerHost?: string;
}

function dockerMayAnswer(dockerHost?: string): boolean {
  return Boolean(dockerHost) || existsSync('/var/run/docker.sock');
}

async function startTestcontainer(): Promise<TestServer | null> {
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:17-alpine')
      .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=400'])
      .start();
    return {
      kind: 'testcontainers',
      adminUrl: container.getConnectionUri(),
      stop: async () => {
        await container.stop();
      },
    };
  } catch {
    return null; // no engine answered: fall back to embedded
  }
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  if (options.externalUrl) {
    return { kind: 'external', adminUrl: options.externalUrl, stop: async () => undefined };
  }
  if (dockerMayAnswer(options.dockerHost)) {
    const container = await startTestcontainer();
    if (container) return container;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'syncbridge-test-pg-'));
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    port: await findFreePort(),
    persistent: false,
    fast: true,
  });
  return {
    kind: 'embedded',
    adminUrl: server.adminUrl,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Replaces the database name in a connection string. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates a database, applies every migration and marks it as a template. Returns its name. */
export async function createTemplateDatabase(adminUrl: string, name: string): Promise<string> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(name)}`);
  await migrateDatabase(withDatabase(adminUrl, name));
  await adminQuery(adminUrl, `ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true`);
  return name;
}

/** Clones `template` into a new database; retries while another clone briefly holds the template. */
export async function cloneDatabase(adminUrl: string, template: string, name: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
      return withDatabase(adminUrl, name);
    } catch (error) {
      const busy = error instanceof Error && /being accessed by other users/.test(error.message);
      if (!busy || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

export async function dropTemplateDatabase(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, `ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE false`).catch(() => undefined);
  await dropDatabase(adminUrl, name);
}
