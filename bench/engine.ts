// `pnpm bench engine`: the sync engine's own cost, against a connector that answers instantly.
//   push_rows_per_s        initial push of 100,000 rows (goal ≥ 5,000/s)
//   noop_resync_*          the same rows again, unchanged (goal: 0 API calls, ≤ 5 s)
//   latency_p50/p99_ms     commit → connector at 50 changes/s (goal ≤ 200 ms / ≤ 1 s)
//   peak_rss_mb            pushing 1,000,000 rows (goal ≤ 300 MB)
// BENCH_ROWS and BENCH_BIG_ROWS shrink the runs for a quick look.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createOutboxDrainer, pushAll, saveResource, type EngineContext } from '@syncbridge/engine';
import { benchContext, benchDatabase, benchDir, instantConnector, percentile, writeResults } from './lib.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 1_000_000);
const LATENCY_CHANGES = Number(process.env.BENCH_LATENCY_CHANGES ?? 500);

const mappings = [
  { local: 'title', external: 'name' },
  { local: 'description', external: 'notes' },
  { local: 'status', external: 'state' },
  { local: 'due_date', external: 'due', transform: { type: 'date' } },
];

async function newResource(ctx: EngineContext, table: 'tasks' | 'members', name: string) {
  const integration = await ctx.prisma.integration.create({ data: { name, type: 'GENERIC_REST', direction: 'PUSH' } });
  return saveResource(ctx, {
    integrationId: integration.id,
    name,
    resourceType: 'TASK',
    localTable: table,
    localKeyColumn: 'id',
    externalObject: name,
    direction: 'PUSH',
    fieldMappings:
      table === 'tasks'
        ? mappings
        : [
            { local: 'first_name', external: 'name' },
            { local: 'email', external: 'email' },
          ],
  });
}

async function main() {
  const bench = await benchDatabase();
  const fake = instantConnector();
  const ctx = benchContext(bench.db, () => fake.connector);
  try {
    // Rows first, resource second: an initial push of an existing table.
    await bench.db.pool.query(
      `insert into tasks (title, description, status, due_date)
       select 'Task ' || g, 'Benchmark row ' || g, (array['todo','in_progress','done'])[1 + g % 3], now() + (g || ' minutes')::interval
         from generate_series(1, $1) as g`,
      [ROWS],
    );
    const resource = await newResource(ctx, 'tasks', 'bench_tasks');

    let started = performance.now();
    const initial = await pushAll(ctx, resource.id, { jobType: 'INITIAL_IMPORT' });
    const pushSeconds = (performance.now() - started) / 1000;
    if (initial.created !== ROWS) throw new Error(`initial push created ${initial.created} of ${ROWS}`);

    fake.reset();
    started = performance.now();
    const noop = await pushAll(ctx, resource.id, { jobType: 'MANUAL_SYNC' });
    const noopSeconds = (performance.now() - started) / 1000;
    const noopCalls = fake.calls + noop.requests;
    if (noop.skipped !== ROWS) throw new Error(`no-op resync skipped ${noop.skipped} of ${ROWS}`);

    // Commit → connector latency at 50 changes/s through LISTEN/NOTIFY and the drainer.
    fake.reset();
    const drainer = createOutboxDrainer(ctx, { connectionString: bench.url, sweepIntervalMs: 60_000 });
    await drainer.start();
    const committed = new Map<string, number>();
    const { rows: ids } = await bench.db.pool.query<{ id: string }>('select id from tasks order by id limit $1', [
      LATENCY_CHANGES,
    ]);
    const tick = 1000 / 50;
    const t0 = performance.now();
    for (let i = 0; i < ids.length; i++) {
      const wait = t0 + i * tick - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const id = ids[i]!.id;
      await bench.db.pool.query(`update tasks set title = title || ' *' where id = $1`, [id]);
      committed.set(id, performance.now());
    }
    const deadline = performance.now() + 30_000;
    while (fake.arrivals.size < ids.length && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await drainer.stop();
    const latencies = [...committed].map(([id, at]) => (fake.arrivals.get(id) ?? Number.POSITIVE_INFINITY) - at);

    // Peak memory while pushing 1,000,000 rows.
    await bench.db.pool.query(
      `insert into members (first_name, email) select 'Member ' || g, 'm' || g || '@bench.test' from generate_series(1, $1) as g`,
      [BIG_ROWS],
    );
    const big = await newResource(ctx, 'members', 'bench_members');
    // Measured in a worker-like child process: this one also ran the migration engine.
    // The worker runs with a bounded old space (apps/worker sets the same flag), so measure that way.
    const child = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=128',
        '--max-semi-space-size=8',
        '--import',
        'tsx',
        path.join(benchDir, 'engine-big-push.ts'),
        bench.url,
        big.id,
      ],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (child.status !== 0) throw new Error(`big push failed: ${child.stderr}`);
    const bigPush = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
      created: number;
      peakMb: number;
      baselineMb: number;
    };
    if (bigPush.created !== BIG_ROWS) throw new Error(`big push created ${bigPush.created} of ${BIG_ROWS}`);

    await writeResults('engine', {
      rows: ROWS,
      push_rows_per_s: Math.round(ROWS / pushSeconds),
      push_s: Math.round(pushSeconds * 100) / 100,
      noop_resync_api_calls: noopCalls,
      noop_resync_s: Math.round(noopSeconds * 100) / 100,
      latency_changes: ids.length,
      latency_p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
      latency_p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
      big_rows: BIG_ROWS,
      peak_rss_mb: bigPush.peakMb,
      baseline_rss_mb: bigPush.baselineMb,
    });
  } finally {
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
