// Wire shapes of the generic REST "records API" (F025's generic system), validated with zod at the
// connector's edge. The sandbox in ./sandbox serves exactly these shapes.
import { z } from 'zod';

const jsonObject = z.record(z.string(), z.unknown());

export const ZApiRecord = z.object({
  id: z.string(),
  key: z.string().nullable().optional(),
  fields: jsonObject,
  created_at: z.string(),
  updated_at: z.string(),
  deleted: z.boolean().optional(),
});
export type TApiRecord = z.infer<typeof ZApiRecord>;

export const ZListResponse = z.object({
  records: z.array(ZApiRecord),
  next_cursor: z.string().nullable(),
});
export type TListResponse = z.infer<typeof ZListResponse>;

export const ZItemError = z.object({
  code: z.string(),
  message: z.string().optional(),
  existing_id: z.string().optional(),
});
export type TItemError = z.infer<typeof ZItemError>;

export const ZBatchResult = z.union([
  z.object({ ok: z.literal(true), id: z.string(), updated_at: z.string().nullable().optional() }),
  z.object({ ok: z.literal(false), id: z.string().optional(), error: ZItemError }),
]);
export type TBatchResult = z.infer<typeof ZBatchResult>;

export const ZBatchResponse = z.object({ results: z.array(ZBatchResult) });

export const ZFieldInfo = z.object({ name: z.string(), type: z.string(), nullable: z.boolean().optional() });
export const ZFieldsResponse = z.object({ fields: z.array(ZFieldInfo) });
export type TFieldInfo = z.infer<typeof ZFieldInfo>;

export const ZMeResponse = z.object({ ok: z.boolean(), api_version: z.string().optional() });

export const ZWebhookEvent = z.object({
  id: z.string(),
  type: z.enum(['record.created', 'record.updated', 'record.deleted']),
  collection: z.string(),
  record: ZApiRecord,
  occurred_at: z.string(),
});
export type TWebhookEvent = z.infer<typeof ZWebhookEvent>;

/** One item of POST …/records/batch. */
export interface TBatchInputItem {
  id?: string;
  key?: string;
  fields: Record<string, unknown>;
}
