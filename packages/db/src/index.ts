export { createDatabase, pingDatabase, redactConnectionString } from './client.ts';
export type { Database, DatabaseOptions } from './client.ts';
export * from './generated/prisma/client.ts';

import type { PrismaClient } from './generated/prisma/client.ts';
/** The client handed to a `$transaction(async (tx) => …)` callback, for functions that must run inside one. */
export type TransactionClient = Omit<
  PrismaClient,
  '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'
>;
