// Per-test-file databases. The root vitest global setup starts one server, migrates a template
// database and provides both names; every test file that calls useTestDatabase() gets a fresh
// clone (CREATE DATABASE … TEMPLATE …) that is dropped when the file finishes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDatabase, type Database } from '../client.ts';
import { cloneDatabase, dropDatabase } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
  }
}

export interface TestDatabase extends Database {
  /** Connection string of this file's own database. */
  url: string;
  name: string;
}

/** Creates a fresh migrated database for the calling test file. Remember to `close()` it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('databaseAdminUrl');
  const template = inject('templateDatabase');
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const url = await cloneDatabase(adminUrl, template, name);
  const db = createDatabase({ connectionString: url, max: 5, applicationName: name });
  return {
    ...db,
    url,
    name,
    async close() {
      await db.close();
      await dropDatabase(adminUrl, name);
    },
  };
}

/**
 * Registers beforeAll/afterAll hooks giving the test file its own database. The returned object's
 * fields are filled in before the first test runs.
 */
export function useTestDatabase(): TestDatabase {
  const holder = {} as TestDatabase;
  beforeAll(async () => {
    Object.assign(holder, await createTestDatabase());
  });
  afterAll(async () => {
    await holder.close?.();
  });
  return holder;
}
