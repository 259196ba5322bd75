// Reading sync logs: one filter → one Prisma where (logs.list and the CSV export share it), keyset
// pages newest first (created_at desc, id desc) with an opaque cursor, and payloads masked again on
// the way out whatever was stored.
import type { Database, Prisma, SyncDirection, SyncLogStatus, SyncOperation } from '@syncbridge/db';
import { AppError } from '@syncbridge/engine';
import { withoutSecrets } from './audit.ts';
import { afterPosition, decodeCursor, encodeCursor, NEWEST_FIRST, type KeysetPosition } from './keyset-cursor.ts';

type PrismaLike = Pick<Database['prisma'], 'syncLog'>;

export interface SyncLogFilter {
  integrationId?: string;
  status?: SyncLogStatus | SyncLogStatus[];
  operation?: SyncOperation;
  direction?: SyncDirection;
  resourceType?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** The record's local or external id, exactly or by prefix. */
  recordId?: string;
}

/** Selecting columns (rather than omitting payloads) keeps list rows small and payloads out of lists. */
const syncLogColumns = {
  id: true,
  createdAt: true,
  integrationId: true,
  resourceId: true,
  jobExecutionId: true,
  operation: true,
  direction: true,
  resourceType: true,
  status: true,
  durationMs: true,
  recordsProcessed: true,
  recordsSucceeded: true,
  recordsFailed: true,
  recordId: true,
  externalId: true,
  errorCode: true,
  errorMessage: true,
  httpStatus: true,
  retryCount: true,
} as const satisfies Prisma.SyncLogSelect;

export const syncLogSelect = {
  ...syncLogColumns,
  integration: { select: { name: true } },
} as const satisfies Prisma.SyncLogSelect;

type SyncLogRow = Prisma.SyncLogGetPayload<{ select: typeof syncLogSelect }>;
export type SyncLogItem = Omit<SyncLogRow, 'integration'> & { integrationName: string };

/** What secret-looking payload keys show instead of their value. */
export const PAYLOAD_MASK = '[redacted]';

function toItem({ integration, ...row }: SyncLogRow): SyncLogItem {
  return { ...row, integrationName: integration.name };
}

/** Prisma lowers startsWith to LIKE without escaping its wildcards; Postgres's default escape is `\`. */
function likePrefix(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** The Prisma where for a filter: values travel as bind parameters, never as SQL text. */
export function buildLogWhere(filter: SyncLogFilter): Prisma.SyncLogWhereInput {
  const where: Prisma.SyncLogWhereInput = {};
  if (filter.integrationId) where.integrationId = filter.integrationId;
  if (filter.status !== undefined) {
    where.status = Array.isArray(filter.status) ? { in: [...new Set(filter.status)] } : filter.status;
  }
  if (filter.operation) where.operation = filter.operation;
  if (filter.direction) where.direction = filter.direction;
  if (filter.resourceType) where.resourceType = filter.resourceType;
  if (filter.from || filter.to) where.createdAt = { gte: filter.from, lt: filter.to };
  if (filter.recordId) {
    const prefix = likePrefix(filter.recordId);
    where.OR = [{ recordId: { startsWith: prefix } }, { externalId: { startsWith: prefix } }];
  }
  return where;
}

export interface LogPageRequest extends SyncLogFilter {
  limit: number;
  cursor?: string;
  offset?: number;
}

export interface LogPage {
  items: SyncLogItem[];
  nextCursor: string | null;
  total: number;
}

export async function listSyncLogs(prisma: PrismaLike, request: LogPageRequest): Promise<LogPage> {
  const where = buildLogWhere(request);
  const position = request.cursor ? decodeCursor(request.cursor) : null;
  const [rows, total] = await Promise.all([
    prisma.syncLog.findMany({
      where: position ? { AND: [where, afterPosition(position)] } : where,
      orderBy: NEWEST_FIRST,
      skip: position ? undefined : request.offset,
      // One more than asked tells whether another page exists.
      take: request.limit + 1,
      select: syncLogSelect,
    }),
    prisma.syncLog.count({ where }),
  ]);
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > request.limit && last ? encodeCursor(last) : null,
    total,
  };
}

/**
 * Every matching log, newest first, in batches read by keyset (each batch one indexed query), so a
 * caller streaming them holds one batch at a time however many rows match.
 */
export async function* syncLogBatches(
  prisma: PrismaLike & Pick<Database['prisma'], 'integration'>,
  filter: SyncLogFilter,
  batchSize = 1000,
): AsyncGenerator<SyncLogItem[]> {
  const where = buildLogWhere(filter);
  // Few integrations, many rows: one lookup per integration beats a join per row.
  const names = new Map<string, string>();
  let position: KeysetPosition | null = null;
  for (;;) {
    const rows: Prisma.SyncLogGetPayload<{ select: typeof syncLogColumns }>[] = await prisma.syncLog.findMany({
      where: position ? { AND: [where, afterPosition(position)] } : where,
      orderBy: NEWEST_FIRST,
      take: batchSize,
      select: syncLogColumns,
    });
    const unknown = [...new Set(rows.map((row) => row.integrationId))].filter((id) => !names.has(id));
    if (unknown.length > 0) {
      const found = await prisma.integration.findMany({
        where: { id: { in: unknown } },
        select: { id: true, name: true },
      });
      for (const integration of found) names.set(integration.id, integration.name);
    }
    if (rows.length > 0) yield rows.map((row) => ({ ...row, integrationName: names.get(row.integrationId) ?? '' }));
    const last = rows.at(-1);
    if (rows.length < batchSize || !last) return;
    position = { createdAt: last.createdAt, id: last.id };
  }
}

export async function getSyncLog(prisma: PrismaLike, id: string) {
  const row = await prisma.syncLog.findUnique({
    where: { id },
    select: { ...syncLogSelect, requestPayload: true, responsePayload: true },
  });
  if (!row) throw new AppError('NOT_FOUND', 'Sync log not found.');
  const { integration, requestPayload, responsePayload, ...rest } = row;
  return {
    ...rest,
    integrationName: integration.name,
    // Payloads are meant to be stored without secrets; mask again in case one slipped through.
    requestPayload: withoutSecrets(requestPayload, { mask: PAYLOAD_MASK }) ?? null,
    responsePayload: withoutSecrets(responsePayload, { mask: PAYLOAD_MASK }) ?? null,
  };
}
