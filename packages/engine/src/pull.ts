// The pull pipeline: changes since the stored cursor (or a full read) → map to the local shape →
// three-way compare with the stored hashes → apply locally (marked with the integration as
// origin, so nothing is echoed back) → advance the cursor in the same transaction. Deletions
// follow the resource's policy; deletes inferred from a full read need a completed read, and a
// run that would delete more than the threshold of mapped records waits for an admin.
import type pg from 'pg';
import { getPath, mapToLocal, type ChangePage, type ExternalRecord } from '@syncbridge/connectors';
import type { Prisma } from '@syncbridge/db';
import { raiseAlert } from './alerts.ts';
import type { EngineContext } from './context.ts';
import { recordRunHealth } from './delivery.ts';
import { addProgress, cancelRequested, CANCELLED_MESSAGE, finishJob, startResourceRun } from './jobs.ts';
import {
  comparableMappings,
  externalHash,
  localHash,
  lockLocalRows,
  projectExternal,
  reconcileRecord,
  writeLocal,
  type MappingState,
} from './reconcile.ts';
import { loadResource, type LoadedResource } from './resource-config.ts';
import { quoteIdent, withTransaction } from './sql.ts';
import { AppError } from './errors.ts';

export interface PullOutcome {
  processed: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  conflicts: number;
  skipped: number;
  failed: number;
  /** Deletes held back for an admin's confirmation (mass-delete guard). */
  pendingDeletes: number;
  /** An admin cancelled the run: it stopped after a committed page, nothing inferred from the partial read. */
  cancelled?: boolean;
}

const emptyPull = (): PullOutcome => ({
  processed: 0,
  added: 0,
  changed: 0,
  removed: 0,
  unchanged: 0,
  conflicts: 0,
  skipped: 0,
  failed: 0,
  pendingDeletes: 0,
});

async function mappingsByExternalId(
  client: pg.PoolClient,
  resourceId: string,
  ids: string[],
): Promise<Map<string, MappingState>> {
  const { rows } = await client.query<MappingState>(
    `select id, internal_id, external_id, status::text as status, last_local_hash, last_external_hash, base_data,
            to_char(external_updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as external_updated_at
       from integration_mappings where resource_id = $1 and external_id = any($2::text[])`,
    [resourceId, ids],
  );
  return new Map(rows.map((r) => [r.external_id!, r]));
}

/**
 * A record carrying the key of a row whose create is still reserved (its response was lost, or the
 * run died after sending it) is that row's own record: the push's recovery links it by key
 * (findByKeys). Adopting it here would give it a second local row.
 */
async function createdByLostPush(client: pg.PoolClient, loaded: LoadedResource, record: ExternalRecord) {
  const key = loaded.ref.keyField ? getPath(record.fields, loaded.ref.keyField) : undefined;
  if (key === undefined || key === null || key === '') return false;
  const { rowCount } = await client.query(
    'select 1 from integration_mappings where resource_id = $1 and internal_id = $2 and external_id is null',
    [loaded.resource.id, String(key)],
  );
  return (rowCount ?? 0) > 0;
}

/** Creates or adopts the local row for an external record never seen before. */
async function adoptRecord(
  client: pg.PoolClient,
  loaded: LoadedResource,
  record: ExternalRecord,
): Promise<'added' | 'changed'> {
  const mc = loaded.mappingContext;
  const values = await mapToLocal(record.fields, loaded.mappings, mc);
  let key: string | null = null;
  const match = loaded.options.matchOn;
  if (match) {
    const value = getPath(record.fields, match.external);
    if (value !== null && value !== undefined && value !== '') {
      const { rows } = await client.query<{ k: string }>(
        `select (t.${quoteIdent(loaded.keyColumn)})::text as k from ${loaded.writeRelation} t where (t.${quoteIdent(match.local)})::text = $1 limit 1`,
        [String(value)],
      );
      key = rows[0]?.k ?? null;
    }
  }
  const written = await writeLocal(client, loaded, key, values);
  const cmp = comparableMappings(loaded.mappings);
  await client.query(
    `insert into integration_mappings (integration_id, resource_id, internal_id, external_id, status, last_local_hash, last_external_hash, base_data, external_updated_at, updated_at)
     values ($1, $2, $3, $4, 'SYNCED', $5, $6, $7::jsonb, $8::timestamptz, now())
     on conflict (resource_id, internal_id) do update
        set external_id = excluded.external_id, status = 'SYNCED', last_local_hash = excluded.last_local_hash,
            last_external_hash = excluded.last_external_hash, base_data = excluded.base_data,
            external_updated_at = excluded.external_updated_at, last_synced_at = now(), updated_at = now()`,
    [
      loaded.integration.id,
      loaded.resource.id,
      written.key,
      record.id,
      await localHash(written.row, loaded.mappings, mc),
      await externalHash(record.fields, loaded.mappings, mc),
      JSON.stringify(await projectExternal(record.fields, cmp, mc)),
      record.updatedAt ?? null,
    ],
  );
  return key === null ? 'added' : 'changed';
}

/** Applies deletions reported or inferred for these external ids, per the resource's policy. */
async function applyDeletes(client: pg.PoolClient, loaded: LoadedResource, externalIds: string[]): Promise<number> {
  if (externalIds.length === 0) return 0;
  const { rows } = await client.query<{ id: string; internal_id: string }>(
    `select id, internal_id from integration_mappings where resource_id = $1 and external_id = any($2::text[]) and status <> 'DELETED'`,
    [loaded.resource.id, externalIds],
  );
  if (rows.length === 0) return 0;
  const keys = rows.map((r) => r.internal_id);
  const key = quoteIdent(loaded.keyColumn);
  switch (loaded.resource.deletePolicy) {
    case 'DELETE':
      await client.query(`delete from ${loaded.writeRelation} t where (t.${key})::text = any($1::text[])`, [keys]);
      await client.query('delete from integration_mappings where id = any($1::uuid[])', [rows.map((r) => r.id)]);
      break;
    case 'CANCEL': {
      const cancel = loaded.options.cancel;
      if (!cancel)
        throw new AppError(
          'VALIDATION',
          `Resource ${loaded.resource.name} cancels on delete but has no options.cancel column.`,
        );
      await client.query(
        `update ${loaded.writeRelation} t set ${quoteIdent(cancel.column)} = (jsonb_populate_record(null::${loaded.writeRelation}, $2::jsonb)).${quoteIdent(cancel.column)}
          where (t.${key})::text = any($1::text[])`,
        [keys, JSON.stringify({ [cancel.column]: cancel.value })],
      );
      await client.query(
        `update integration_mappings set status = 'DELETED', updated_at = now() where id = any($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
      break;
    }
    case 'IGNORE':
      await client.query(
        `update integration_mappings set status = 'DELETED', updated_at = now() where id = any($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
      break;
  }
  return rows.length;
}

/** Applies one page (records and deletions) in one transaction, then stores its cursor there too. */
export async function applyPage(
  ctx: EngineContext,
  loaded: LoadedResource,
  page: ChangePage,
  outcome: PullOutcome,
): Promise<void> {
  const strategy = loaded.integration.conflictStrategy;
  await withTransaction(
    ctx.pool,
    async (client) => {
      const mapped = await mappingsByExternalId(
        client,
        loaded.resource.id,
        page.records.map((r) => r.id),
      );
      const rows = await lockLocalRows(
        client,
        loaded,
        [...mapped.values()].map((m) => m.internal_id),
      );
      for (const record of page.records) {
        outcome.processed++;
        await client.query('savepoint record');
        try {
          const mapping = mapped.get(record.id);
          if (!mapping) {
            if (await createdByLostPush(client, loaded, record)) outcome.skipped++;
            else outcome[await adoptRecord(client, loaded, record)]++;
          } else {
            const row = rows.get(mapping.internal_id);
            if (!row) {
              outcome.skipped++; // deleted locally: the push pipeline carries that delete out
            } else {
              const result = await reconcileRecord(client, loaded, { record, mapping, localRow: row, strategy });
              if (result === 'unchanged') outcome.unchanged++;
              else if (result === 'conflict') outcome.conflicts++;
              else if (result === 'skipped') outcome.skipped++;
              else outcome.changed++;
            }
          }
          await client.query('release savepoint record');
        } catch (error) {
          await client.query('rollback to savepoint record');
          outcome.failed++;
          ctx.logger.warn(
            { err: error, resourceId: loaded.resource.id, externalId: record.id },
            'pulled record could not be applied',
          );
          await client.query(
            `insert into sync_logs (integration_id, resource_id, operation, direction, resource_type, external_id, status, records_processed, records_failed, error_code, error_message)
           values ($1, $2, 'UPDATE', 'PULL', $3, $4, 'FAILED', 1, 1, 'local_write', $5)`,
            [
              loaded.integration.id,
              loaded.resource.id,
              loaded.resource.resourceType,
              record.id,
              (error instanceof Error ? error.message : String(error)).slice(0, 1000),
            ],
          );
        }
      }
      outcome.removed += await applyDeletes(client, loaded, page.deletedIds ?? []);
      if (page.nextCursor !== null) {
        await client.query('update sync_resources set cursor = $2, cursor_updated_at = now() where id = $1', [
          loaded.resource.id,
          page.nextCursor,
        ]);
      }
    },
    { origin: loaded.integration.id },
  );
}

export interface PullOptions {
  full?: boolean;
  jobType?: 'SCHEDULED_SYNC' | 'MANUAL_SYNC' | 'INITIAL_IMPORT' | 'WEBHOOK_BATCH' | 'RETRY';
  trigger?: string;
  signal?: AbortSignal;
  queueJobId?: string;
}

export async function pullResource(
  ctx: EngineContext,
  resourceId: string,
  options: PullOptions = {},
): Promise<PullOutcome & { jobId: string }> {
  const { loaded, connector, jobId } = await startResourceRun(ctx, resourceId, 'PULL', options);
  const outcome = emptyPull();
  const cursor = options.full ? null : loaded.resource.cursor;
  const seen = new Set<string>();
  let readComplete = false;
  let error: unknown;
  try {
    for await (const page of connector.listChanges(loaded.ref, cursor, {
      full: options.full,
      signal: options.signal,
    })) {
      options.signal?.throwIfAborted();
      const before = { ...outcome };
      await applyPage(ctx, loaded, page, outcome);
      for (const record of page.records) seen.add(record.id);
      if (page.fullReadComplete) readComplete = true;
      await addProgress(ctx, jobId, {
        total: page.records.length,
        processed: outcome.processed - before.processed,
        succeeded:
          outcome.added + outcome.changed + outcome.unchanged - (before.added + before.changed + before.unchanged),
        failed: outcome.failed - before.failed,
        conflicts: outcome.conflicts - before.conflicts,
        added: outcome.added - before.added,
        changed: outcome.changed - before.changed,
        removed: outcome.removed - before.removed,
        skipped: outcome.unchanged + outcome.skipped - before.unchanged - before.skipped,
      });
      // Cancel is checked once per page, after it (and its cursor) committed: the next run resumes there.
      if (await cancelRequested(ctx, jobId)) {
        outcome.cancelled = true;
        break;
      }
    }
    if (readComplete && !outcome.cancelled) await inferDeletes(ctx, loaded, seen, outcome, jobId);
    await ctx.prisma.syncResource.update({ where: { id: resourceId }, data: { lastSyncAt: new Date() } });
  } catch (e) {
    error = e;
  }
  await recordRunHealth(ctx, loaded, { processed: outcome.processed, failed: outcome.failed }, error);
  if (outcome.pendingDeletes > 0 && !error) return { ...outcome, jobId };
  await finishJob(ctx, jobId, {
    status: error ? 'FAILED' : outcome.cancelled ? 'CANCELLED' : outcome.failed > 0 ? 'PARTIAL' : 'COMPLETED',
    errorMessage: error ? (error instanceof Error ? error.message : String(error)) : cancelledMessage(outcome),
  });
  if (error) throw error;
  return { ...outcome, jobId };
}

const cancelledMessage = (outcome: PullOutcome) => (outcome.cancelled ? CANCELLED_MESSAGE : undefined);

/**
 * After a completed full read: mapped records not seen were deleted externally. Above the
 * threshold (default 20% of mapped records) nothing is deleted: the run waits for an admin.
 */
async function inferDeletes(
  ctx: EngineContext,
  loaded: LoadedResource,
  seen: Set<string>,
  outcome: PullOutcome,
  jobId: string,
): Promise<void> {
  const { rows } = await ctx.pool.query<{ external_id: string }>(
    `select external_id from integration_mappings where resource_id = $1 and external_id is not null and status <> 'DELETED'`,
    [loaded.resource.id],
  );
  const missing = rows.map((r) => r.external_id).filter((id) => !seen.has(id));
  if (missing.length === 0) return;
  if (missing.length > loaded.options.massDeleteThreshold * rows.length) {
    outcome.pendingDeletes = missing.length;
    // One question at a time: a newer run's list supersedes an unanswered older one.
    await ctx.prisma.jobExecution.updateMany({
      where: { resourceId: loaded.resource.id, status: 'PENDING_CONFIRMATION', id: { not: jobId } },
      data: {
        status: 'CANCELLED',
        errorMessage: 'Superseded by a newer run waiting for the same confirmation.',
        completedAt: new Date(),
      },
    });
    const details: Prisma.InputJsonValue = {
      resourceId: loaded.resource.id,
      pendingDeletes: missing.slice(0, 50_000),
      mapped: rows.length,
    };
    await ctx.prisma.jobExecution.update({
      where: { id: jobId },
      data: {
        status: 'PENDING_CONFIRMATION',
        errorMessage: `${missing.length} of ${rows.length} records disappeared from ${loaded.resource.name}; confirm before they are deleted.`,
        errorDetails: details,
      },
    });
    await raiseAlert(ctx, {
      integrationId: loaded.integration.id,
      rule: 'MASS_DELETE',
      severity: 'CRITICAL',
      title: `${loaded.integration.name}: ${missing.length} deletions wait for confirmation`,
      message: `A full read of ${loaded.resource.name} no longer contains ${missing.length} of ${rows.length} synced records. Nothing was deleted; confirm or reject the run.`,
      details: { jobId },
    });
    return;
  }
  outcome.removed += await withTransaction(ctx.pool, (client) => applyDeletes(client, loaded, missing), {
    origin: loaded.integration.id,
  });
  await addProgress(ctx, jobId, { removed: missing.length });
}

/** An admin's answer to a run paused by the mass-delete guard. */
export async function confirmPendingDeletes(ctx: EngineContext, jobId: string, confirm: boolean): Promise<number> {
  const job = await ctx.prisma.jobExecution.findUnique({ where: { id: jobId } });
  if (!job || job.status !== 'PENDING_CONFIRMATION')
    throw new AppError('PRECONDITION_FAILED', 'That run is not waiting for a confirmation.');
  const details = (job.errorDetails ?? {}) as { resourceId?: string; pendingDeletes?: string[] };
  let removed = 0;
  if (confirm && details.resourceId && details.pendingDeletes?.length) {
    const loaded = await loadResource(ctx, details.resourceId);
    removed = await withTransaction(ctx.pool, (client) => applyDeletes(client, loaded, details.pendingDeletes ?? []), {
      origin: loaded.integration.id,
    });
  }
  await ctx.prisma.jobExecution.update({ where: { id: jobId }, data: { removed: { increment: removed } } });
  await finishJob(ctx, jobId, {
    status: confirm ? 'COMPLETED' : 'CANCELLED',
    errorMessage: confirm ? undefined : 'Deletions rejected by an admin.',
  });
  return removed;
}

/** Applies changes that arrived outside a cursor read (webhook deliveries). */
export async function applyExternalChanges(
  ctx: EngineContext,
  resourceId: string,
  changes: { records: ExternalRecord[]; deletedIds?: string[] },
): Promise<PullOutcome> {
  const loaded = await loadResource(ctx, resourceId);
  const outcome = emptyPull();
  await applyPage(ctx, loaded, { records: changes.records, deletedIds: changes.deletedIds, nextCursor: null }, outcome);
  return outcome;
}
