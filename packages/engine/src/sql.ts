// Identifiers in resource configuration (schema, table, column names) reach SQL only through these
// helpers: validated against a strict pattern, checked against the live catalog, always quoted.
import type pg from 'pg';
import { AppError } from './errors.ts';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function assertIdentifier(name: string, what = 'identifier'): string {
  if (!IDENTIFIER.test(name)) {
    throw new AppError('VALIDATION', `Invalid ${what} "${name.slice(0, 80)}": use letters, digits and underscores.`);
  }
  return name;
}

export function quoteIdent(name: string): string {
  return `"${assertIdentifier(name).replace(/"/g, '""')}"`;
}

export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

export interface ColumnInfo {
  name: string;
  dataType: string;
  udtName: string;
  nullable: boolean;
  hasDefault: boolean;
}

/** Columns of a table or view as the catalog lists them; throws NOT_FOUND when it does not exist. */
export async function describeRelation(
  pool: pg.Pool | pg.PoolClient,
  schema: string,
  table: string,
): Promise<Map<string, ColumnInfo>> {
  assertIdentifier(schema, 'schema name');
  assertIdentifier(table, 'table name');
  const { rows } = await pool.query<{
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: string;
    column_default: string | null;
  }>(
    `select column_name, data_type, udt_name, is_nullable, column_default
       from information_schema.columns
      where table_schema = $1 and table_name = $2
      order by ordinal_position`,
    [schema, table],
  );
  if (rows.length === 0) throw new AppError('NOT_FOUND', `Table ${schema}.${table} does not exist.`);
  return new Map(
    rows.map((r) => [
      r.column_name,
      {
        name: r.column_name,
        dataType: r.data_type,
        udtName: r.udt_name,
        nullable: r.is_nullable === 'YES',
        hasDefault: r.column_default !== null,
      },
    ]),
  );
}

/** Throws VALIDATION naming the first column that the relation does not have. */
export function assertColumns(columns: Map<string, ColumnInfo>, names: Iterable<string>, relation: string): void {
  for (const name of names) {
    if (!columns.has(name))
      throw new AppError('VALIDATION', `Column "${name.slice(0, 80)}" does not exist on ${relation}.`);
  }
}

/**
 * Runs `fn` in a transaction on one pooled connection; commits, or rolls back and rethrows. With
 * `origin`, the writes are marked as made by that integration (the capture trigger then writes
 * no outbox row for it: no echo).
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: { origin?: string } = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    if (options.origin) await client.query(`select set_config('syncbridge.origin', $1, true)`, [options.origin]);
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
