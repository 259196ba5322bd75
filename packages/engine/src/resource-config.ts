// Loads and validates a resource's configuration: mappings, conditions, options, and the live
// table it reads (identifiers checked against the catalog, so nothing unvalidated reaches SQL).
import { z } from 'zod';
import {
  parseFieldMappings,
  localColumns,
  type FieldMapping,
  type MappingContext,
  type ResourceRef,
  ZInDatabaseTarget,
} from '@syncbridge/connectors';
import type { Integration, SyncResource } from '@syncbridge/db';
import type { EngineContext } from './context.ts';
import { parseSyncConditions, conditionColumns, type SyncConditions } from './conditions.ts';
import { AppError } from './errors.ts';
import { assertColumns, describeRelation, qualifiedName, assertIdentifier, type ColumnInfo } from './sql.ts';
import { assertSyncableRelation } from './protected-tables.ts';

const ZIdentifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a column or table name');

export const ZResourceOptions = z.object({
  /** Read pushed rows from this view (same key column) instead of the table, e.g. to add joined names. */
  readView: ZIdentifier.optional(),
  /** Local column holding the last-change time (LATEST_WINS, pull). */
  updatedAtColumn: ZIdentifier.optional(),
  /** What a local delete does on the external side. */
  pushDeletes: z.enum(['delete', 'ignore']).default('delete'),
  /** A synced row that stops meeting the sync conditions is deleted externally (privacy filters). */
  removeWhenExcluded: z.boolean().default(false),
  /** Pull: match an external record to an existing local row by this pair before creating one. */
  matchOn: z.object({ local: ZIdentifier, external: z.string().min(1).max(200) }).optional(),
  /** Pull with deletePolicy CANCEL: the column and value that mark a row cancelled. */
  cancel: z.object({ column: ZIdentifier, value: z.union([z.string(), z.number(), z.boolean()]) }).optional(),
  /** Attempts per item before it is FAILED. */
  maxAttempts: z.number().int().min(1).max(25).default(5),
  /** Share of mapped records a full read may delete before an admin must confirm. */
  massDeleteThreshold: z.number().min(0).max(1).default(0.2),
  /** Extra options handed to the connector with the resource reference. */
  connector: z.record(z.string(), z.unknown()).default({}),
});
export type ResourceOptions = z.infer<typeof ZResourceOptions>;

export interface LoadedResource {
  resource: SyncResource;
  integration: Integration;
  mappings: FieldMapping[];
  conditions: SyncConditions;
  options: ResourceOptions;
  ref: ResourceRef;
  /** Quoted relation rows are read from (view or table). */
  readRelation: string;
  /** Quoted table pulled rows are written to. */
  writeRelation: string;
  keyColumn: string;
  tableColumns: Map<string, ColumnInfo>;
  /** Id translation through sibling resources (lookup transforms), cached for this load. */
  mappingContext: MappingContext;
}

export function parseResourceOptions(input: unknown): ResourceOptions {
  const result = ZResourceOptions.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AppError('VALIDATION', `options.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

export async function loadResource(ctx: EngineContext, resourceId: string): Promise<LoadedResource> {
  const resource = await ctx.prisma.syncResource.findUnique({
    where: { id: resourceId },
    include: { integration: true },
  });
  if (!resource) throw new AppError('NOT_FOUND', `Resource ${resourceId} not found.`);
  const { integration, ...rest } = resource;
  return validateResource(ctx, rest, integration);
}

/** The in-database connector writes to its target and reads its lookup tables: none may be protected. */
function assertInDatabaseTargets(connector: Record<string, unknown>): void {
  const target = ZInDatabaseTarget.safeParse(connector);
  // A malformed target is the connector's to report (with its own message) when it runs.
  if (!target.success) return;
  assertSyncableRelation(target.data.schema, target.data.table);
  for (const derived of target.data.derived) {
    for (const lookup of derived.lookups) assertSyncableRelation(lookup.schema, lookup.table);
  }
}

export async function validateResource(
  ctx: EngineContext,
  resource: SyncResource,
  integration: Integration,
): Promise<LoadedResource> {
  let mappings: FieldMapping[];
  try {
    mappings = parseFieldMappings(resource.fieldMappings);
  } catch (error) {
    throw new AppError('VALIDATION', error instanceof Error ? error.message : 'invalid mappings');
  }
  const conditions = parseSyncConditions(resource.syncConditions);
  const options = parseResourceOptions(resource.options);
  const schema = assertIdentifier(resource.localSchema, 'schema name');
  const table = assertIdentifier(resource.localTable, 'table name');
  const keyColumn = assertIdentifier(resource.localKeyColumn, 'key column');
  assertSyncableRelation(schema, table);
  if (options.readView) assertSyncableRelation(schema, options.readView);
  if (integration.type === 'IN_DATABASE') assertInDatabaseTargets(options.connector);
  const tableColumns = await describeRelation(ctx.pool, schema, table);
  const writeRelation = qualifiedName(schema, table);
  assertColumns(tableColumns, [keyColumn], writeRelation);
  let readColumns = tableColumns;
  let readRelation = writeRelation;
  if (options.readView) {
    readColumns = await describeRelation(ctx.pool, schema, options.readView);
    readRelation = qualifiedName(schema, options.readView);
    assertColumns(readColumns, [keyColumn], readRelation);
  }
  assertColumns(readColumns, [...localColumns(mappings), ...conditionColumns(conditions)], readRelation);
  if (options.updatedAtColumn) assertColumns(tableColumns, [options.updatedAtColumn], writeRelation);
  if (options.cancel) assertColumns(tableColumns, [options.cancel.column], writeRelation);
  if (options.matchOn) assertColumns(tableColumns, [options.matchOn.local], writeRelation);
  return {
    resource,
    integration,
    mappings,
    conditions,
    options,
    ref: { object: resource.externalObject, keyField: resource.externalKeyField, options: options.connector },
    readRelation,
    writeRelation,
    keyColumn,
    tableColumns,
    mappingContext: createLookupContext(ctx, integration.id),
  };
}

/**
 * Lookup transforms: a local id → the external id the named resource of the same integration
 * mapped it to (push), or back (pull). Cached per loaded resource, so one run asks once per id.
 */
export function createLookupContext(ctx: EngineContext, integrationId: string): MappingContext {
  const cache = new Map<string, string | null>();
  return {
    async lookup(resource, id, direction) {
      const cacheKey = `${resource}\u0000${direction}\u0000${id}`;
      if (cache.has(cacheKey)) return cache.get(cacheKey) ?? null;
      const [from, to] = direction === 'toExternal' ? ['internal_id', 'external_id'] : ['external_id', 'internal_id'];
      const { rows } = await ctx.pool.query<{ v: string | null }>(
        `select m.${to} as v from integration_mappings m join sync_resources r on r.id = m.resource_id
          where r.integration_id = $1 and r.name = $2 and m.${from} = $3 limit 1`,
        [integrationId, resource, id],
      );
      const value = rows[0]?.v ?? null;
      cache.set(cacheKey, value);
      return value;
    },
  };
}
