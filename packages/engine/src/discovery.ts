// Field discovery: what the external object offers (columns, properties) with types, mapping
// suggestions by matching names, and schema drift — a field added or removed on the external
// side since the last look is raised as an alert (and a mapped field that disappeared as a
// critical one), never left to fail silently.
import type { FieldDescriptor } from '@syncbridge/connectors';
import type { Prisma } from '@syncbridge/db';
import { raiseAlert } from './alerts.ts';
import type { EngineContext } from './context.ts';
import { AppError } from './errors.ts';
import { loadResource } from './resource-config.ts';
import { rateLimitOf } from './delivery.ts';

export interface Drift {
  added: string[];
  removed: string[];
  /** Removed fields the resource's mappings still use. */
  brokenMappings: string[];
}

export interface DiscoveryResult {
  fields: FieldDescriptor[];
  drift: Drift | null;
}

/** "Full Name", "full_name", "fullName" and "FULLNAME" all match. */
export function normaliseName(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Suggested mappings: local columns paired with external fields of the same normalised name. */
export function suggestMappings(
  localColumns: string[],
  fields: FieldDescriptor[],
): { local: string; external: string; type: FieldDescriptor['type'] }[] {
  const byName = new Map(fields.map((f) => [normaliseName(f.name), f]));
  return localColumns.flatMap((local) => {
    const field = byName.get(normaliseName(local));
    return field ? [{ local, external: field.name, type: field.type }] : [];
  });
}

/**
 * Reads the external object's fields, compares them with those seen last time, stores the new
 * list and raises SCHEMA_DRIFT when they differ. The first discovery only records.
 */
export async function discoverResourceFields(ctx: EngineContext, resourceId: string): Promise<DiscoveryResult> {
  const loaded = await loadResource(ctx, resourceId);
  const connector = await ctx.connectors(loaded.integration);
  if (!connector.discoverFields)
    throw new AppError('PRECONDITION_FAILED', `${loaded.integration.type} cannot list its fields.`);
  const fields = await ctx.limiter.send(rateLimitOf(loaded, connector), () => connector.discoverFields!(loaded.ref));
  const previous = Array.isArray(loaded.resource.discoveredFields)
    ? (loaded.resource.discoveredFields as unknown as FieldDescriptor[])
    : null;
  await ctx.prisma.syncResource.update({
    where: { id: resourceId },
    data: { discoveredFields: fields as unknown as Prisma.InputJsonValue },
  });
  if (!previous) return { fields, drift: null };

  const before = new Set(previous.map((f) => f.name));
  const now = new Set(fields.map((f) => f.name));
  const added = [...now].filter((n) => !before.has(n));
  const removed = [...before].filter((n) => !now.has(n));
  if (added.length === 0 && removed.length === 0) return { fields, drift: null };
  const mapped = new Set(loaded.mappings.map((m) => m.external.split(/[.[]/)[0]!));
  const brokenMappings = removed.filter((n) => mapped.has(n));
  const drift = { added, removed, brokenMappings };
  await raiseAlert(ctx, {
    integrationId: loaded.integration.id,
    rule: 'SCHEMA_DRIFT',
    severity: brokenMappings.length > 0 ? 'CRITICAL' : 'WARNING',
    title: `${loaded.integration.name}: fields changed in ${loaded.resource.name}`,
    message: [
      added.length ? `Added: ${added.join(', ')}.` : '',
      removed.length ? `Removed: ${removed.join(', ')}.` : '',
      brokenMappings.length ? `Mapped fields gone: ${brokenMappings.join(', ')} — update the mapping.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    details: { resourceId, ...drift },
    cooldownMs: 0,
  });
  return { fields, drift };
}

/** Checks every enabled resource whose connector can list fields (run by the worker's health job). */
export async function checkSchemaDrift(
  ctx: EngineContext,
): Promise<{ checked: number; drifted: number; failed: number }> {
  const resources = await ctx.prisma.syncResource.findMany({
    where: { enabled: true, integration: { status: { in: ['ACTIVE', 'DEGRADED'] } } },
    select: { id: true },
  });
  let drifted = 0;
  let failed = 0;
  let checked = 0;
  for (const { id } of resources) {
    try {
      const result = await discoverResourceFields(ctx, id);
      checked++;
      if (result.drift) drifted++;
    } catch (error) {
      if (error instanceof AppError && error.code === 'PRECONDITION_FAILED') continue;
      failed++;
      ctx.logger.warn({ err: error, resourceId: id }, 'field discovery failed');
    }
  }
  return { checked, drifted, failed };
}
