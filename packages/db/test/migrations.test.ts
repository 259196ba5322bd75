import { readdir } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrationsDir, schemaCreationScript } from '../src/migrate.ts';
import { cloneDatabase, dropDatabase, schemaFingerprint, withDatabase } from '../src/testing/index.ts';

const adminUrl = inject('databaseAdminUrl');
const template = inject('templateDatabase');
const created: string[] = [];

afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name);
});

async function emptyDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
  await client.end();
  created.push(name);
  return withDatabase(adminUrl, name);
}

describe('migrations', () => {
  it('build exactly the structure schema.prisma describes (no drift)', async () => {
    const name = `sb_drift_migrated_${process.pid}`;
    const migratedUrl = await cloneDatabase(adminUrl, template, name);
    created.push(name);

    const fromSchemaUrl = await emptyDatabase(`sb_drift_schema_${process.pid}`);
    const script = await schemaCreationScript(fromSchemaUrl);
    const client = new pg.Client({ connectionString: fromSchemaUrl });
    await client.connect();
    await client.query(script);
    await client.end();

    const migrated = await schemaFingerprint(migratedUrl);
    const described = await schemaFingerprint(fromSchemaUrl);
    expect(described.length).toBeGreaterThan(100);
    // On failure: run `pnpm db:migration <name>` to write the missing migration.
    expect(migrated).toEqual(described);
  });

  it('are recorded in _prisma_migrations like `prisma migrate deploy` records them', async () => {
    const dirs = (await readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    const client = new pg.Client({ connectionString: withDatabase(adminUrl, template) });
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; checksum: string }>(
      'select migration_name, finished_at, checksum from _prisma_migrations order by migration_name',
    );
    await client.end();
    expect(rows.map((r) => r.migration_name)).toEqual(dirs.sort());
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
