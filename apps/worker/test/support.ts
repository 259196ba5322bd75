import { Writable } from 'node:stream';
import type { Database, Prisma } from '@syncbridge/db';
import {
  createConnectorProvider,
  createLogger,
  createPostgresRateLimiter,
  type EngineContext,
  type Logger,
} from '@syncbridge/engine';

/** A logger whose lines stay in memory, so a test can check what the worker logged. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger({ name: 'worker-test', level: 'debug', destination }), lines };
}

/** An engine context over a test database, for setting up what the worker then syncs (saveResource). */
export function testEngineContext(db: Database): EngineContext {
  return {
    pool: db.pool,
    prisma: db.prisma,
    logger: captureLogger().logger,
    limiter: createPostgresRateLimiter(db.pool),
    connectors: createConnectorProvider({ pool: db.pool }),
  };
}

/** Who created the interactions (the S4 contract requires a creator). */
export const CREATOR = '00000000-0000-4000-8000-000000000001';

/** An instant `daysFromNow` days away at hh:mm UTC: inside the S4 sync window for days >= -30. */
export function daysFromNow(days: number, hh = 10, mm = 0): Date {
  const date = new Date(Date.now() + days * 86_400_000);
  date.setUTCHours(hh, mm, 0, 0);
  return date;
}

/** An interaction that meets the S4 sync conditions unless `fields` says otherwise. */
export async function insertInteraction(db: Database, fields: Partial<Prisma.interactionUncheckedCreateInput> = {}) {
  const row = await db.prisma.interaction.create({
    data: {
      interaction_type: 'meeting',
      created_by: CREATOR,
      subject: 'Quarterly review',
      interaction_date: daysFromNow(2),
      duration_minutes: 30,
      ...fields,
    },
  });
  return row.interaction_id;
}

/** The calendar event S4 made for an interaction, if any. */
export async function eventFor(db: Database, interactionId: string) {
  return db.prisma.calendar_events.findUnique({
    where: { related_table_related_id: { related_table: 'interaction', related_id: interactionId } },
  });
}
