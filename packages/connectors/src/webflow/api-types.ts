// Webflow Data API v2 shapes the connector reads, validated at the edge with zod. Unknown keys are
// kept (passthrough) so new API fields never break a sync.
// https://developers.webflow.com/data/reference/cms/collection-items/staged-items/list-items
import { z } from 'zod';

const ZJson: z.ZodType<unknown> = z.unknown();

export const ZWebflowItem = z
  .object({
    id: z.string(),
    cmsLocaleId: z.string().nullish(),
    lastPublished: z.string().nullish(),
    lastUpdated: z.string().nullish(),
    createdOn: z.string().nullish(),
    isArchived: z.boolean().optional(),
    isDraft: z.boolean().optional(),
    fieldData: z.record(z.string(), ZJson).default({}),
  })
  .passthrough();
export type TWebflowItem = z.infer<typeof ZWebflowItem>;

export const ZWebflowItemList = z
  .object({
    items: z.array(ZWebflowItem).default([]),
    pagination: z
      .object({ limit: z.number().optional(), offset: z.number().optional(), total: z.number().optional() })
      .optional(),
  })
  .passthrough();
export type TWebflowItemList = z.infer<typeof ZWebflowItemList>;

/** POST /collections/{id}/items with `items: [...]` answers `{ items }`; a single create, the item. */
export const ZWebflowCreated = z.union([z.object({ items: z.array(ZWebflowItem) }).passthrough(), ZWebflowItem]);

/** PATCH /collections/{id}/items answers `{ items }` (or the item, for a single update). */
export const ZWebflowUpdated = ZWebflowCreated;

export const ZWebflowPublishResult = z
  .object({ publishedItemIds: z.array(z.string()).default([]), errors: z.array(ZJson).default([]) })
  .passthrough();

export const ZWebflowField = z
  .object({
    id: z.string(),
    slug: z.string().optional(),
    displayName: z.string(),
    type: z.string(),
    isRequired: z.boolean().default(false),
    isEditable: z.boolean().optional(),
    validations: z.record(z.string(), ZJson).nullish(),
  })
  .passthrough();
export type TWebflowField = z.infer<typeof ZWebflowField>;

export const ZWebflowCollection = z
  .object({
    id: z.string(),
    displayName: z.string(),
    singularName: z.string().optional(),
    slug: z.string().optional(),
    fields: z.array(ZWebflowField).default([]),
  })
  .passthrough();
export type TWebflowCollection = z.infer<typeof ZWebflowCollection>;

/** `{ code, message, externalReference, details }` on every 4xx/5xx. */
export const ZWebflowErrorBody = z
  .object({
    code: z.string().optional(),
    message: z.string().optional(),
    externalReference: z.string().nullish(),
    details: z.array(ZJson).optional(),
  })
  .passthrough();
export type TWebflowErrorBody = z.infer<typeof ZWebflowErrorBody>;
