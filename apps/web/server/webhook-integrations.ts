// The webhook ingress's reads of the integration a delivery names. A burst of deliveries for one
// integration reads its row once a second at most (INTEGRATION_CACHE_TTL_MS) instead of once each,
// and what is derived from the row (the decrypted webhook secret, the connector's verifier) is
// computed once per row version.
//
// A remembered row is trusted for one decision only: accepting a delivery. The statement that then
// stores the delivery re-checks, atomically, that the row is still the one that decision was made on
// (`integrationVersionGuard`: status, webhook secret, updated_at), so a pause or a secret rotation
// committed a moment ago, by any process, makes that statement store nothing and the delivery is
// decided again on a fresh read. Every other answer (403, 401, 400, a handshake) is given on a fresh
// read too. No invalidation message is needed for any of this to hold; the TTL only bounds how long
// a changed row keeps costing one wasted insert attempt.
import type pg from 'pg';
import type { Connector } from '@syncbridge/connectors';
import type { Integration } from '@syncbridge/db';

export const INTEGRATION_CACHE_TTL_MS = 1000;
/** Remembered rows past which expired ones are swept (rows only exist for real integrations). */
const SWEEP_ABOVE = 1000;

/** One read of an integration row, with values derived from it memoised (memory only, never logged). */
export interface IntegrationVersion {
  readonly integration: Integration;
  /** The decrypted webhook secret, once a delivery needed it. */
  secret?: string;
  /** The connector's verifier, once a delivery needed it. */
  verify?: Connector['verifyWebhook'];
}

export interface IntegrationLookup {
  version: IntegrationVersion;
  /** From memory (read up to INTEGRATION_CACHE_TTL_MS ago) rather than for this delivery. */
  cached: boolean;
}

export interface IngressIntegrations {
  /** The row from memory when read less than the TTL ago, else from the database; null: no such row. */
  get(id: string): Promise<IntegrationLookup | null>;
  /** The row as the database has it now (remembered for the next deliveries). */
  refresh(id: string): Promise<IntegrationLookup | null>;
}

export interface IngressIntegrationsOptions {
  pool: pg.Pool;
  ttlMs?: number;
  /** Monotonic milliseconds (tests). */
  now?: () => number;
}

/**
 * The ingress's statements run as named prepared statements, so each pooled connection parses and
 * plans them once (pg-boss's job insert is a large one): measurably more deliveries per second
 * (bench/webhooks.ts). Session-level prepared statements: a PgBouncer in front of Postgres must run
 * in session mode, or be 1.21+ with max_prepared_statements set.
 */
const statementNames = new Map<string, string>();
export function prepared(text: string, values?: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (!name) {
    name = `sb_ingress_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/** Every Integration field is its column's name in camelCase (schema.prisma's @map). */
const fieldNames = new Map<string, string>();
function integrationFromRow(row: Record<string, unknown>): Integration {
  const fields: Record<string, unknown> = {};
  for (const column in row) {
    let field = fieldNames.get(column);
    if (field === undefined) {
      field = column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
      fieldNames.set(column, field);
    }
    fields[field] = row[column];
  }
  return fields as unknown as Integration;
}

/**
 * SQL condition (over `integrations` aliased `alias`) that holds while the row is still the version
 * a decision was made on: the three SQL expressions (parameters or columns) carry the values of
 * `integrationVersionValues`. `updated_at` moves on every Prisma update (settings, credentials,
 * status…); status and the secret are compared too, so that a raw SQL pause or rotation that leaves
 * updated_at alone is caught as well.
 */
export function integrationVersionGuard(
  alias: string,
  values: { status: string; updatedAt: string; secret: string },
): string {
  return (
    `${alias}.status::text = (${values.status})::text ` +
    `and ${alias}.updated_at = (${values.updatedAt})::timestamptz ` +
    `and ${alias}.webhook_secret_enc is not distinct from (${values.secret})::text`
  );
}

export function integrationVersionValues(integration: Integration): unknown[] {
  return [integration.status, integration.updatedAt, integration.webhookSecretEnc ?? null];
}

export function createIngressIntegrations(options: IngressIntegrationsOptions): IngressIntegrations {
  const { pool } = options;
  const ttlMs = Math.min(options.ttlMs ?? INTEGRATION_CACHE_TTL_MS, INTEGRATION_CACHE_TTL_MS);
  const now = options.now ?? (() => performance.now());
  const remembered = new Map<string, { version: IntegrationVersion; readAt: number }>();
  const reading = new Map<string, Promise<IntegrationVersion | null>>();

  async function read(id: string): Promise<IntegrationVersion | null> {
    const readAt = now();
    const { rows } = await pool.query(prepared('select * from integrations where id = $1', [id]));
    const row = rows[0] as Record<string, unknown> | undefined;
    const version: IntegrationVersion | null = row ? { integration: integrationFromRow(row) } : null;
    const known = remembered.get(id);
    if (!version) remembered.delete(id);
    else if (!known || known.readAt <= readAt) {
      if (remembered.size >= SWEEP_ABOVE) {
        for (const [key, entry] of remembered) if (now() - entry.readAt >= ttlMs) remembered.delete(key);
      }
      remembered.set(id, { version, readAt });
    }
    return version;
  }

  const fresh = async (id: string): Promise<IntegrationLookup | null> => {
    const version = await read(id);
    return version ? { version, cached: false } : null;
  };

  return {
    async get(id) {
      const known = remembered.get(id);
      if (known && now() - known.readAt < ttlMs) return { version: known.version, cached: true };
      // Concurrent deliveries for an expired row share one read; it was made for the first of them
      // only (the others may have arrived after it started), so for them it counts as remembered.
      const pending = reading.get(id);
      if (pending) {
        const version = await pending;
        return version ? { version, cached: true } : fresh(id);
      }
      const started = read(id).finally(() => reading.delete(id));
      reading.set(id, started);
      const version = await started;
      return version ? { version, cached: false } : null;
    },
    refresh: fresh,
  };
}
