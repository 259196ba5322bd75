import type pg from 'pg';
import type { Connector } from '@syncbridge/connectors';
import type { Integration, PrismaClient } from '@syncbridge/db';
import type { Logger } from './logger.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** Builds the connector for an integration (decrypting its credentials is the provider's job). */
export type ConnectorProvider = (integration: Integration) => Connector | Promise<Connector>;

/** Everything engine functions need; the worker and the API build one per process. */
export interface EngineContext {
  pool: pg.Pool;
  prisma: PrismaClient;
  logger: Logger;
  connectors: ConnectorProvider;
  limiter: RateLimiter;
  now?: () => Date;
  /** Retry policy for failed items. */
  retry?: { baseMs?: number; maxMs?: number; inRunAttempts?: number; maxWaitMs?: number };
}

export function nowOf(ctx: EngineContext): Date {
  return ctx.now ? ctx.now() : new Date();
}
