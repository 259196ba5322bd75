import { Writable } from 'node:stream';
import { createInDatabaseConnector, type Connector } from '@syncbridge/connectors';
import type { Database, Integration } from '@syncbridge/db';
import { createLogger } from '../src/logger.ts';
import { createPostgresRateLimiter } from '../src/rate-limiter.ts';
import type { ConnectorProvider, EngineContext } from '../src/context.ts';

/** A logger whose output the test can read (and that keeps the test output quiet). */
export function memoryLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ name: 'engine-test', level: 'debug', destination }), lines };
}

export function engineContext(db: Database, overrides: Partial<EngineContext> & { connectorFor?: (integration: Integration) => Connector } = {}): EngineContext {
  const { logger } = memoryLogger();
  const inDatabase = createInDatabaseConnector({ sql: db.pool });
  const connectors: ConnectorProvider = (integration) => {
    const custom = overrides.connectorFor?.(integration);
    if (custom) return custom;
    if (integration.type === 'IN_DATABASE') return inDatabase;
    throw new Error(`no connector for ${integration.type} in this test`);
  };
  return {
    pool: db.pool,
    prisma: db.prisma,
    logger,
    connectors,
    limiter: createPostgresRateLimiter(db.pool),
    retry: { baseMs: 10, maxMs: 200, inRunAttempts: 3, maxWaitMs: 1000 },
    ...overrides,
  };
}
