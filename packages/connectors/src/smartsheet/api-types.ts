// Wire shapes of the Smartsheet API 2.0 subset the connector uses, validated with zod at the edge.
// The sandbox (./sandbox) serves exactly these shapes; fixtures/ holds real-shaped examples.
import { z } from 'zod';

/** A cell value as the API carries it. Dates are ISO strings, checkboxes booleans. */
export const ZCellValue = z.union([z.string(), z.number(), z.boolean()]);
export type TCellValue = z.infer<typeof ZCellValue>;

/** Timestamps are ISO-8601 strings by default, epoch milliseconds when numeric dates are asked for. */
const ZTimestamp = z.union([z.string(), z.number()]);

export const ZCell = z.object({
  columnId: z.number(),
  value: ZCellValue.nullish(),
  displayValue: z.string().nullish(),
});
export type TCell = z.infer<typeof ZCell>;

export const ZColumn = z.object({
  id: z.number(),
  title: z.string(),
  type: z.string(),
  index: z.number().optional(),
  primary: z.boolean().optional(),
  options: z.array(z.string()).optional(),
  systemColumnType: z.string().optional(),
  formula: z.string().optional(),
  validation: z.boolean().optional(),
});
export type TColumn = z.infer<typeof ZColumn>;

export const ZRow = z.object({
  id: z.number(),
  rowNumber: z.number().optional(),
  createdAt: ZTimestamp.optional(),
  modifiedAt: ZTimestamp.optional(),
  cells: z.array(ZCell).default([]),
});
export type TRow = z.infer<typeof ZRow>;

export const ZSheet = z.object({
  id: z.number(),
  name: z.string(),
  version: z.number().optional(),
  totalRowCount: z.number().optional(),
  columns: z.array(ZColumn).default([]),
  rows: z.array(ZRow).default([]),
});
export type TSheet = z.infer<typeof ZSheet>;

/** IndexResult of GET /sheets/{id}/columns. */
export const ZColumnsPage = z.object({
  pageNumber: z.number().optional(),
  totalPages: z.number().optional(),
  totalCount: z.number().optional(),
  data: z.array(ZColumn),
});

export const ZApiError = z.object({
  errorCode: z.number(),
  message: z.string(),
  refId: z.string().optional(),
});
export type TApiError = z.infer<typeof ZApiError>;

/** BulkItemFailure: `index` is the position in the request array. */
export const ZFailedItem = z.object({
  index: z.number().optional(),
  rowId: z.number().nullish(),
  error: ZApiError,
});
export type TFailedItem = z.infer<typeof ZFailedItem>;

/** Result of Add Rows / Update Rows: resultCode 0 (SUCCESS) or 3 (PARTIAL_SUCCESS). */
export const ZRowsResult = z.object({
  message: z.string(),
  resultCode: z.number(),
  version: z.number().optional(),
  result: z.array(ZRow).default([]),
  failedItems: z.array(ZFailedItem).optional(),
});
export type TRowsResult = z.infer<typeof ZRowsResult>;

/** Result of Delete Rows: the ids deleted. */
export const ZDeleteRowsResult = z.object({
  message: z.string(),
  resultCode: z.number(),
  version: z.number().optional(),
  result: z.array(z.number()).default([]),
});

export const ZCurrentUser = z.object({ id: z.number(), email: z.string().optional() });

/** One event of a skinny callback. Row events carry `id`; cell events carry `rowId` and `columnId`. */
export const ZCallbackEvent = z.object({
  objectType: z.string(),
  eventType: z.string(),
  id: z.number().optional(),
  rowId: z.number().optional(),
  columnId: z.number().optional(),
  userId: z.number().optional(),
  timestamp: z.string().optional(),
  changeAgent: z.string().optional(),
});
export type TCallbackEvent = z.infer<typeof ZCallbackEvent>;

export const ZCallback = z.object({
  nonce: z.string().optional(),
  timestamp: z.string().optional(),
  webhookId: z.number(),
  scope: z.string().optional(),
  scopeObjectId: z.number().optional(),
  events: z.array(ZCallbackEvent).default([]),
  /** Status-change callbacks carry this instead of events. */
  newWebhookStatus: z.string().optional(),
  changeAgent: z.string().optional(),
});
export type TCallback = z.infer<typeof ZCallback>;

/** One row of an Add Rows (`toBottom`) or Update Rows (`id`) request body. */
export interface TRowInput {
  id?: number;
  toBottom?: boolean;
  cells: { columnId: number; value: TCellValue }[];
}
