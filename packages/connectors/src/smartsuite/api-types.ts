// SmartSuite REST API shapes the connector reads, validated at the edge with zod. Unknown keys are
// kept (passthrough): SmartSuite adds keys to response objects without notice.
// https://developers.smartsuite.com/docs/solution-data/records/list-records
import { z } from 'zod';

const ZActor = z.object({ on: z.string(), by: z.string().nullish() }).passthrough();

/** A record: system fields plus one key per non-empty field, by field slug. */
export const ZSmartSuiteRecord = z
  .object({
    id: z.string().min(1),
    application_id: z.string().optional(),
    first_created: ZActor.optional(),
    last_updated: ZActor.optional(),
    /** Set on records in the trash (listed only with `all=true`). */
    deleted_date: z
      .object({ date: z.string().nullable(), include_time: z.boolean().optional() })
      .passthrough()
      .nullish(),
  })
  .passthrough();
export type TSmartSuiteRecord = z.infer<typeof ZSmartSuiteRecord>;

/** POST …/records/list/ → `{ total, offset, limit, items }`. */
export const ZSmartSuiteRecordList = z
  .object({
    total: z.number().int().nonnegative().optional(),
    offset: z.number().int().nonnegative().optional(),
    limit: z.number().int().nonnegative().optional(),
    items: z.array(ZSmartSuiteRecord),
  })
  .passthrough();
export type TSmartSuiteRecordList = z.infer<typeof ZSmartSuiteRecordList>;

/** Bulk create / update answer the records written, in request order. */
export const ZSmartSuiteRecordArray = z.array(ZSmartSuiteRecord);

/** PATCH …/records/bulk_delete/?fields=id → the deleted records, `id` only. */
export const ZSmartSuiteDeleted = z.array(z.object({ id: z.string() }).passthrough());

export const ZSmartSuiteChoice = z.object({ value: z.string(), label: z.string() }).passthrough();

/** One entry of an application's `structure`. */
export const ZSmartSuiteField = z
  .object({
    slug: z.string(),
    label: z.string(),
    field_type: z.string(),
    params: z
      .object({
        required: z.boolean().optional(),
        primary: z.boolean().optional(),
        system: z.boolean().optional(),
        choices: z.array(ZSmartSuiteChoice).optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type TSmartSuiteField = z.infer<typeof ZSmartSuiteField>;

/** GET /applications/{tableId}/ → the table with its field structure. */
export const ZSmartSuiteApplication = z
  .object({
    id: z.string(),
    name: z.string(),
    solution: z.string().optional(),
    primary_field: z.string().optional(),
    structure: z.array(ZSmartSuiteField).default([]),
  })
  .passthrough();
export type TSmartSuiteApplication = z.infer<typeof ZSmartSuiteApplication>;

export const ZSmartSuiteApplicationList = z.array(ZSmartSuiteApplication);
