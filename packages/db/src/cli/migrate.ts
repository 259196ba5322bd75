// `pnpm db:migrate` applies pending migrations to DATABASE_URL; `pnpm db:migration NAME` writes
// the next migration from the changes in schema.prisma. The schema engine wants a server to talk
// to while diffing: DATABASE_URL if set, else a throwaway embedded Postgres.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMigration, migrateDatabase } from '../migrate.ts';
import { findFreePort, startEmbeddedPostgres } from '../embedded.ts';

const [command, name] = process.argv.slice(2);

async function withServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  if (url) return fn(url);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'syncbridge-migrate-'));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: await findFreePort(), persistent: false, fast: true });
  try {
    return await fn(pg.adminUrl);
  } finally {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (command === 'deploy') {
    if (!process.env.DATABASE_URL) {
      console.error('Set DATABASE_URL to the database to migrate (the start command migrates the embedded one itself).');
      process.exit(2);
    }
    const applied = await migrateDatabase(process.env.DATABASE_URL);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  } else if (command === 'create') {
    if (!name) {
      console.error('Usage: pnpm db:migration NAME');
      process.exit(2);
    }
    const created = await withServer((url) => createMigration(url, name));
    console.log(created ? `Created prisma/migrations/${created}` : 'Schema and migrations already agree: nothing to create.');
  } else {
    console.error('Usage: migrate.ts deploy | create NAME');
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
