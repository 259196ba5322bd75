export { createTestDatabase, useTestDatabase } from './database.ts';
export type { TestDatabase } from './database.ts';
export {
  startTestServer,
  createTemplateDatabase,
  cloneDatabase,
  dropDatabase,
  dropTemplateDatabase,
  withDatabase,
  quoteIdent,
} from './server.ts';
export type { TestServer, TestServerOptions } from './server.ts';
export { schemaFingerprint } from './fingerprint.ts';
