// Processing a stored webhook delivery (the ingress stores it and enqueues; this runs in the
// worker): parse it with the integration's connector, fetch records the payload does not carry
// (skinny webhooks), and apply them to the matching pull resources like a pull page would.
import type { WebhookChange } from '@syncbridge/connectors';
import type { EngineContext } from './context.ts';
import { rateLimitOf } from './delivery.ts';
import { AppError } from './errors.ts';
import { withResourceLock } from './locks.ts';
import { applyExternalChanges, type PullOutcome } from './pull.ts';
import { loadResource } from './resource-config.ts';

export interface WebhookProcessResult {
  status: 'PROCESSED' | 'IGNORED';
  applied: number;
  resources: number;
}

export async function processWebhookEvent(ctx: EngineContext, eventId: string): Promise<WebhookProcessResult> {
  const event = await ctx.prisma.webhookEvent.findUnique({ where: { id: eventId }, include: { integration: true } });
  if (!event) throw new AppError('NOT_FOUND', `Webhook event ${eventId} not found.`);
  if (event.status === 'PROCESSED' || event.status === 'IGNORED')
    return { status: event.status, applied: 0, resources: 0 };
  await ctx.prisma.webhookEvent.update({
    where: { id: eventId },
    data: { status: 'PROCESSING', attempts: { increment: 1 } },
  });
  try {
    const connector = await ctx.connectors(event.integration);
    const changes = connector.parseWebhook({
      method: 'POST',
      url: '',
      headers: (event.headers ?? {}) as Record<string, string>,
      rawBody: Buffer.from(event.rawBody, 'utf8'),
    });
    const resources = await ctx.prisma.syncResource.findMany({
      where: { integrationId: event.integrationId, enabled: true, direction: { in: ['PULL', 'BIDIRECTIONAL'] } },
    });
    let applied = 0;
    let touched = 0;
    for (const resource of resources) {
      const mine = changes.filter((c) => !c.object || c.object === resource.externalObject || resources.length === 1);
      if (mine.length === 0) continue;
      touched++;
      const outcome = await withResourceLock(ctx.pool, resource.id, () => applyChanges(ctx, resource.id, mine));
      applied += outcome.added + outcome.changed + outcome.removed;
    }
    const status = touched === 0 ? 'IGNORED' : 'PROCESSED';
    await ctx.prisma.webhookEvent.update({
      where: { id: eventId },
      data: { status, processedAt: new Date(), error: null },
    });
    return { status, applied, resources: touched };
  } catch (error) {
    await ctx.prisma.webhookEvent.update({
      where: { id: eventId },
      data: { status: 'FAILED', error: (error instanceof Error ? error.message : String(error)).slice(0, 1000) },
    });
    throw error;
  }
}

async function applyChanges(ctx: EngineContext, resourceId: string, changes: WebhookChange[]): Promise<PullOutcome> {
  const loaded = await loadResource(ctx, resourceId);
  const connector = await ctx.connectors(loaded.integration);
  // Oldest first, by the change's own time: delivery order says nothing.
  const ordered = [...changes].sort((a, b) => Date.parse(a.occurredAt ?? '') - Date.parse(b.occurredAt ?? '') || 0);
  const deletedIds = ordered.filter((c) => c.action === 'deleted').map((c) => c.externalId);
  let carried = ordered.filter((c) => c.action !== 'deleted' && c.record).map((c) => c.record!);
  const wanted = new Set(ordered.filter((c) => c.action !== 'deleted' && !c.record).map((c) => c.externalId));
  if (carried.length > 0 && connector.getRecords) {
    // A record we hold no mapping for may have been deleted since (a late or repeated delivery of
    // its creation, after the delete synced): adopt only what the system still has, as it has it now.
    const { rows } = await ctx.pool.query<{ external_id: string }>(
      'select external_id from integration_mappings where resource_id = $1 and external_id = any($2::text[])',
      [resourceId, carried.map((r) => r.id)],
    );
    const known = new Set(rows.map((r) => r.external_id));
    for (const record of carried) if (!known.has(record.id)) wanted.add(record.id);
    carried = carried.filter((record) => known.has(record.id));
  }
  const skinny = [...wanted];
  const fetched = [];
  if (skinny.length > 0 && connector.getRecords) {
    for (let i = 0; i < skinny.length; i += connector.limits.maxBatchSize) {
      const batch = skinny.slice(i, i + connector.limits.maxBatchSize);
      fetched.push(
        ...(await ctx.limiter.send(rateLimitOf(loaded, connector), () => connector.getRecords!(loaded.ref, batch))),
      );
    }
  }
  // The latest version of each record wins within one delivery.
  const latest = new Map([...carried, ...fetched].map((r) => [r.id, r]));
  return applyExternalChanges(ctx, resourceId, { records: [...latest.values()], deletedIds });
}
