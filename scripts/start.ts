// Starts the whole system: Postgres (embedded under DATA_DIR unless DATABASE_URL is set),
// migrations, demo data (once), the web server and the worker. Ctrl-C or SIGTERM stops the
// children, then Postgres, and leaves nothing running.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDatabase, redactConnectionString } from '@syncbridge/db';
import { startEmbeddedPostgres, EmbeddedPostgresError, type RunningPostgres } from '@syncbridge/db/embedded';
import { migrateDatabase } from '@syncbridge/db/migrate';
import { seedDemoData } from '@syncbridge/db/seed';
import { parseStartEnv } from './env.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = parseStartEnv();

function say(message: string) {
  console.log(`[syncbridge] ${message}`);
}

async function ensureDatabaseExists(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

const children: ChildProcess[] = [];
let embedded: RunningPostgres | undefined;
let shuttingDown = false;

function startChild(name: string, script: string, extraEnv: Record<string, string>) {
  const child = spawn('pnpm', ['exec', 'tsx', script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...extraEnv },
  });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      say(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push(child);
}

async function shutdown(exitCode: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  if (embedded) {
    await embedded.stop();
    say('embedded Postgres stopped');
  }
  process.exit(exitCode);
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = path.resolve(root, env.DATA_DIR, 'postgres');
    say(`starting embedded Postgres on port ${env.EMBEDDED_PG_PORT} (data in ${path.relative(root, dataDir)})`);
    embedded = await startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_PG_PORT, persistent: true });
    await ensureDatabaseExists(embedded.adminUrl, 'syncbridge');
    databaseUrl = embedded.urlFor('syncbridge');
  }
  say(`database ${redactConnectionString(databaseUrl)}`);

  const applied = await migrateDatabase(databaseUrl);
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'migrations up to date');

  if (env.SEED_DEMO) {
    const db = createDatabase({ connectionString: databaseUrl, max: 2 });
    try {
      const seeded = await seedDemoData(db.prisma);
      if (seeded.seeded) say(`seeded demo data (${seeded.integrations} integrations)`);
    } finally {
      await db.close();
    }
  }

  const shared = { DATABASE_URL: databaseUrl, LOG_LEVEL: env.LOG_LEVEL };
  startChild('web', 'apps/web/server.ts', { ...shared, PORT: String(env.PORT), NODE_ENV: 'production' });
  startChild('worker', 'apps/worker/src/main.ts', { ...shared, WORKER_PORT: String(env.WORKER_PORT) });
  say(`admin app on http://localhost:${env.PORT}  ·  worker health on http://localhost:${env.WORKER_PORT}/healthz  ·  Ctrl-C stops`);
}

main().catch(async (error: unknown) => {
  if (error instanceof EmbeddedPostgresError) console.error(`[syncbridge] ${error.message}`);
  else console.error('[syncbridge] start failed:', error instanceof Error ? error.message : error);
  await shutdown(1);
});
