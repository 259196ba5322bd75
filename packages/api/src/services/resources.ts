// Sync resources as the admin app sees and edits them. Saving goes through the engine's
// saveResource (which validates again and installs the change-capture triggers of a push resource)
// after validateResourceDraft has reported every problem under its form field.
import { Prisma, type Database, type MappingStatus } from '@syncbridge/db';
import {
  AppError,
  createPostgresRateLimiter,
  discoverResourceFields,
  saveResource,
  suggestMappings,
  ZFieldMappings,
  type Connector,
  type ConnectorError,
  type Drift,
  type EngineContext,
  type FieldDescriptor,
  type RateLimiter,
  type ResourceInput,
} from '@syncbridge/engine';
import { recordAudit, type Actor } from './audit.ts';
import { columnsOf, fieldValidationError, validateResourceDraft, type ResourceDraft } from './resource-validation.ts';
import { engineContextFor, type EngineDeps } from './syncs.ts';

type Db = Pick<Database, 'prisma' | 'pool'>;

const MAPPING_STATUSES: MappingStatus[] = ['SYNCED', 'PENDING_SYNC', 'ERROR', 'FAILED', 'CONFLICT', 'DELETED'];

/** The columns a resource view shows; the pull cursor stays out (opaque, engine-only). */
const resourceSelect = {
  id: true,
  integrationId: true,
  name: true,
  resourceType: true,
  localSchema: true,
  localTable: true,
  localKeyColumn: true,
  externalObject: true,
  externalKeyField: true,
  direction: true,
  frequency: true,
  conflictStrategy: true,
  deletePolicy: true,
  fieldMappings: true,
  syncConditions: true,
  customMergeRules: true,
  options: true,
  enabled: true,
  lastSyncAt: true,
  cursorUpdatedAt: true,
  discoveredFields: true,
  createdAt: true,
  updatedAt: true,
  integration: { select: { frequency: true, conflictStrategy: true } },
} as const satisfies Prisma.SyncResourceSelect;

type ResourceRow = Prisma.SyncResourceGetPayload<{ select: typeof resourceSelect }>;

export type MappingCounts = Record<MappingStatus, number> & { total: number };

export type ResourceView = Omit<ResourceRow, 'integration' | 'discoveredFields'> & {
  effectiveFrequency: ResourceRow['integration']['frequency'];
  effectiveConflictStrategy: ResourceRow['integration']['conflictStrategy'];
  discoveredFields: FieldDescriptor[] | null;
  mappingCounts: MappingCounts;
};

function emptyCounts(): MappingCounts {
  return { ...(Object.fromEntries(MAPPING_STATUSES.map((s) => [s, 0])) as Record<MappingStatus, number>), total: 0 };
}

async function mappingCounts(db: Db, resourceIds: string[]): Promise<Map<string, MappingCounts>> {
  const counts = new Map(resourceIds.map((id) => [id, emptyCounts()]));
  if (resourceIds.length === 0) return counts;
  const groups = await db.prisma.integrationMapping.groupBy({
    by: ['resourceId', 'status'],
    where: { resourceId: { in: resourceIds } },
    _count: { _all: true },
  });
  for (const group of groups) {
    const entry = counts.get(group.resourceId);
    if (!entry) continue;
    entry[group.status] = group._count._all;
    entry.total += group._count._all;
  }
  return counts;
}

function toView(row: ResourceRow, counts: MappingCounts | undefined): ResourceView {
  const { integration, discoveredFields, ...rest } = row;
  return {
    ...rest,
    effectiveFrequency: row.frequency ?? integration.frequency,
    effectiveConflictStrategy: row.conflictStrategy ?? integration.conflictStrategy,
    discoveredFields: Array.isArray(discoveredFields) ? (discoveredFields as unknown as FieldDescriptor[]) : null,
    mappingCounts: counts ?? emptyCounts(),
  };
}

export async function listResources(db: Db, integrationId: string): Promise<ResourceView[]> {
  const integration = await db.prisma.integration.findUnique({ where: { id: integrationId }, select: { id: true } });
  if (!integration) throw new AppError('NOT_FOUND', 'Integration not found.');
  const rows = await db.prisma.syncResource.findMany({
    where: { integrationId },
    select: resourceSelect,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
  const counts = await mappingCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toView(row, counts.get(row.id)));
}

export async function getResource(db: Db, id: string): Promise<ResourceView> {
  const row = await db.prisma.syncResource.findUnique({ where: { id }, select: resourceSelect });
  if (!row) throw new AppError('NOT_FOUND', 'Resource not found.');
  return toView(row, (await mappingCounts(db, [id])).get(id));
}

/** What a form sends; absent fields take the defaults (create) or keep their value (update). */
export interface ResourceSettings {
  name?: string;
  resourceType?: string;
  localSchema?: string;
  localTable?: string;
  localKeyColumn?: string;
  externalObject?: string;
  externalKeyField?: string | null;
  direction?: ResourceDraft['direction'];
  frequency?: ResourceDraft['frequency'];
  conflictStrategy?: ResourceDraft['conflictStrategy'];
  deletePolicy?: ResourceDraft['deletePolicy'];
  fieldMappings?: unknown[];
  syncConditions?: Record<string, unknown> | null;
  customMergeRules?: Record<string, unknown> | null;
  options?: Record<string, unknown>;
  enabled?: boolean;
}

export type NewResource = ResourceSettings &
  Required<Pick<ResourceSettings, 'name' | 'resourceType' | 'localTable' | 'localKeyColumn' | 'externalObject'>> & {
    integrationId: string;
  };

/** Nullable JSON columns take DbNull, not null, to be cleared. */
function jsonOrNull(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

function toResourceInput(draft: ResourceDraft): ResourceInput {
  return {
    ...draft,
    fieldMappings: draft.fieldMappings as Prisma.InputJsonValue,
    options: (draft.options ?? {}) as Prisma.InputJsonValue,
    syncConditions: jsonOrNull(draft.syncConditions),
    customMergeRules: jsonOrNull(draft.customMergeRules),
  };
}

/** saveResource, with a name taken concurrently reported like any other field problem. */
async function save(deps: EngineDeps, draft: ResourceDraft, id?: string) {
  try {
    return await saveResource(engineContextFor(deps), toResourceInput(draft), id);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw fieldValidationError([
        { path: ['name'], message: `Another resource of this integration is already called "${draft.name}".` },
      ]);
    }
    throw error;
  }
}

export async function createResource(deps: EngineDeps, actor: Actor, input: NewResource): Promise<ResourceView> {
  const integration = await deps.prisma.integration.findUnique({
    where: { id: input.integrationId },
    select: { id: true },
  });
  if (!integration) throw new AppError('NOT_FOUND', 'Integration not found.');
  const draft: ResourceDraft = {
    integrationId: input.integrationId,
    name: input.name,
    resourceType: input.resourceType,
    localSchema: input.localSchema ?? 'public',
    localTable: input.localTable,
    localKeyColumn: input.localKeyColumn,
    externalObject: input.externalObject,
    externalKeyField: input.externalKeyField ?? null,
    direction: input.direction ?? 'PUSH',
    frequency: input.frequency ?? null,
    conflictStrategy: input.conflictStrategy ?? null,
    deletePolicy: input.deletePolicy ?? 'IGNORE',
    fieldMappings: input.fieldMappings ?? [],
    syncConditions: input.syncConditions ?? null,
    customMergeRules: input.customMergeRules ?? null,
    options: input.options ?? {},
    enabled: input.enabled ?? true,
  };
  await validateResourceDraft(deps, draft);
  const saved = await save(deps, draft);
  const view = await getResource(deps, saved.id);
  await recordAudit(deps.prisma, actor, {
    action: 'resource.create',
    entityType: 'sync_resource',
    entityId: saved.id,
    after: auditable(view),
  });
  return view;
}

export async function updateResource(
  deps: EngineDeps,
  actor: Actor,
  id: string,
  changes: ResourceSettings,
): Promise<ResourceView> {
  const before = await getResource(deps, id);
  const draft: ResourceDraft = {
    integrationId: before.integrationId,
    name: before.name,
    resourceType: before.resourceType,
    localSchema: before.localSchema,
    localTable: before.localTable,
    localKeyColumn: before.localKeyColumn,
    externalObject: before.externalObject,
    externalKeyField: before.externalKeyField,
    direction: before.direction,
    frequency: before.frequency,
    conflictStrategy: before.conflictStrategy,
    deletePolicy: before.deletePolicy,
    fieldMappings: before.fieldMappings,
    syncConditions: before.syncConditions,
    customMergeRules: before.customMergeRules,
    options: before.options,
    enabled: before.enabled,
  };
  const changed = Object.entries(changes).filter(([, value]) => value !== undefined);
  Object.assign(draft, Object.fromEntries(changed));
  await validateResourceDraft(deps, draft, id);
  await save(deps, draft, id);
  const after = await getResource(deps, id);
  await recordAudit(deps.prisma, actor, {
    action: 'resource.update',
    entityType: 'sync_resource',
    entityId: id,
    before: auditable(before),
    after: { ...auditable(after), changed: changed.map(([key]) => key) },
  });
  return after;
}

/** The configuration part of a view (counts and discovery results change without anyone editing). */
function auditable(view: ResourceView) {
  const {
    mappingCounts: _counts,
    discoveredFields: _fields,
    lastSyncAt: _last,
    cursorUpdatedAt: _cursor,
    ...config
  } = view;
  return config;
}

/** How long an API request waits for the connector's shared rate limit before giving up. */
const LIMIT_WAIT_MS = 10_000;

function boundedLimiter(limiter: RateLimiter): RateLimiter {
  return {
    acquire: (limit, signal) => limiter.acquire(limit, signal ?? AbortSignal.timeout(LIMIT_WAIT_MS)),
    send: (limit, request, signal) => limiter.send(limit, request, signal ?? AbortSignal.timeout(LIMIT_WAIT_MS)),
  };
}

const UPSTREAM_CODES = {
  auth: 'UPSTREAM_AUTH',
  rate_limited: 'UPSTREAM_RATE_LIMITED',
  retryable: 'UPSTREAM_UNAVAILABLE',
  invalid: 'UPSTREAM_INVALID',
} as const;

function isConnectorError(error: unknown): error is ConnectorError {
  const kind = (error as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && kind in UPSTREAM_CODES;
}

export interface FieldDiscovery {
  fields: FieldDescriptor[];
  drift: Drift | null;
  localColumns: { name: string; dataType: string; nullable: boolean; hasDefault: boolean }[];
}

/**
 * Asks the external system for the resource's fields (engine discoverResourceFields: stores them,
 * raises SCHEMA_DRIFT on changes) and lists the local table's columns beside them. The call goes
 * through the connector's shared rate limit; failures come back as UPSTREAM_* errors.
 */
export async function discoverFields(deps: EngineDeps, actor: Actor, resourceId: string): Promise<FieldDiscovery> {
  const base = engineContextFor(deps);
  // The connector discovery used, to classify what it threw.
  const used: { connector?: Connector } = {};
  const ctx: EngineContext = {
    ...base,
    limiter: boundedLimiter(createPostgresRateLimiter(deps.pool)),
    connectors: async (integration) => {
      const connector = await base.connectors(integration);
      used.connector = connector;
      return connector;
    },
  };
  let result: Awaited<ReturnType<typeof discoverResourceFields>>;
  try {
    result = await discoverResourceFields(ctx, resourceId);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new AppError('UPSTREAM_RATE_LIMITED', 'The connection is busy at its rate limit; try again shortly.');
    }
    const classified: ConnectorError | null = isConnectorError(error)
      ? error
      : (used.connector?.classifyError(error) ?? null);
    if (!classified) throw error;
    throw new AppError(UPSTREAM_CODES[classified.kind], `Field discovery failed: ${classified.message}`, {
      cause: error,
    });
  }
  const resource = await deps.prisma.syncResource.findUniqueOrThrow({
    where: { id: resourceId },
    select: { localSchema: true, localTable: true },
  });
  const columns = await columnsOf(deps.pool, resource.localSchema, resource.localTable);
  await recordAudit(deps.prisma, actor, {
    action: 'resource.discover_fields',
    entityType: 'sync_resource',
    entityId: resourceId,
    after: { fields: result.fields.map((f) => f.name), drift: result.drift },
  });
  return {
    fields: result.fields,
    drift: result.drift,
    localColumns: [...(columns?.values() ?? [])].map(({ name, dataType, nullable, hasDefault }) => ({
      name,
      dataType,
      nullable,
      hasDefault,
    })),
  };
}

export interface MappingSuggestions {
  discovered: boolean;
  fields: FieldDescriptor[];
  localColumns: string[];
  suggestions: { local: string; external: string; type: FieldDescriptor['type']; alreadyMapped: boolean }[];
}

/**
 * Pairs local columns with external fields by name (engine suggestMappings), from the fields the
 * last discovery stored: no call to the external system, so any signed-in user may ask.
 */
export async function suggestResourceMappings(db: Db, resourceId: string): Promise<MappingSuggestions> {
  const resource = await db.prisma.syncResource.findUnique({
    where: { id: resourceId },
    select: { localSchema: true, localTable: true, fieldMappings: true, discoveredFields: true },
  });
  if (!resource) throw new AppError('NOT_FOUND', 'Resource not found.');
  const columns = [...((await columnsOf(db.pool, resource.localSchema, resource.localTable))?.keys() ?? [])];
  const fields = Array.isArray(resource.discoveredFields)
    ? (resource.discoveredFields as unknown as FieldDescriptor[])
    : null;
  const saved = ZFieldMappings.safeParse(resource.fieldMappings);
  const mappedLocal = new Set<string>();
  const mappedExternal = new Set<string>();
  for (const mapping of saved.data ?? []) {
    mappedExternal.add(mapping.external);
    for (const local of mapping.local === undefined ? [] : ([] as string[]).concat(mapping.local))
      mappedLocal.add(local);
  }
  return {
    discovered: fields !== null,
    fields: fields ?? [],
    localColumns: columns,
    suggestions: suggestMappings(columns, fields ?? []).map((s) => ({
      ...s,
      alreadyMapped: mappedLocal.has(s.local) || mappedExternal.has(s.external),
    })),
  };
}
