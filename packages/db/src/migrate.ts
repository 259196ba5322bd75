// Migrations through Prisma's WebAssembly schema engine: works offline, records history in
// `_prisma_migrations` exactly as `prisma migrate deploy` does, so the standard CLI can take over
// on machines that can download the native engine.
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { SchemaEngine, type DiffTarget, type MigrationList } from '@prisma/schema-engine-wasm';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaPath = path.join(packageDir, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(packageDir, 'prisma', 'migrations');

const noFilters = { externalTables: [], externalEnums: [] };
/** Datamodel the migration was generated from (see createMigration). */
const snapshotFile = 'schema.prisma.snapshot';

async function loadSchema() {
  return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
}

async function loadMigrations(): Promise<MigrationList> {
  await mkdir(migrationsDir, { recursive: true });
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => {
        const file = path.join(migrationsDir, dir, 'migration.sql');
        const content = await readFile(file, 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (err: Error) => ({ tag: 'error' as const, value: err.message }),
        );
        return { path: dir, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

async function withEngine<T>(connectionString: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const schema = await loadSchema();
  // Our own pool, closed afterwards: a lingering connection would keep a template database busy.
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on('error', () => undefined);
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
    const engine = await SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, () => undefined, adapter);
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

/** Applies every migration not yet applied; returns their names. Safe to run on every start. */
export async function migrateDatabase(connectionString: string): Promise<string[]> {
  return withEngine(connectionString, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: await loadMigrations(), filters: noFilters });
    return result.appliedMigrationNames;
  });
}

/**
 * Writes the next migration into prisma/migrations/<timestamp>_<name>/: the SQL that takes the
 * schema as of the previous migration (the snapshot stored beside it) to schema.prisma.
 * Returns the folder name, or null when nothing changed. The engine wants a server to talk to
 * (it reads the server version) but changes nothing there.
 *
 * Why snapshots: the wasm engine cannot replay history in a shadow database through a driver
 * adapter, so each migration keeps the datamodel it was generated from. The drift test checks
 * independently that replaying migration.sql files yields exactly the schema.prisma structure.
 */
export async function createMigration(connectionString: string, name: string, now = new Date()): Promise<string | null> {
  const safeName = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!safeName) throw new Error('A migration needs a name made of letters, digits or underscores.');
  const migrationsList = await loadMigrations();
  const previous = migrationsList.migrationDirectories.at(-1);
  const previousSnapshot = previous
    ? await readFile(path.join(migrationsDir, previous.path, snapshotFile), 'utf8').catch(() => {
        throw new Error(`Migration ${previous.path} has no ${snapshotFile}; cannot tell what changed since.`);
      })
    : null;
  const schema = await loadSchema();
  const script = await withEngine(connectionString, (engine) =>
    diffScript(engine, previousSnapshot === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: schema.path, content: previousSnapshot }] }),
  );
  if (!script) return null;
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const dirName = `${stamp}_${safeName}`;
  const dir = path.join(migrationsDir, dirName);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), `${script}\n`);
  await writeFile(path.join(dir, snapshotFile), schema.content);
  if (migrationsList.lockfile.content === null) {
    await writeFile(
      path.join(migrationsDir, 'migration_lock.toml'),
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return dirName;
}

/** The SQL that creates the whole schema.prisma structure in an empty database. */
export async function schemaCreationScript(connectionString: string): Promise<string> {
  return withEngine(connectionString, (engine) => diffScript(engine, { tag: 'empty' }));
}

async function diffScript(engine: SchemaEngine, from: DiffTarget): Promise<string> {
  const result = await engine.diff({
    from,
    to: { tag: 'schemaDatamodel', files: [await loadSchema()] },
    script: true,
    exitCode: null,
    filters: noFilters,
  });
  const script = (result.stdout ?? '').trim();
  return script === '-- This is an empty migration.' ? '' : script;
}
