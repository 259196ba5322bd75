// The conflict review queue: pending conflicts (or the resolved history) newest first, one conflict
// field by field for a side-by-side diff, and resolving many at once through the same path as one.
import type { ConflictStatus, Database, Prisma } from '@syncbridge/db';
import { AppError, canonicalJson } from '@syncbridge/engine';
import type { Actor } from './audit.ts';
import { afterPosition, decodeCursor, encodeCursor, NEWEST_FIRST } from './keyset-cursor.ts';
import { resolveConflict, type EngineDeps } from './syncs.ts';

type PrismaLike = Pick<Database['prisma'], 'conflictResolution' | 'auditEvent'>;

export interface ConflictFilter {
  integrationId?: string;
  status: ConflictStatus;
  resourceType?: string;
}

const conflictSelect = {
  id: true,
  integrationId: true,
  resourceId: true,
  resourceType: true,
  internalId: true,
  externalId: true,
  conflictedFields: true,
  conflictReason: true,
  status: true,
  resolutionStrategy: true,
  createdAt: true,
  resolvedAt: true,
  integration: { select: { name: true } },
  resolvedBy: { select: { id: true, email: true, name: true } },
} as const satisfies Prisma.ConflictResolutionSelect;

type ConflictRow = Prisma.ConflictResolutionGetPayload<{ select: typeof conflictSelect }>;

/** How an admin resolved it (from the audit trail): a whole side, per field, or custom values. */
export type ResolutionChoice = 'local' | 'external' | 'fields' | 'custom';
const CHOICES = new Set<string>(['local', 'external', 'fields', 'custom']);

/** The admin choice recorded by conflict.resolve audit events, newest per conflict. */
async function choicesFor(prisma: PrismaLike, ids: string[]): Promise<Map<string, ResolutionChoice>> {
  if (ids.length === 0) return new Map();
  const events = await prisma.auditEvent.findMany({
    where: { entityType: 'conflict', action: 'conflict.resolve', entityId: { in: ids } },
    orderBy: { createdAt: 'desc' },
    select: { entityId: true, after: true },
  });
  const out = new Map<string, ResolutionChoice>();
  for (const event of events) {
    const after = event.after as { choice?: { choice?: unknown } } | null;
    const choice = after?.choice?.choice;
    if (event.entityId && !out.has(event.entityId) && typeof choice === 'string' && CHOICES.has(choice)) {
      out.set(event.entityId, choice as ResolutionChoice);
    }
  }
  return out;
}

function toItem({ integration, ...row }: ConflictRow, choices: Map<string, ResolutionChoice>) {
  return { ...row, integrationName: integration.name, choice: choices.get(row.id) ?? null };
}

export async function listConflicts(prisma: PrismaLike, request: ConflictFilter & { limit: number; cursor?: string }) {
  const where: Prisma.ConflictResolutionWhereInput = { status: request.status };
  if (request.integrationId) where.integrationId = request.integrationId;
  if (request.resourceType) where.resourceType = request.resourceType;
  const position = request.cursor ? decodeCursor(request.cursor) : null;
  const [rows, total] = await Promise.all([
    prisma.conflictResolution.findMany({
      where: position ? { AND: [where, afterPosition(position)] } : where,
      orderBy: NEWEST_FIRST,
      take: request.limit + 1,
      select: conflictSelect,
    }),
    prisma.conflictResolution.count({ where }),
  ]);
  const page = rows.slice(0, request.limit);
  const choices = await choicesFor(
    prisma,
    page.filter((row) => row.status !== 'PENDING').map((row) => row.id),
  );
  const last = page.at(-1);
  return {
    items: page.map((row) => toItem(row, choices)),
    nextCursor: rows.length > request.limit && last ? encodeCursor(last) : null,
    total,
  };
}

type JsonFields = Record<string, unknown>;

function asFields(value: Prisma.JsonValue | null): JsonFields | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonFields) : null;
}

export interface FieldComparison {
  field: string;
  local: unknown;
  external: unknown;
  /** The value both sides agreed on at the last sync; absent when none was stored. */
  base?: unknown;
  /** Local and external values differ (the UI highlights these). */
  differs: boolean;
  /** Changed on both sides since the base: why this is a conflict. */
  conflicted: boolean;
}

/** Every field of either version (then the base), in stored order, compared in canonical JSON. */
export function compareConflictFields(
  local: JsonFields,
  external: JsonFields,
  base: JsonFields | null,
  conflicted: string[],
): FieldComparison[] {
  const names = [...new Set([...Object.keys(local), ...Object.keys(external), ...Object.keys(base ?? {})])];
  return names.map((field) => {
    const l = local[field] ?? null;
    const e = external[field] ?? null;
    return {
      field,
      local: l,
      external: e,
      ...(base ? { base: base[field] ?? null } : {}),
      differs: canonicalJson(l) !== canonicalJson(e),
      conflicted: conflicted.includes(field),
    };
  });
}

export async function getConflict(prisma: PrismaLike, id: string) {
  const row = await prisma.conflictResolution.findUnique({
    where: { id },
    select: { ...conflictSelect, localData: true, externalData: true, baseData: true, resolvedData: true },
  });
  if (!row) throw new AppError('NOT_FOUND', 'Conflict not found.');
  const { localData, externalData, baseData, resolvedData, ...summary } = row;
  const choices = row.status === 'PENDING' ? new Map() : await choicesFor(prisma, [row.id]);
  const local = asFields(localData) ?? {};
  const external = asFields(externalData) ?? {};
  const base = asFields(baseData);
  return {
    ...toItem(summary, choices),
    localData: local,
    externalData: external,
    baseData: base,
    resolvedData: asFields(resolvedData),
    fields: compareConflictFields(local, external, base, row.conflictedFields),
  };
}

export interface BulkResolveRequest {
  ids: string[];
  choice: 'local' | 'external';
  push?: boolean;
}

export interface BulkResolveResult {
  /** Ids resolved by this call. */
  resolved: string[];
  failed: { id: string; message: string }[];
}

/**
 * Resolves each conflict on its own, through the same service (engine call and audit event) as
 * conflicts.resolve: one failure (already resolved, resource gone) leaves the others resolved.
 */
export async function bulkResolveConflicts(
  deps: EngineDeps,
  actor: Actor,
  request: BulkResolveRequest,
): Promise<BulkResolveResult> {
  const result: BulkResolveResult = { resolved: [], failed: [] };
  for (const id of new Set(request.ids)) {
    try {
      await resolveConflict(deps, actor, { conflictId: id, choice: { choice: request.choice }, push: request.push });
      result.resolved.push(id);
    } catch (error) {
      if (error instanceof AppError && error.code !== 'INTERNAL') {
        result.failed.push({ id, message: error.message });
      } else {
        // Unexpected failures may carry SQL or connection details: those stay in the server log.
        deps.logger.error({ err: error, conflictId: id }, 'bulk conflict resolution failed');
        result.failed.push({ id, message: 'Internal error while resolving this conflict.' });
      }
    }
  }
  return result;
}
