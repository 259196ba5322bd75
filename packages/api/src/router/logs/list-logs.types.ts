import { z } from 'zod';
import { SyncDirection, SyncLogStatus, SyncOperation } from '@syncbridge/db';

export const MAX_LOG_PAGE_SIZE = 200;

/** A Date (tRPC with superjson) or an ISO-8601 string (query strings): `2026-03-01` or a timestamp with offset. */
const ZTimestamp = z.union([
  z.date(),
  z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  z.iso.date().transform((value) => new Date(`${value}T00:00:00.000Z`)),
]);

const ZLogStatus = z.enum(SyncLogStatus);

/** The filter fields of logs.list, without pagination: the CSV export takes the same ones. */
const logFilterShape = {
  integrationId: z.uuid().optional(),
  /** One status or several (any of them). */
  status: z.union([ZLogStatus, z.array(ZLogStatus).min(1).max(Object.keys(SyncLogStatus).length)]).optional(),
  operation: z.enum(SyncOperation).optional(),
  direction: z.enum(SyncDirection).optional(),
  resourceType: z.string().trim().min(1).max(100).optional(),
  /** Inclusive lower bound on the log's time. */
  from: ZTimestamp.optional(),
  /** Exclusive upper bound on the log's time. */
  to: ZTimestamp.optional(),
  /** Search: the record's local id or external id, exactly or by prefix. */
  recordId: z.string().trim().min(1).max(255).optional(),
};

const rangeIsOrdered = (filter: { from?: Date; to?: Date }) => !filter.from || !filter.to || filter.from <= filter.to;
const rangeMessage = { message: '`from` must not be after `to`.', path: ['to'] };

export const ZLogFilter = z.object(logFilterShape).refine(rangeIsOrdered, rangeMessage);
export type TLogFilter = z.infer<typeof ZLogFilter>;
export type TLogFilterInput = z.input<typeof ZLogFilter>;

export const ZListLogsInput = z
  .object({
    ...logFilterShape,
    limit: z.number().int().min(1).max(MAX_LOG_PAGE_SIZE).default(50),
    /** `nextCursor` of the previous page (keyset: newest first). */
    cursor: z.string().min(1).max(500).optional(),
    /** Rows to skip instead of a cursor (page numbers). */
    offset: z.number().int().min(0).max(1_000_000).optional(),
  })
  .refine(rangeIsOrdered, rangeMessage)
  .refine((input) => input.cursor === undefined || input.offset === undefined, {
    message: 'Use either `cursor` or `offset`, not both.',
    path: ['offset'],
  })
  .prefault({});
export type TListLogsInput = z.infer<typeof ZListLogsInput>;

export const ZSyncLogItem = z.object({
  id: z.string(),
  createdAt: z.date(),
  integrationId: z.string(),
  integrationName: z.string(),
  resourceId: z.string().nullable(),
  jobExecutionId: z.string().nullable(),
  operation: z.enum(SyncOperation),
  direction: z.enum(SyncDirection),
  resourceType: z.string(),
  status: ZLogStatus,
  durationMs: z.number().int().nullable(),
  recordsProcessed: z.number().int(),
  recordsSucceeded: z.number().int(),
  recordsFailed: z.number().int(),
  recordId: z.string().nullable(),
  externalId: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  httpStatus: z.number().int().nullable(),
  retryCount: z.number().int(),
});
export type TSyncLogItem = z.infer<typeof ZSyncLogItem>;

export const ZListLogsOutput = z.object({
  items: z.array(ZSyncLogItem),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Rows matching the filters, all pages together. */
  total: z.number().int(),
});
export type TListLogsOutput = z.infer<typeof ZListLogsOutput>;
