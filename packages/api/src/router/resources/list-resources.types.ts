import { z } from 'zod';
import { ConflictStrategy, DeletePolicy, MappingStatus, SyncDirection, SyncFrequency } from '@syncbridge/db';

export const ZListResourcesInput = z.object({ integrationId: z.uuid() });
export type TListResourcesInput = z.infer<typeof ZListResourcesInput>;

/** Mappings (synced records) of a resource by status, every MappingStatus present, plus the total. */
export const ZMappingCounts = z.object({
  ...(Object.fromEntries(Object.values(MappingStatus).map((status) => [status, z.number().int()])) as Record<
    MappingStatus,
    z.ZodNumber
  >),
  total: z.number().int(),
});
export type TMappingCounts = z.infer<typeof ZMappingCounts>;

export const ZFieldDescriptor = z.object({
  name: z.string(),
  type: z.enum(['string', 'number', 'boolean', 'date', 'datetime', 'enum', 'json', 'array', 'unknown']),
  required: z.boolean().optional(),
  options: z.array(z.string()).optional(),
});

/**
 * A resource's configuration as stored (mappings, conditions, merge rules and options are the saved
 * JSON), with the integration's defaults it inherits and its mapping counts. The pull cursor is
 * left out: it is opaque and only the engine reads it.
 */
export const ZResource = z.object({
  id: z.string(),
  integrationId: z.string(),
  name: z.string(),
  resourceType: z.string(),
  localSchema: z.string(),
  localTable: z.string(),
  localKeyColumn: z.string(),
  externalObject: z.string(),
  externalKeyField: z.string().nullable(),
  direction: z.enum(SyncDirection),
  /** Null: the integration's frequency applies (see effectiveFrequency). */
  frequency: z.enum(SyncFrequency).nullable(),
  /** Null: the integration's strategy applies (see effectiveConflictStrategy). */
  conflictStrategy: z.enum(ConflictStrategy).nullable(),
  effectiveFrequency: z.enum(SyncFrequency),
  effectiveConflictStrategy: z.enum(ConflictStrategy),
  deletePolicy: z.enum(DeletePolicy),
  fieldMappings: z.unknown(),
  syncConditions: z.unknown().nullable(),
  customMergeRules: z.unknown().nullable(),
  options: z.unknown(),
  enabled: z.boolean(),
  lastSyncAt: z.date().nullable(),
  cursorUpdatedAt: z.date().nullable(),
  /** What the last field discovery found (null: never discovered). */
  discoveredFields: z.array(ZFieldDescriptor).nullable(),
  mappingCounts: ZMappingCounts,
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TResource = z.infer<typeof ZResource>;

export const ZListResourcesOutput = z.object({ items: z.array(ZResource) });
export type TListResourcesOutput = z.infer<typeof ZListResourcesOutput>;
