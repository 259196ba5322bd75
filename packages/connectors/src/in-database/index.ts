// The in-database connector: "external" is another table in the same database (flow S4,
// interaction → calendar_events). It takes a SQL executor (a pg Pool fits) rather than importing
// the database package, and every identifier comes from validated configuration, quoted.
import { z } from 'zod';
import type {
  ChangePage,
  Connector,
  ConnectorError,
  DeleteItem,
  ExternalRecord,
  Fields,
  ItemResult,
  ResourceRef,
  UpsertItem,
} from '../contract.ts';

export interface SqlExecutor {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number | null }>;
}

const ZIdent = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a table or column name');

/** Per-resource target configuration (resource options.connector). */
export const ZInDatabaseTarget = z.object({
  schema: ZIdent.default('public'),
  table: ZIdent,
  /** Primary key of the target: the "external id". */
  idColumn: ZIdent,
  /** Unique columns the upsert is idempotent on, e.g. (related_table, related_id). */
  conflictColumns: z.array(ZIdent).min(1),
  /** Columns filled from referenced rows: display names joined with a space, nulls dropped. */
  derived: z
    .array(
      z.object({
        column: ZIdent,
        lookups: z.array(z.object({ table: ZIdent, schema: ZIdent.default('public'), key: ZIdent, field: ZIdent, display: z.array(ZIdent).min(1) })).min(1),
      }),
    )
    .default([]),
  /** Columns set to now() on every write (e.g. last_synced_at). */
  touchColumns: z.array(ZIdent).default([]),
});
export type InDatabaseTarget = z.infer<typeof ZInDatabaseTarget>;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface InDatabaseConnectorOptions {
  sql: SqlExecutor;
  maxBatchSize?: number;
}

interface PgLikeError {
  code?: string;
  message?: string;
}

export function classifyPgError(error: unknown): ConnectorError {
  const { code, message } = (error ?? {}) as PgLikeError;
  const text = message ?? String(error);
  if (code?.startsWith('22') || code?.startsWith('23') || code === '42703' || code === '42P01') return { kind: 'invalid', message: text, code };
  if (code?.startsWith('28')) return { kind: 'auth', message: text, code };
  return { kind: 'retryable', message: text, code };
}

export function createInDatabaseConnector(options: InDatabaseConnectorOptions): Connector {
  const { sql } = options;
  const columnCache = new Map<string, Set<string>>();

  function target(ref: ResourceRef): InDatabaseTarget {
    const parsed = ZInDatabaseTarget.safeParse(ref.options ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw Object.assign(new Error(`in-database target ${issue?.path.join('.')}: ${issue?.message}`), { code: '22023' });
    }
    return parsed.data;
  }

  async function columnsOf(t: InDatabaseTarget): Promise<Set<string>> {
    const cacheKey = `${t.schema}.${t.table}`;
    let columns = columnCache.get(cacheKey);
    if (!columns) {
      const { rows } = await sql.query<{ column_name: string }>(
        'select column_name from information_schema.columns where table_schema = $1 and table_name = $2',
        [t.schema, t.table],
      );
      if (rows.length === 0) throw Object.assign(new Error(`table ${cacheKey} does not exist`), { code: '42P01' });
      columns = new Set(rows.map((r) => r.column_name));
      columnCache.set(cacheKey, columns);
    }
    return columns;
  }

  async function upsert(ref: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]> {
    const t = target(ref);
    const existing = await columnsOf(t);
    const relation = `${q(t.schema)}.${q(t.table)}`;
    const derivedColumns = new Set(t.derived.map((d) => d.column));
    const touched = new Set(t.touchColumns);
    const written = new Set<string>();
    for (const item of items) for (const key of Object.keys(item.fields)) if (existing.has(key) && key !== t.idColumn && !derivedColumns.has(key) && !touched.has(key)) written.add(key);
    const plain = [...written];
    const derived = t.derived.map(
      (d) =>
        `array_remove(array[${d.lookups
          .map((l) => `(select nullif(concat_ws(' ', ${l.display.map((c) => `l.${q(c)}`).join(', ')}), '') from ${q(l.schema)}.${q(l.table)} l where (l.${q(l.key)})::text = input.doc ->> ${literal(l.field)})`)
          .join(', ')}], null)`,
    );
    const columns = [...plain, ...t.derived.map((d) => d.column), ...t.touchColumns];
    const values = [...plain.map((c) => `input.${q(c)}`), ...derived, ...t.touchColumns.map(() => 'now()')];
    const conflict = t.conflictColumns.map(q).join(', ');
    const updates = columns.filter((c) => !t.conflictColumns.includes(c)).map((c) => `${q(c)} = excluded.${q(c)}`);
    const statement = `
      with input as (
        select x.ord, x.doc, r.* from jsonb_array_elements($1::jsonb) with ordinality as x(doc, ord)
        cross join lateral jsonb_populate_record(null::${relation}, x.doc) as r)
      insert into ${relation} (${columns.map(q).join(', ')})
      select ${values.join(', ')} from input order by input.ord
      on conflict (${conflict}) do ${updates.length ? `update set ${updates.join(', ')}` : 'nothing'}
      returning (${q(t.idColumn)})::text as id, ${t.conflictColumns.map((c) => `(${q(c)})::text as ${q(`k_${c}`)}`).join(', ')}`;
    const { rows } = await sql.query<Record<string, string>>(statement, [JSON.stringify(items.map((i) => i.fields))]);
    const byKey = new Map(rows.map((r) => [t.conflictColumns.map((c) => r[`k_${c}`]).join('\u0000'), r.id]));
    return items.map((item) => {
      const key = t.conflictColumns.map((c) => stringify(item.fields[c])).join('\u0000');
      const id = byKey.get(key);
      return id
        ? { internalId: item.internalId, ok: true as const, externalId: id }
        : { internalId: item.internalId, ok: false as const, error: { kind: 'invalid' as const, message: 'row was not written (conflict key missing?)' } };
    });
  }

  return {
    type: 'IN_DATABASE',
    // No external API: nothing to rate limit (0 = unlimited).
    limits: { requestsPerWindow: 0, windowMs: 60_000, maxBatchSize: options.maxBatchSize ?? 500 },
    async testConnection() {
      const started = Date.now();
      try {
        const { rows } = await sql.query<{ v: string }>('select current_setting($1) as v', ['server_version']);
        return { ok: true, latencyMs: Date.now() - started, apiVersion: `PostgreSQL ${rows[0]?.v ?? ''}`.trim() };
      } catch (error) {
        const failure = classifyPgError(error);
        return { ok: false, latencyMs: Date.now() - started, message: `${failure.kind}: ${failure.message}`, error: failure };
      }
    },
    async *listChanges(ref, cursor): AsyncIterable<ChangePage> {
      const t = target(ref);
      const relation = `${q(t.schema)}.${q(t.table)}`;
      let after = cursor;
      for (;;) {
        const { rows } = await sql.query<{ id: string; doc: Fields }>(
          `select (${q(t.idColumn)})::text as id, to_jsonb(t) as doc from ${relation} t
            where $1::text is null or (${q(t.idColumn)})::text > $1 order by (${q(t.idColumn)})::text limit 500`,
          [after],
        );
        const records: ExternalRecord[] = rows.map((r) => ({ id: r.id, fields: r.doc }));
        after = rows.at(-1)?.id ?? after;
        const last = rows.length < 500;
        yield { records, nextCursor: null, fullReadComplete: last };
        if (last) return;
      }
    },
    async getRecords(ref, ids) {
      const t = target(ref);
      const { rows } = await sql.query<{ id: string; doc: Fields }>(
        `select (${q(t.idColumn)})::text as id, to_jsonb(t) as doc from ${q(t.schema)}.${q(t.table)} t where (${q(t.idColumn)})::text = any($1::text[])`,
        [ids],
      );
      return rows.map((r) => ({ id: r.id, fields: r.doc }));
    },
    async findByKeys(ref, internalIds) {
      const t = target(ref);
      if (!ref.keyField) return new Map();
      const key = ZIdent.parse(ref.keyField);
      const { rows } = await sql.query<{ id: string; k: string }>(
        `select (${q(t.idColumn)})::text as id, (${q(key)})::text as k from ${q(t.schema)}.${q(t.table)} where (${q(key)})::text = any($1::text[])`,
        [internalIds],
      );
      return new Map(rows.map((r) => [r.k, r.id]));
    },
    upsertBatch: upsert,
    async deleteBatch(ref, items: DeleteItem[]) {
      const t = target(ref);
      await sql.query(`delete from ${q(t.schema)}.${q(t.table)} where (${q(t.idColumn)})::text = any($1::text[])`, [items.map((i) => i.externalId)]);
      // Rows already gone count as deleted: the effect is the same.
      return items.map((i) => ({ internalId: i.internalId, ok: true as const, externalId: i.externalId }));
    },
    async discoverFields(ref) {
      const t = target(ref);
      return [...(await columnsOf(t))].map((name) => ({ name, type: 'unknown' as const }));
    },
    verifyWebhook: () => ({ ok: false, reason: 'malformed' }),
    parseWebhook: () => [],
    classifyError: classifyPgError,
  };
}

function stringify(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A SQL string literal for a validated identifier-shaped value. */
function literal(value: string): string {
  return `'${ZIdent.parse(value)}'`;
}
