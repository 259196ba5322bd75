import { z } from 'zod';
import { ConflictStrategy, DeletePolicy, SyncDirection, SyncFrequency } from '@syncbridge/db';
import { ZResource } from './list-resources.types.ts';

const ZIdentifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a table or column name (letters, digits, underscores)');
const ZJsonObject = z.record(z.string(), z.unknown());

/**
 * What a resource form sends. The shapes of mappings, conditions, merge rules and options are
 * checked by the service with the engine's own schemas, together with the live table, so every
 * problem comes back at once, each under its field (`data.zodError.fieldErrors`).
 */
export const ZResourceSettings = z.object({
  name: z.string().trim().min(1).max(100),
  /** Domain label shown in logs and filters (TASK, MEMBER, ROW, …). */
  resourceType: z.string().trim().min(1).max(50),
  localSchema: ZIdentifier.optional(),
  localTable: ZIdentifier,
  localKeyColumn: ZIdentifier,
  externalObject: z.string().trim().min(1).max(500),
  externalKeyField: z.string().trim().min(1).max(200).nullish(),
  direction: z.enum(SyncDirection).optional(),
  frequency: z.enum(SyncFrequency).nullish(),
  conflictStrategy: z.enum(ConflictStrategy).nullish(),
  deletePolicy: z.enum(DeletePolicy).optional(),
  /** Mapping-engine JSON: `{ local?, external, direction?, transform?, reverseTransform?, required?, default?, volatile? }[]`. */
  fieldMappings: z.array(ZJsonObject).max(500).optional(),
  syncConditions: ZJsonObject.nullish(),
  customMergeRules: ZJsonObject.nullish(),
  options: ZJsonObject.optional(),
  enabled: z.boolean().optional(),
});

export const ZCreateResourceInput = ZResourceSettings.extend({ integrationId: z.uuid() });
export type TCreateResourceInput = z.infer<typeof ZCreateResourceInput>;

export const ZCreateResourceOutput = ZResource;
export type TCreateResourceOutput = z.infer<typeof ZCreateResourceOutput>;
