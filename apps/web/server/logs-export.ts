// CSV export of sync logs: GET /api/logs/export.csv?<the filters of logs.list>. Signed in by the
// session cookie like /trpc (any role may read logs; 401 signed out, 400 for a bad filter). Rows are
// read in keyset batches, each batch turned into CSV by csv-stringify and streamed with
// backpressure, so memory stays flat however many rows match; a client that goes away stops the
// reading.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ColumnOption } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';
import type { Request, RequestHandler, Response } from 'express';
import { syncLogBatches, ZLogFilter, type Context, type SyncLogItem, type TLogFilter } from '@syncbridge/api';
import { AppError } from '@syncbridge/engine';

export const LOGS_EXPORT_PATH = '/api/logs/export.csv';
/** Rows per keyset query. */
export const EXPORT_BATCH_SIZE = 1000;

const ROLES_ALLOWED = new Set(['VIEWER', 'STAFF', 'ADMIN']);

export const LOG_EXPORT_COLUMNS = [
  { key: 'createdAt', header: 'time' },
  { key: 'integrationName', header: 'integration' },
  { key: 'operation', header: 'operation' },
  { key: 'direction', header: 'direction' },
  { key: 'resourceType', header: 'resource_type' },
  { key: 'status', header: 'status' },
  { key: 'durationMs', header: 'duration_ms' },
  { key: 'recordsProcessed', header: 'records_processed' },
  { key: 'recordsSucceeded', header: 'records_succeeded' },
  { key: 'recordsFailed', header: 'records_failed' },
  { key: 'recordId', header: 'record_id' },
  { key: 'externalId', header: 'external_id' },
  { key: 'errorCode', header: 'error_code' },
  { key: 'errorMessage', header: 'error_message' },
  { key: 'httpStatus', header: 'http_status' },
  { key: 'integrationId', header: 'integration_id' },
  { key: 'id', header: 'log_id' },
] as const satisfies readonly (ColumnOption & { key: keyof SyncLogItem })[];

/**
 * The query string as logs.list input: empty values (an untouched form field) are dropped, and
 * `status` may repeat (`status=FAILED&status=RETRYING`) or list values (`status=FAILED,RETRYING`).
 */
export function filterFromQuery(query: Request['query']): TLogFilter {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (value === '' || value === undefined) continue;
    input[name] =
      name === 'status' && (typeof value === 'string' || Array.isArray(value))
        ? ([value].flat() as unknown[]).flatMap((item) => (typeof item === 'string' ? item.split(',') : [item]))
        : value;
  }
  const parsed = ZLogFilter.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`);
    throw new AppError('VALIDATION', `Invalid filter. ${problems.join('; ')}`);
  }
  return parsed.data;
}

function csvLines(rows: SyncLogItem[], header: boolean): string {
  return stringify(rows, {
    header,
    columns: LOG_EXPORT_COLUMNS,
    // A cell starting with = + - @ (or tab/CR) gets a leading ' so spreadsheets show it as text
    // instead of running it (OWASP CSV injection); numbers are left alone.
    escape_formulas: true,
    cast: { date: (value) => value.toISOString() },
  });
}

/**
 * The header, then one CSV chunk per batch. The next batch's query runs while the current chunk
 * is being sent; the consumer pulls chunks only as fast as the client reads them.
 */
async function* csvChunks(
  first: IteratorResult<SyncLogItem[]>,
  batches: AsyncGenerator<SyncLogItem[]>,
  progress: { rows: number },
): AsyncGenerator<string> {
  try {
    yield csvLines([], true);
    let current = first;
    while (!current.done) {
      const next = batches.next();
      // Observed now so a failure while the client is slow is not an unhandled rejection; the
      // await below still throws it.
      next.catch(() => undefined);
      progress.rows += current.value.length;
      yield csvLines(current.value, false);
      current = await next;
    }
  } finally {
    await batches.return(undefined);
  }
}

function isClientGone(error: unknown, res: Response): boolean {
  return (
    (error as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE' || (res.destroyed && !res.writableEnded)
  );
}

/** `contextFor` is the same request → procedure context the /trpc handler uses (session cookie → user). */
export function logsExportHandler(contextFor: (req: Request, res: Response) => Promise<Context>): RequestHandler {
  return async (req, res, next) => {
    let ctx: Context;
    let batches: AsyncGenerator<SyncLogItem[]>;
    let first: IteratorResult<SyncLogItem[]>;
    try {
      ctx = await contextFor(req, res);
      if (!ctx.user) throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
      if (!ROLES_ALLOWED.has(ctx.user.role)) throw new AppError('FORBIDDEN', 'Your role does not allow this.');
      const filter = filterFromQuery(req.query);
      batches = syncLogBatches(ctx.prisma, filter, EXPORT_BATCH_SIZE);
      // The first batch is read before anything is sent, so a failing database still gets an error status.
      first = await batches.next();
    } catch (error) {
      next(error);
      return;
    }

    const day = new Date().toISOString().slice(0, 10);
    res.status(200).set({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="sync-logs-${day}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    const progress = { rows: 0 };
    try {
      await pipeline(Readable.from(csvChunks(first, batches, progress), { objectMode: false }), res);
      ctx.logger.info({ rows: progress.rows }, 'sync logs exported');
    } catch (error) {
      if (isClientGone(error, res)) {
        ctx.logger.info({ rows: progress.rows }, 'sync log export stopped: the client went away');
        return;
      }
      // Part of the file is out: the status cannot change any more, so the connection is cut short
      // (the download fails visibly rather than looking complete).
      ctx.logger.error({ err: error, rows: progress.rows }, 'sync log export failed');
      res.destroy();
    }
  };
}
