import { OUTBOX_CHANNEL } from './capture.ts';
// Applying an admin's resolution of a MANUAL_REVIEW conflict: keep local, keep external, pick
// per field, or enter custom values; write the result locally (as the integration, no echo) and,
// when asked or needed, queue a push so the external side gets the same values.
import type { Fields } from '@syncbridge/connectors';
import { valuesForChoice, type AdminChoice } from './conflicts.ts';
import type { EngineContext } from './context.ts';
import { AppError } from './errors.ts';
import { comparableMappings, externalHash, localHash, toLocalValues, writeLocal } from './reconcile.ts';
import { loadResource } from './resource-config.ts';
import { withTransaction } from './sql.ts';

export interface ResolveOptions {
  /** Also send the result to the external system (default: whenever it differs from it). */
  push?: boolean;
  userId?: string | null;
}

export async function applyConflictResolution(
  ctx: EngineContext,
  conflictId: string,
  choice: AdminChoice,
  options: ResolveOptions = {},
) {
  const conflict = await ctx.prisma.conflictResolution.findUnique({ where: { id: conflictId } });
  if (!conflict) throw new AppError('NOT_FOUND', 'Conflict not found.');
  if (conflict.status !== 'PENDING') throw new AppError('CONFLICT', 'This conflict was already resolved.');
  if (!conflict.resourceId)
    throw new AppError('PRECONDITION_FAILED', 'The resource of this conflict no longer exists.');
  const loaded = await loadResource(ctx, conflict.resourceId);
  const cmp = comparableMappings(loaded.mappings);
  const fields = cmp.map((m) => m.external);
  const local = conflict.localData as Fields;
  const external = conflict.externalData as Fields;
  if (choice.choice === 'custom') {
    const unknown = Object.keys(choice.values).filter((f) => !fields.includes(f));
    if (unknown.length) throw new AppError('VALIDATION', `Unknown field(s): ${unknown.join(', ')}`);
  }
  const final = valuesForChoice(choice, local, external, fields);
  const push =
    options.push ?? fields.some((f) => JSON.stringify(final[f] ?? null) !== JSON.stringify(external[f] ?? null));

  await withTransaction(
    ctx.pool,
    async (client) => {
      const written = await writeLocal(
        client,
        loaded,
        conflict.internalId,
        await toLocalValues(final, cmp, loaded.mappingContext),
      );
      await client.query(
        `update integration_mappings set status = 'SYNCED', last_local_hash = $2, last_external_hash = $3, base_data = $4::jsonb,
              last_synced_at = now(), updated_at = now()
        where resource_id = $1 and internal_id = $5`,
        [
          loaded.resource.id,
          push ? null : await localHash(written.row, loaded.mappings, loaded.mappingContext),
          await externalHash(external, cmp, loaded.mappingContext),
          JSON.stringify(external),
          conflict.internalId,
        ],
      );
      if (push) {
        const table = `${loaded.resource.localSchema}.${loaded.resource.localTable}`;
        await client.query(
          `insert into change_outbox (resource_id, table_name, row_key, op, origin, txid) values ($1, $2, $3, 'UPDATE', null, txid_current())`,
          [loaded.resource.id, table, conflict.internalId],
        );
        await client.query(`select pg_notify($2, $1)`, [table, OUTBOX_CHANNEL]);
      }
      await client.query(
        `update conflict_resolutions set status = 'RESOLVED', resolution_strategy = 'MANUAL_REVIEW', resolved_data = $2::jsonb,
              resolved_by_id = $3, resolved_at = now() where id = $1`,
        [conflictId, JSON.stringify(final), options.userId ?? null],
      );
    },
    { origin: loaded.integration.id },
  );
  return { values: final, pushed: push };
}
