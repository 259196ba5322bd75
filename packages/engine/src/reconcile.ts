// Record-level three-way reconciliation, shared by the pull pipeline and by pushes of two-way
// resources: decide from the stored hashes and base which side changed, apply external changes
// locally (marked with the integration as origin, so they are not echoed back), and route
// conflicts to the configured strategy.
import type pg from 'pg';
import { OUTBOX_CHANNEL } from './capture.ts';
import {
  getPath,
  hashablePayload,
  mapToExternal,
  mapToLocal,
  setPath,
  type ExternalRecord,
  type FieldMapping,
  type Fields,
  type MappingContext,
} from '@syncbridge/connectors';
import type { ConflictStrategy } from '@syncbridge/db';
import { detectConflict, parseMergeRules, resolveConflict } from './conflicts.ts';
import { recordHash } from './hash.ts';
import type { LoadedResource } from './resource-config.ts';
import { quoteIdent } from './sql.ts';

export type Row = Record<string, unknown>;

export interface MappingState {
  id: string;
  internal_id: string;
  external_id: string | null;
  status: string;
  last_local_hash: string | null;
  last_external_hash: string | null;
  base_data: Fields | null;
  external_updated_at?: Date | string | null;
}

/** Mappings whose value can go both ways: the fields a conflict can be about. */
export function comparableMappings(mappings: FieldMapping[]): FieldMapping[] {
  return mappings.filter(
    (m) =>
      m.direction === 'both' &&
      typeof m.local === 'string' &&
      (m.reverseTransform !== undefined || (m.transform?.type !== 'function' && m.transform?.type !== 'constant')),
  );
}

function project(doc: Fields, cmp: FieldMapping[]): Fields {
  const out: Fields = {};
  for (const m of cmp) out[m.external] = (getPath(doc, m.external) ?? null) as Fields[string];
  return out;
}

/** A local row in the normalised comparison shape. */
export async function projectLocal(row: Row, cmp: FieldMapping[], context?: MappingContext): Promise<Fields> {
  return project(await mapToExternal(row, cmp, context), cmp);
}

/** An external record in the same shape (through the mapping both ways, which normalises values). */
export async function projectExternal(fields: Fields, cmp: FieldMapping[], context?: MappingContext): Promise<Fields> {
  return project(await mapToExternal(await mapToLocal(fields, cmp, context), cmp, context), cmp);
}

export const localHash = async (row: Row, mappings: FieldMapping[], context?: MappingContext) =>
  recordHash(hashablePayload(await mapToExternal(row, mappings, context), mappings));
export const externalHash = async (fields: Fields, mappings: FieldMapping[], context?: MappingContext) =>
  recordHash(await mapToLocal(fields, mappings, context));

/** Comparison-shape values (keyed by external path) back to local column values. */
export async function toLocalValues(values: Fields, cmp: FieldMapping[], context?: MappingContext): Promise<Row> {
  const doc: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) setPath(doc, path, value);
  // Only the fields given: the others must not be written as nulls.
  return mapToLocal(
    doc as Fields,
    cmp.filter((m) => m.external in values),
    context,
  );
}

/** Writes local column values (an existing row by key, or a new row) and returns the row as stored. */
export async function writeLocal(
  client: pg.PoolClient,
  loaded: LoadedResource,
  key: string | null,
  values: Row,
): Promise<{ key: string; row: Row }> {
  const columns = Object.keys(values).filter((c) => loaded.tableColumns.has(c) && c !== loaded.keyColumn);
  const table = loaded.writeRelation;
  const keyColumn = quoteIdent(loaded.keyColumn);
  const doc = JSON.stringify(values);
  if (key !== null) {
    if (columns.length === 0) {
      const { rows } = await client.query<{ row: Row }>(
        `select to_jsonb(t) as row from ${table} t where (t.${keyColumn})::text = $1`,
        [key],
      );
      return { key, row: rows[0]?.row ?? {} };
    }
    const list = columns.map(quoteIdent).join(', ');
    const { rows } = await client.query<{ row: Row }>(
      `update ${table} t set (${list}) = (select ${list} from jsonb_populate_record(null::${table}, $2::jsonb))
        where (t.${keyColumn})::text = $1 returning to_jsonb(t) as row`,
      [key, doc],
    );
    if (rows[0]) return { key, row: rows[0].row };
  }
  // A new row: nulls for NOT NULL columns with a default would fail; let the default apply.
  const insertColumns = columns.filter((c) => {
    const info = loaded.tableColumns.get(c);
    return !(values[c] === null && info && !info.nullable && info.hasDefault);
  });
  columns.splice(0, columns.length, ...insertColumns);
  const list = columns.map(quoteIdent).join(', ');
  const insert = columns.length
    ? `insert into ${table} as t (${list}) select ${list} from jsonb_populate_record(null::${table}, $1::jsonb)`
    : `insert into ${table} as t default values`;
  const { rows } = await client.query<{ k: string; row: Row }>(
    `${insert} returning (t.${keyColumn})::text as k, to_jsonb(t) as row`,
    columns.length ? [doc] : [],
  );
  return { key: rows[0]!.k, row: rows[0]!.row };
}

/**
 * A timestamp as a fixed-width UTC ISO string with microseconds, so versions compare as strings
 * without losing the sub-millisecond part some APIs (and Postgres) keep.
 */
export function microIso(value: string | Date): string {
  if (value instanceof Date) return `${value.toISOString().slice(0, 23)}000Z`;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|\+00(?::?00)?)$/.exec(value.trim());
  if (match) return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(6, '0')}Z`;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : `${date.toISOString().slice(0, 23)}000Z`;
}

export type ReconcileResult = 'unchanged' | 'applied' | 'merged' | 'resolved' | 'conflict' | 'skipped';

export interface ReconcileInput {
  record: ExternalRecord;
  mapping: MappingState;
  localRow: Row;
  strategy: ConflictStrategy;
}

async function saveMapping(
  client: pg.PoolClient,
  mappingId: string,
  state: {
    lastLocalHash: string | null;
    lastExternalHash: string;
    base: Fields;
    externalUpdatedAt?: string | null;
    status?: string;
  },
): Promise<void> {
  await client.query(
    `update integration_mappings set last_local_hash = $2, last_external_hash = $3, base_data = $4::jsonb,
            external_updated_at = coalesce($5::timestamptz, external_updated_at), status = $6::"MappingStatus",
            attempts = 0, last_error = null, next_retry_at = null, last_synced_at = now(), updated_at = now()
      where id = $1`,
    [
      mappingId,
      state.lastLocalHash,
      state.lastExternalHash,
      JSON.stringify(state.base),
      state.externalUpdatedAt ?? null,
      state.status ?? 'SYNCED',
    ],
  );
}

/**
 * Local rows about to be reconciled, locked until the caller's transaction commits: an app
 * transaction editing one of them meanwhile either committed first (and its edit is seen as a
 * local change) or waits and writes over the result (and its outbox row pushes the edit). Read
 * without the lock, an edit landing between the read and the write was overwritten with the
 * external version and lost. Locked in key order, so two callers never wait on each other.
 */
export async function lockLocalRows(
  client: pg.PoolClient,
  loaded: LoadedResource,
  keys: string[],
): Promise<Map<string, Row>> {
  if (keys.length === 0) return new Map();
  const key = quoteIdent(loaded.keyColumn);
  const { rows } = await client.query<{ k: string; row: Row }>(
    `select (t.${key})::text as k, to_jsonb(t) as row from ${loaded.writeRelation} t
      where (t.${key})::text = any($1::text[]) order by (t.${key})::text for update of t`,
    [keys],
  );
  return new Map(rows.map((r) => [r.k, r.row]));
}

/** Queues a push of one record (a resolution that the external side must learn about). */
async function queuePush(client: pg.PoolClient, loaded: LoadedResource, key: string): Promise<void> {
  await client.query(
    `insert into change_outbox (resource_id, table_name, row_key, op, origin, txid) values ($1, $2, $3, 'UPDATE', null, txid_current())`,
    [loaded.resource.id, `${loaded.resource.localSchema}.${loaded.resource.localTable}`, key],
  );
  await client.query(`select pg_notify($2, $1)`, [
    `${loaded.resource.localSchema}.${loaded.resource.localTable}`,
    OUTBOX_CHANNEL,
  ]);
}

function updatedAt(row: Row, column: string | undefined): Date | null {
  if (!column) return null;
  const value = row[column];
  if (value === null || value === undefined) return null;
  const date = new Date(value as string);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Reconciles one mapped record whose external version may have changed. Runs inside the caller's
 * transaction, which must carry the integration as origin.
 */
export async function reconcileRecord(
  client: pg.PoolClient,
  loaded: LoadedResource,
  input: ReconcileInput,
): Promise<ReconcileResult> {
  const { record, mapping, localRow } = input;
  const mappings = loaded.mappings;
  const mc = loaded.mappingContext;
  const extHash = await externalHash(record.fields, mappings, mc);
  if (mapping.status === 'CONFLICT') return 'skipped';
  if (mapping.last_external_hash === extHash) return 'unchanged';
  // Deliveries can arrive out of order: never replace a newer external version with an older one.
  if (
    record.updatedAt &&
    mapping.external_updated_at &&
    microIso(record.updatedAt) < microIso(mapping.external_updated_at)
  )
    return 'unchanged';
  const cmp = comparableMappings(mappings);
  // No stored local hash means a local change is still waiting to be pushed.
  const localChanged =
    mapping.last_local_hash === null || (await localHash(localRow, mappings, mc)) !== mapping.last_local_hash;

  if (!localChanged) {
    const written = await writeLocal(
      client,
      loaded,
      mapping.internal_id,
      await mapToLocal(record.fields, mappings, mc),
    );
    await saveMapping(client, mapping.id, {
      lastLocalHash: await localHash(written.row, mappings, mc),
      lastExternalHash: extHash,
      base: await projectExternal(record.fields, cmp, mc),
      externalUpdatedAt: record.updatedAt,
    });
    return 'applied';
  }

  const fields = cmp.map((m) => m.external);
  const three = {
    local: await projectLocal(localRow, cmp, mc),
    external: await projectExternal(record.fields, cmp, mc),
    base: mapping.base_data,
    localUpdatedAt: updatedAt(localRow, loaded.options.updatedAtColumn),
    externalUpdatedAt: record.updatedAt ? new Date(record.updatedAt) : null,
  };
  const detection = detectConflict(three, fields);
  const strategy = loaded.resource.conflictStrategy ?? input.strategy;
  const resolution = resolveConflict(
    strategy,
    three,
    detection,
    fields,
    parseMergeRules(loaded.resource.customMergeRules),
  );

  if (resolution.kind === 'manual') {
    await client.query(
      `insert into conflict_resolutions (integration_id, resource_id, resource_type, internal_id, external_id, local_data, external_data, base_data, conflicted_fields, conflict_reason)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9::text[], $10)`,
      [
        loaded.integration.id,
        loaded.resource.id,
        loaded.resource.resourceType,
        mapping.internal_id,
        record.id,
        JSON.stringify(three.local),
        JSON.stringify(three.external),
        three.base === null ? null : JSON.stringify(three.base),
        detection.overlapping,
        `Both sides changed ${detection.overlapping.join(', ')} since the last sync.`,
      ],
    );
    // The conflict is about this external version: once an admin resolves it, an older delivery
    // (a late "created" event, say) must read as stale, not as a change that undoes the choice.
    await client.query(
      `update integration_mappings
          set status = 'CONFLICT', external_updated_at = greatest(external_updated_at, $2::timestamptz), updated_at = now()
        where id = $1`,
      [mapping.id, record.updatedAt ?? null],
    );
    return 'conflict';
  }

  const finalValues = resolution.values;
  const changedLocally = fields.filter(
    (f) => JSON.stringify(finalValues[f] ?? null) !== JSON.stringify(three.local[f] ?? null),
  );
  const needsPush = fields.some(
    (f) => JSON.stringify(finalValues[f] ?? null) !== JSON.stringify(three.external[f] ?? null),
  );
  const localValues = await toLocalValues(
    Object.fromEntries(changedLocally.map((f) => [f, finalValues[f] ?? null])),
    cmp,
    mc,
  );
  const written = await writeLocal(client, loaded, mapping.internal_id, localValues);
  await saveMapping(client, mapping.id, {
    // When the other side still has to learn the result, leave no hash so the push cannot skip it.
    lastLocalHash: needsPush ? null : await localHash(written.row, mappings, mc),
    lastExternalHash: extHash,
    base: three.external,
    externalUpdatedAt: record.updatedAt,
  });
  if (needsPush) await queuePush(client, loaded, mapping.internal_id);
  return detection.overlapping.length > 0 ? 'resolved' : 'merged';
}
