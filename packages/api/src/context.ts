import type { Database } from '@syncbridge/db';
import type { Logger } from '@syncbridge/engine';

export interface SessionUser {
  id: string;
  role: string;
}

/** What every procedure receives. Built per request by the HTTP adapter, or once by a script. */
export interface Context {
  prisma: Database['prisma'];
  pool: Database['pool'];
  logger: Logger;
  user: SessionUser | null;
}

export interface ContextDeps {
  prisma: Database['prisma'];
  pool: Database['pool'];
  logger: Logger;
  user?: SessionUser | null;
}

export function createContext(deps: ContextDeps): Context {
  return { prisma: deps.prisma, pool: deps.pool, logger: deps.logger, user: deps.user ?? null };
}
