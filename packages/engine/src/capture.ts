// Change capture: statement-level triggers on a watched table write one outbox row per changed row
// and per push resource watching that table, in the same transaction as the change, then NOTIFY.
// A change made by the engine while applying a pull runs with `syncbridge.origin` set to the
// integration id (transaction-local), and the trigger writes no row for that integration's
// resources, so a pulled change is never echoed back to the system it came from.
import type pg from 'pg';
import { qualifiedName, quoteIdent, assertIdentifier, withTransaction } from './sql.ts';

export const OUTBOX_CHANNEL = 'syncbridge_outbox';
const FUNCTION_NAME = 'syncbridge_capture_changes';
const TRIGGERS = {
  INSERT: 'syncbridge_capture_insert',
  UPDATE: 'syncbridge_capture_update',
  DELETE: 'syncbridge_capture_delete',
} as const;

const captureFunctionSql = `
create or replace function ${FUNCTION_NAME}() returns trigger
language plpgsql as $fn$
declare
  v_origin text := nullif(current_setting('syncbridge.origin', true), '');
  v_table text := tg_table_schema || '.' || tg_table_name;
  v_count bigint;
begin
  if tg_op = 'DELETE' then
    insert into change_outbox (resource_id, table_name, row_key, op, origin, txid)
    select r.id, v_table, to_jsonb(o) ->> r.local_key_column, 'DELETE'::"ChangeOperation", v_origin, txid_current()
      from sync_resources r
      cross join old_rows o
     where r.local_schema = tg_table_schema and r.local_table = tg_table_name and r.enabled
       and r.direction in ('PUSH', 'BIDIRECTIONAL')
       and (v_origin is null or r.integration_id::text <> v_origin);
  else
    insert into change_outbox (resource_id, table_name, row_key, op, origin, txid)
    select r.id, v_table, to_jsonb(n) ->> r.local_key_column, tg_op::"ChangeOperation", v_origin, txid_current()
      from sync_resources r
      cross join new_rows n
     where r.local_schema = tg_table_schema and r.local_table = tg_table_name and r.enabled
       and r.direction in ('PUSH', 'BIDIRECTIONAL')
       and (v_origin is null or r.integration_id::text <> v_origin);
  end if;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    perform pg_notify('${OUTBOX_CHANNEL}', v_table);
  end if;
  return null;
end
$fn$;`;

/** Installs (or replaces) the shared trigger function. Idempotent. */
export async function installCaptureFunction(db: pg.Pool | pg.PoolClient): Promise<void> {
  await db.query(captureFunctionSql);
}

/**
 * Installs the three capture triggers on a table, idempotently. Safe to call on every save of a
 * push resource; concurrent calls are serialised by an advisory lock on the table name.
 */
export async function ensureChangeCapture(pool: pg.Pool, schema: string, table: string): Promise<void> {
  assertIdentifier(schema, 'schema name');
  assertIdentifier(table, 'table name');
  await withTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`capture:${schema}.${table}`]);
    await installCaptureFunction(client);
    const relation = qualifiedName(schema, table);
    for (const [op, name] of Object.entries(TRIGGERS)) {
      const transition = op === 'DELETE' ? 'old table as old_rows' : 'new table as new_rows';
      await client.query(`drop trigger if exists ${quoteIdent(name)} on ${relation}`);
      await client.query(
        `create trigger ${quoteIdent(name)} after ${op.toLowerCase()} on ${relation}
           referencing ${transition} for each statement execute function ${FUNCTION_NAME}()`,
      );
    }
  });
}

export async function removeChangeCapture(pool: pg.Pool, schema: string, table: string): Promise<void> {
  const relation = qualifiedName(schema, table);
  for (const name of Object.values(TRIGGERS)) {
    await pool.query(`drop trigger if exists ${quoteIdent(name)} on ${relation}`);
  }
}

/** Runs `fn` in a transaction whose writes are marked as made by this integration (no echo). */
export async function withOrigin<T>(client: pg.PoolClient, integrationId: string, fn: () => Promise<T>): Promise<T> {
  await client.query(`select set_config('syncbridge.origin', $1, true)`, [integrationId]);
  return fn();
}
