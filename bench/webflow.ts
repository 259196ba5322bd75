// `pnpm bench webflow` (issue C2): an initial push of 10,000 members to the Webflow sandbox at the
// CMS plan's limit, 120 requests per 60 s and 100 items a request, through the real engine (pushAll,
// Postgres rate limiter), the connector the engine's registry builds (official SDK over HTTP, items
// published after they are written) and an in-process sandbox enforcing the limit.
//
// Every request counts, as Webflow counts them: each upsertBatch of 100 items is a bulk create and a
// Publish Items request, so 10,000 items are k = 200 requests (100 creates + 100 publishes). The
// engine's limiter takes one slot per connector call, which would let the vendor see two requests per
// slot; the integration's write cap (settings.writeCapPerMinute / writeCapWindowMs, see
// packages/engine/src/write-cap.ts) throttles every write request the connector sends, publish
// included, through the same Postgres limiter. It is set to the vendor's limit here.
//
//   api_bound_min_s   floor((k - 1) / N) · W. With a sliding window of N per W the first N requests
//                     may go at once and request i (from 0) not before floor(i / N) · W; the last,
//                     i = k - 1, bounds the push (issue_bound_s, k / 120 minutes, for comparison).
//   wall_s            wall time of pushAll (rows inserted first, then the resource saved).
//   api_bound_ratio   wall_s / api_bound_min_s (goal ≤ 1.15).
//   max_requests_in_window  most requests the sandbox admitted in any W (≤ N), with no 429.
//
// Window: the real 60 s by default (k = 200 > N = 120, so the limit binds). The limiter holds each
// slot 1% + 250 ms longer than W (packages/engine/src/rate-limiter.ts), so request k - 1 cannot go
// before t(k - 1 - N) + 1.01 · W + 250 ms: limiter_bound_s; the first 80 requests go as fast as the
// engine makes them, and their spacing carries over to the last 80. BENCH_WEBFLOW_WINDOW_MS shortens
// the window keeping 120 per 60 s (a multiple of 500 ms).
//
// Before the timed push the connector's SDK is loaded (a read) and the mapping code warmed on 500 rows
// (nothing sent): a worker that has run for a while has both. BENCH_DEBUG=1 prints request times.
import { createWebflowSandbox } from '@syncbridge/connectors/sandboxes';
import { createConnectorProvider, generateKey, parseKeyRing, pushAll, saveResource } from '@syncbridge/engine';
import {
  apiBoundMs,
  apiBoundFigures,
  assertApiBoundRun,
  benchContext,
  type ApiBoundRun,
  benchDatabase,
  instrument,
  warmMapping,
  LIMITER_FACTOR,
  LIMITER_MS,
  writeResults,
} from './lib.ts';

const RECORDS = Number(process.env.BENCH_WEBFLOW_RECORDS ?? 10_000);
const REAL_LIMIT = 120;
const REAL_WINDOW_MS = 60_000;
const ITEMS_PER_REQUEST = 100;
const WINDOW_MS = Number(process.env.BENCH_WEBFLOW_WINDOW_MS ?? REAL_WINDOW_MS);
const LIMIT = (WINDOW_MS * REAL_LIMIT) / REAL_WINDOW_MS;
const TOKEN = 'bench-webflow-token';
const CREATE = 'POST /v2/collections/:collectionId/items';
const PUBLISH = 'POST /v2/collections/:collectionId/items/publish';

async function main() {
  if (!Number.isInteger(LIMIT) || LIMIT < 1) {
    throw new Error(
      `BENCH_WEBFLOW_WINDOW_MS=${WINDOW_MS} gives ${LIMIT} requests per window at 120/60 s: pick a multiple of 500 ms`,
    );
  }
  const batches = Math.ceil(RECORDS / ITEMS_PER_REQUEST);
  const requests = 2 * batches; // bulk create + publish per batch
  const apiBound = apiBoundMs(requests, LIMIT, WINDOW_MS);
  if (apiBound === 0) throw new Error(`${requests} requests fit in one window of ${LIMIT}: the limit does not bind`);
  const limiterBoundMs = Math.floor((requests - 1) / LIMIT) * (WINDOW_MS * LIMITER_FACTOR + LIMITER_MS);

  const sandbox = createWebflowSandbox({ accessToken: TOKEN, requestsPerWindow: LIMIT, windowMs: WINDOW_MS });
  const server = await sandbox.start();
  const bench = await benchDatabase();
  try {
    const collection = sandbox.collections.createCollection({
      displayName: 'Members',
      fields: ['syncbridge-id', 'email', 'status'],
    });
    const keyRing = parseKeyRing(`bench:${generateKey()}`);
    const provider = createConnectorProvider({ pool: bench.db.pool, keyRing });
    const { keyId, ciphertext } = keyRing.encrypt(JSON.stringify({ accessToken: TOKEN }));
    const integration = await bench.db.prisma.integration.create({
      data: {
        name: 'Members → Webflow',
        type: 'WEBFLOW',
        direction: 'PUSH',
        baseUrl: `${server.url}/v2`,
        credentialsEnc: ciphertext,
        credentialsKeyId: keyId,
        // The vendor's limit for the engine (per call) and as the write cap (per request).
        settings: {
          requestsPerWindow: LIMIT,
          windowMs: WINDOW_MS,
          writeCapPerMinute: LIMIT,
          writeCapWindowMs: WINDOW_MS,
        },
      },
    });
    const connector = await provider(integration);
    const { ctx, spent } = instrument(benchContext(bench.db, () => connector));

    await bench.db.pool.query(
      `insert into members (first_name, email, status)
       select 'Member ' || g, 'm' || g || '@bench.test', (array['active','inactive','pending'])[1 + g % 3]
         from generate_series(1, $1) as g`,
      [RECORDS],
    );
    const resource = await saveResource(ctx, {
      integrationId: integration.id,
      name: 'bench_webflow_members',
      resourceType: 'MEMBER',
      localTable: 'members',
      localKeyColumn: 'id',
      externalObject: collection.id,
      externalKeyField: 'syncbridge-id',
      direction: 'PUSH',
      fieldMappings: [
        { local: 'first_name', external: 'name' },
        { local: 'email', external: 'email' },
        { local: 'status', external: 'status' },
      ],
    });
    // The SDK loads on the connector's first request (about a second): a worker has it loaded
    // long before any push, so load it now with a read. Whatever setup sent is then forgotten on
    // both sides: the push starts on a quiet window.
    const probe = await connector.testConnection();
    if (!probe.ok) throw new Error(`the sandbox refused the connection test: ${probe.message}`);
    await warmMapping(ctx, resource.id);
    await bench.db.pool.query('delete from rate_limit_events');
    sandbox.limiter.reset();
    sandbox.counters.reset();

    const startedAt = Date.now();
    const outcome = await pushAll(ctx, resource.id, { jobType: 'INITIAL_IMPORT' });
    const wallMs = Date.now() - startedAt;

    const arrivals = sandbox.counters.timestamps().sort((a, b) => a - b);
    const maxInWindow = sandbox.counters.maxRequestsInWindow(WINDOW_MS);
    const staged = sandbox.collections.list(collection.id, { offset: 0, limit: 1, live: false }).pagination.total;
    const live = sandbox.collections.list(collection.id, { offset: 0, limit: 1, live: true }).pagination.total;
    const rejected = sandbox.limiter.rejected;
    if (process.env.BENCH_DEBUG) console.log(arrivals.map((t) => t - startedAt).join(' '));
    if (outcome.created !== RECORDS || outcome.failed !== 0)
      throw new Error(`push created ${outcome.created} and failed ${outcome.failed} of ${RECORDS}`);
    if (staged !== RECORDS || live !== RECORDS)
      throw new Error(`the collection holds ${staged} staged and ${live} live items, expected ${RECORDS}`);
    const run: ApiBoundRun = {
      records: RECORDS,
      expectedRequests: requests,
      arrivals,
      startedAt,
      wallMs,
      limit: LIMIT,
      windowMs: WINDOW_MS,
      realLimit: REAL_LIMIT,
      realWindowMs: REAL_WINDOW_MS,
      apiBoundMs: apiBound,
      limiterBoundMs,
      maxInWindow,
      rejected,
      spent,
      endpoints: () => sandbox.counters.byEndpoint(),
    };
    assertApiBoundRun(run);
    await writeResults('webflow', {
      ...apiBoundFigures(run),
      create_requests: sandbox.counters.count(CREATE),
      publish_requests: sandbox.counters.count(PUBLISH),
      live_items: live,
    });
  } finally {
    await server.close();
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
