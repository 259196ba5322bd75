// Shared benchmark plumbing: a real Postgres (embedded unless BENCH_DATABASE_URL), a migrated
// database, an engine context, and a results file per benchmark.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { createDatabase, type Database } from '@syncbridge/db';
import {
  createTemplateDatabase,
  startTestServer,
  cloneDatabase,
  dropDatabase,
  dropTemplateDatabase,
} from '@syncbridge/db/testing';
import { hashablePayload, mapToExternal, type Connector, type ItemResult } from '@syncbridge/connectors';
import {
  createLogger,
  createPostgresRateLimiter,
  loadResource,
  recordHash,
  type ConnectorProvider,
  type EngineContext,
  type RateLimiter,
} from '@syncbridge/engine';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));

export interface BenchDatabase {
  db: Database;
  url: string;
  close(): Promise<void>;
}

export async function benchDatabase(): Promise<BenchDatabase> {
  const server = await startTestServer({ externalUrl: process.env.BENCH_DATABASE_URL });
  const template = await createTemplateDatabase(server.adminUrl, `sb_bench_template_${process.pid}`);
  const name = `sb_bench_${process.pid}`;
  const url = await cloneDatabase(server.adminUrl, template, name);
  const db = createDatabase({ connectionString: url, max: 10, applicationName: 'syncbridge-bench' });
  return {
    db,
    url,
    async close() {
      await db.close();
      await dropDatabase(server.adminUrl, name);
      await dropTemplateDatabase(server.adminUrl, template);
      await server.stop();
    },
  };
}

const quiet = new Writable({ write: (_chunk, _enc, done) => done() });

export function benchContext(db: Database, connectors: ConnectorProvider): EngineContext {
  return {
    pool: db.pool,
    prisma: db.prisma,
    logger: createLogger({ name: 'bench', level: 'warn', destination: quiet }),
    connectors,
    limiter: createPostgresRateLimiter(db.pool),
    retry: { baseMs: 50, maxMs: 1000 },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export type Results = Record<string, number | string>;

export async function writeResults(name: string, results: Results): Promise<void> {
  const file = path.join(benchDir, 'results', `${name}.json`);
  await mkdir(path.dirname(file), { recursive: true });
  const full = { ...results, node_version: process.version, cpu_count: os.cpus().length };
  await writeFile(file, `${JSON.stringify(full, null, 2)}\n`);
  console.log(`\n${name}`);
  console.table(Object.fromEntries(Object.entries(full).map(([k, v]) => [k, { value: v }])));
  console.log(`written to bench/results/${name}.json`);
}

/** Samples RSS every 50 ms while fn runs; returns fn's result and the peak in MB. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMb: Math.round((peak / 1024 / 1024) * 10) / 10 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * A connector that answers at once. With `trackArrivals` it remembers when each record first
 * arrived (for latency); without, it keeps nothing per record (for memory measurements).
 */
export function instantConnector(options: { trackArrivals?: boolean } = { trackArrivals: true }) {
  const arrivals = new Map<string, number>();
  let calls = 0;
  const connector: Connector = {
    type: 'GENERIC_REST',
    limits: { requestsPerWindow: 1_000_000, windowMs: 60_000, maxBatchSize: 500 },
    testConnection: async () => ({ ok: true, latencyMs: 0 }),
    async *listChanges() {},
    async upsertBatch(_ref, items): Promise<ItemResult[]> {
      calls++;
      const now = performance.now();
      return items.map((item) => {
        if (options.trackArrivals && !arrivals.has(item.internalId)) arrivals.set(item.internalId, now);
        return { internalId: item.internalId, ok: true, externalId: item.externalId ?? `ext-${item.internalId}` };
      });
    },
    async deleteBatch(_ref, items) {
      calls++;
      return items.map((i) => ({ internalId: i.internalId, ok: true as const, externalId: i.externalId }));
    },
    verifyWebhook: () => ({ ok: false, reason: 'malformed' }),
    parseWebhook: () => [],
    classifyError: (error) => ({ kind: 'retryable', message: String(error) }),
  };
  return {
    connector,
    arrivals,
    get calls() {
      return calls;
    },
    reset() {
      calls = 0;
      arrivals.clear();
    },
  };
}

export const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The engine limiter's safety margin (packages/engine/src/rate-limiter.ts): a slot taken with
 * acquire() is held `windowMs · LIMITER_FACTOR + LIMITER_MS`, so k such requests at N per W cannot
 * end before floor((k - 1) / N) · (W · 1.01 + 250 ms). A slot taken with send() (every batch the
 * engine sends) is held W · 1.01 plus the request's round trip instead, so this bound is the
 * pessimistic one.
 */
export const LIMITER_FACTOR = 1.01;
export const LIMITER_MS = 250;

/**
 * The API-bound minimum of k requests under a sliding window of N per W ms: the first N may go at
 * once and request i (from 0) not before floor(i / N) · W, so the last one bounds the run.
 */
export function apiBoundMs(requests: number, limit: number, windowMs: number): number {
  return Math.floor((requests - 1) / limit) * windowMs;
}

/**
 * The limiter with the time spent inside it added to `spent.limiterMs` (its queries and waits; for
 * send(), not the request it wraps) and each slot taken counted in `spent.acquires`.
 */
export function timedLimiter(limiter: RateLimiter, spent: { limiterMs: number; acquires: number }): RateLimiter {
  return {
    async acquire(limit, signal) {
      const started = performance.now();
      try {
        return await limiter.acquire(limit, signal);
      } finally {
        spent.limiterMs += performance.now() - started;
        spent.acquires++;
      }
    },
    async send(limit, request, signal) {
      const started = performance.now();
      let requestMs = 0;
      try {
        return await limiter.send(
          limit,
          async () => {
            const sent = performance.now();
            try {
              return await request();
            } finally {
              requestMs = performance.now() - sent;
            }
          },
          signal,
        );
      } finally {
        spent.limiterMs += performance.now() - started - requestMs;
        spent.acquires++;
      }
    },
  };
}

/**
 * Where a push's time goes: inside the engine's limiter (its queries and waits), inside the
 * connector's upsertBatch (HTTP, plus any throttle the connector awaits itself), and the rest.
 */
export function instrument(ctx: EngineContext): {
  ctx: EngineContext;
  spent: { limiterMs: number; acquires: number; connectorMs: number; batches: number };
} {
  const spent = { limiterMs: 0, acquires: 0, connectorMs: 0, batches: 0 };
  const limiter = ctx.limiter;
  const connectors = ctx.connectors;
  const timed = new WeakMap<Connector, Connector>();
  return {
    spent,
    ctx: {
      ...ctx,
      limiter: timedLimiter(limiter, spent),
      connectors: async (integration) => {
        const connector = await connectors(integration);
        let wrapped = timed.get(connector);
        if (!wrapped) {
          wrapped = {
            ...connector,
            async upsertBatch(ref, items) {
              const started = performance.now();
              try {
                return await connector.upsertBatch(ref, items);
              } finally {
                spent.connectorMs += performance.now() - started;
                spent.batches++;
              }
            },
          };
          timed.set(connector, wrapped);
        }
        return wrapped;
      },
    },
  };
}

/**
 * A worker pushing for a while has its mapping code compiled; a fresh process spends a few hundred
 * ms on the first rows. Maps `count` rows of the resource (nothing is sent or recorded) so a timed
 * push measures the steady state, as the SDK's load before it does.
 */
export async function warmMapping(ctx: EngineContext, resourceId: string, count = 500): Promise<void> {
  const loaded = await loadResource(ctx, resourceId);
  const { rows } = await ctx.pool.query<{ row: Record<string, unknown> }>(
    `select to_jsonb(t) as row from ${loaded.readRelation} t limit $1`,
    [count],
  );
  for (const { row } of rows)
    recordHash(hashablePayload(await mapToExternal(row, loaded.mappings, loaded.mappingContext), loaded.mappings));
}

/** One API-bound push run as the vendor sandbox saw it (Webflow, HubSpot). */
export interface ApiBoundRun {
  records: number;
  /** Requests the push had to make (k). */
  expectedRequests: number;
  /** Arrival times at the sandbox, sorted. */
  arrivals: number[];
  startedAt: number;
  wallMs: number;
  limit: number;
  windowMs: number;
  realLimit: number;
  realWindowMs: number;
  apiBoundMs: number;
  limiterBoundMs: number;
  maxInWindow: number;
  rejected: number;
  spent: { limiterMs: number; connectorMs: number; batches: number };
  /** Per-endpoint counters, for the error message. */
  endpoints: () => unknown;
}

/** Fails the bench when the sandbox saw other requests than planned, too many in a window, or a 429. */
export function assertApiBoundRun(run: ApiBoundRun): void {
  if (run.arrivals.length !== run.expectedRequests)
    throw new Error(
      `the sandbox saw ${run.arrivals.length} requests, expected ${run.expectedRequests}: ${JSON.stringify(run.endpoints())}`,
    );
  if (run.maxInWindow > run.limit)
    throw new Error(`the sandbox saw ${run.maxInWindow} requests in one ${run.windowMs} ms window, limit ${run.limit}`);
  if (run.rejected > 0) throw new Error(`the sandbox answered ${run.rejected} request(s) with 429`);
}

/** The figures every API-bound bench reports, keys as the issues name them. */
export function apiBoundFigures(run: ApiBoundRun): Results {
  const { arrivals, startedAt, wallMs, spent } = run;
  const otherMs = wallMs - spent.limiterMs - spent.connectorMs;
  const batches = Math.max(1, spent.batches);
  return {
    records: run.records,
    requests: arrivals.length,
    limit_requests: run.limit,
    window_ms: run.windowMs,
    api_bound_formula: `floor((k - 1) / N) * W = floor((${run.expectedRequests} - 1) / ${run.limit}) * ${run.windowMs} ms`,
    api_bound_min_s: round(run.apiBoundMs / 1000),
    issue_bound_s: round((run.expectedRequests / run.realLimit) * (run.realWindowMs / 1000)),
    limiter_bound_s: round(run.limiterBoundMs / 1000),
    wall_s: round(wallMs / 1000),
    api_bound_ratio: round(wallMs / run.apiBoundMs),
    limiter_bound_ratio: round(run.limiterBoundMs / run.apiBoundMs),
    max_requests_in_window: run.maxInWindow,
    rejected_429: run.rejected,
    first_request_after_s: round(((arrivals[0] ?? startedAt) - startedAt) / 1000),
    last_request_before_end_s: round((startedAt + wallMs - (arrivals.at(-1) ?? startedAt)) / 1000),
    engine_limiter_s: round(spent.limiterMs / 1000),
    connector_s: round(spent.connectorMs / 1000),
    connector_ms_per_batch: round(spent.connectorMs / batches, 1),
    engine_db_s: round(otherMs / 1000),
    engine_db_ms_per_batch: round(otherMs / batches, 1),
  };
}
