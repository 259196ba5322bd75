// `pnpm bench hubspot` (issue C2): an initial push of 10,000 members to the HubSpot sandbox at the
// Professional/Enterprise limit, 190 requests per 10 s and 100 records a request, through the real
// engine (pushAll, Postgres rate limiter), the connector the engine's registry builds (official
// `@hubspot/api-client` over HTTP) with flow S5's resource (members ↔ contacts, two-way) and an
// in-process sandbox enforcing the limit.
//
// 10,000 records are k = 100 batch-create requests, which the real 10 s window admits at once. To make
// the limit bind, the window is shortened keeping the ratio: N requests per W ms with N / W = 190 /
// 10 s (19 a second) and 100 records a request; the connector reports and the sandbox enforces N per W.
//
//   api_bound_min_s   floor((k - 1) / N) · W (sliding window: the first N go at once, request i not
//                     before floor(i / N) · W). issue_bound_s, k / 19 seconds, for comparison.
//   wall_s            wall time of pushAll (rows inserted first, then the resource saved).
//   api_bound_ratio   wall_s / api_bound_min_s (goal ≤ 1.15).
//   max_requests_in_window  most requests the sandbox admitted in any W (≤ N), with no 429.
//
// Window (BENCH_HUBSPOT_WINDOW_MS; N = 19 per second of it must be whole, e.g. 1,000 / 2,000 / 5,000):
// the default 95 per 5,000 ms makes the limit bind once (floor(99 / 95) = 1). The engine's limiter
// holds each slot 1% + 250 ms longer than W, so request k - 1 cannot go before t(k - 1 - N) + 1.01 · W +
// 250 ms: limiter_bound_s (1.06×). Shorter windows bind more often and pay the fixed 250 ms each time.
// The limit binds only if the engine sends 95 requests of 100 records within ~5.3 s (≥ 1,800
// records/s with HTTP): max_requests_in_window below N means the push was CPU- or database-bound.
//
// Before the timed push the connector's SDK is loaded (a read) and the mapping code warmed on 500 rows
// (nothing sent): a worker that has run for a while has both. BENCH_DEBUG=1 prints request times.
import { createHubSpotSandbox } from '@syncbridge/connectors/sandboxes';
import {
  createConnectorProvider,
  generateKey,
  parseKeyRing,
  pushAll,
  saveResource,
  s5MembersResource,
  S5_HUBSPOT_PROPERTIES,
  S5_KEY_PROPERTY,
} from '@syncbridge/engine';
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

const RECORDS = Number(process.env.BENCH_HUBSPOT_RECORDS ?? 10_000);
const REAL_LIMIT = 190;
const REAL_WINDOW_MS = 10_000;
const RECORDS_PER_REQUEST = 100;
const WINDOW_MS = Number(process.env.BENCH_HUBSPOT_WINDOW_MS ?? 5_000);
const LIMIT = (WINDOW_MS * REAL_LIMIT) / REAL_WINDOW_MS;
const TOKEN = 'bench-hubspot-token';
const BATCH_CREATE = 'POST /crm/v3/objects/:objectType/batch/create';

async function main() {
  if (!Number.isInteger(LIMIT) || LIMIT < 1) {
    throw new Error(
      `BENCH_HUBSPOT_WINDOW_MS=${WINDOW_MS} gives ${LIMIT} requests per window at 190/10 s: pick a multiple of 1000 / 19 ms`,
    );
  }
  const requests = Math.ceil(RECORDS / RECORDS_PER_REQUEST);
  const apiBound = apiBoundMs(requests, LIMIT, WINDOW_MS);
  if (apiBound === 0) throw new Error(`${requests} requests fit in one window of ${LIMIT}: the limit does not bind`);
  const limiterBoundMs = Math.floor((requests - 1) / LIMIT) * (WINDOW_MS * LIMITER_FACTOR + LIMITER_MS);

  const sandbox = createHubSpotSandbox({
    accessToken: TOKEN,
    requestsPerWindow: LIMIT,
    windowMs: WINDOW_MS,
    contactProperties: [...S5_HUBSPOT_PROPERTIES],
  });
  const server = await sandbox.start();
  const bench = await benchDatabase();
  try {
    const keyRing = parseKeyRing(`bench:${generateKey()}`);
    const provider = createConnectorProvider({ pool: bench.db.pool, keyRing });
    const { keyId, ciphertext } = keyRing.encrypt(JSON.stringify({ accessToken: TOKEN }));
    const integration = await bench.db.prisma.integration.create({
      data: {
        name: 'Members ↔ HubSpot',
        type: 'HUBSPOT',
        direction: 'BIDIRECTIONAL',
        conflictStrategy: 'LATEST_WINS',
        baseUrl: server.url,
        credentialsEnc: ciphertext,
        credentialsKeyId: keyId,
        settings: { requestsPerWindow: LIMIT, windowMs: WINDOW_MS },
      },
    });
    const connector = await provider(integration);
    const { ctx, spent } = instrument(benchContext(bench.db, () => connector));

    await bench.db.pool.query(
      `insert into members (first_name, last_name, email, phone, status, role)
       select 'Member', 'No. ' || g, 'm' || g || '@bench.test', '+1 555 ' || lpad(g::text, 6, '0'),
              (array['active','inactive','pending'])[1 + g % 3], (array['steward','member'])[1 + g % 2]
         from generate_series(1, $1) as g`,
      [RECORDS],
    );
    const resource = await saveResource(ctx, s5MembersResource(integration.id));
    // The SDK loads on the connector's first request: a worker has it loaded long before any push,
    // so load it now with a read. Whatever setup sent is then forgotten on both sides.
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
    const contacts = sandbox.objects.contacts.all();
    const rejected = sandbox.limiter.rejected;
    if (process.env.BENCH_DEBUG) console.log(arrivals.map((t) => t - startedAt).join(' '));
    if (outcome.created !== RECORDS || outcome.failed !== 0)
      throw new Error(`push created ${outcome.created} and failed ${outcome.failed} of ${RECORDS}`);
    if (contacts.length !== RECORDS)
      throw new Error(`the portal holds ${contacts.length} contacts, expected ${RECORDS}`);
    if (new Set(contacts.map((c) => c.properties[S5_KEY_PROPERTY])).size !== RECORDS)
      throw new Error('contacts share a syncbridge_id');
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
    await writeResults('hubspot', {
      ...apiBoundFigures(run),
      batch_create_requests: sandbox.counters.count(BATCH_CREATE),
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
