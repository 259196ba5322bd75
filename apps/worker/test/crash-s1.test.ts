// Flow S1 (event app → Smartsheet) with the worker SIGKILLed again and again: once in the middle of
// a "sync all" (a pg-boss job), then at seeded random writes while profiles are added, renamed and
// made private or public. Each time a fresh worker takes over. At the end the sheet holds exactly
// the public profiles, each once and current; nothing waits in the outbox, no run is left RUNNING
// and no queue job is left active.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createSmartsheetSandbox, startSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import {
  ABANDONED_MESSAGE,
  enqueueResourceSync,
  s1EventResources,
  saveResource,
  S1_COLUMN_TYPES,
  S1_SHEET_COLUMNS,
} from '@syncbridge/engine';
import {
  crashableWorker,
  crashAtRandomRequests,
  encryptedCredentials,
  runningExecutions,
  seededRandom,
  testKeyRing,
  testQueue,
  requestProbe,
} from './processes.ts';
import { testEngineContext } from './support.ts';

// CRASH_SEED replays another set of crash points (the seed is in the log line and failure message).
const SEED = Number(process.env.CRASH_SEED ?? 20_240_601);
const SHEET_TOKEN = 'crash-s1-token';
const INITIAL_PROFILES = 600; // there before the resource: the "sync all" pushes them
const ADDED_PROFILES = 900; // 36 commits of 25 while the worker runs
const RANDOM_KILLS = 4;
const db = useTestDatabase();
// Unlimited rate and a little latency, so a kill on arrival finds the write in flight.
const sandbox = createSmartsheetSandbox({
  accessToken: SHEET_TOKEN,
  requestsPerWindow: 1_000_000,
  faults: { latencyMs: 15 },
});
const probe = requestProbe(sandbox.app, (req) => req.method !== 'GET');
const keys = testKeyRing();
const random = seededRandom(SEED); // kill points
const workload = seededRandom(SEED + 1); // which profiles change, and in which order
let server: SandboxServer;
let queue: Awaited<ReturnType<typeof testQueue>> | undefined;
let worker: ReturnType<typeof crashableWorker>;

beforeAll(async () => {
  server = await startSandbox(probe.app);
});
afterAll(async () => {
  await worker?.stopAll();
  await queue?.stop();
  await server?.close();
});

const profileSql = (from: number, count: number) =>
  db.pool.query(
    `insert into profiles (full_name, email, organization, profile_visibility)
     select 'Person ' || g, 'p' || g || '@crash-s1.test', 'Org ' || (g % 7), case when g % 5 = 0 then 'private' else 'public' end
       from generate_series($1::int, $1::int + $2::int - 1) as g`,
    [from, count],
  );

/** Profiles picked at random (seeded): ordered by email, so the pick replays with the seed. */
async function randomProfiles(count: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>('select id::text as id from profiles order by email');
  return Array.from({ length: count }, () => workload.pick(rows).id);
}

describe('S1 push with the worker killed at random points', () => {
  it('ends with every public profile in the sheet exactly once', { timeout: 150_000 }, async () => {
    const started = Date.now();
    const sheetId = sandbox.sheets.createSheet({
      name: 'User Registrations',
      columns: S1_SHEET_COLUMNS.registrations.map((title, i) => ({
        title,
        type: S1_COLUMN_TYPES[title],
        primary: i === 0,
      })),
    }).id;
    await profileSql(1, INITIAL_PROFILES);
    const integration = await db.prisma.integration.create({
      data: {
        name: 'Event app → Smartsheet',
        type: 'SMARTSHEET',
        direction: 'PUSH',
        baseUrl: `${server.url}/2.0`,
        settings: { requestsPerWindow: 1_000_000, windowMs: 60_000 },
        ...encryptedCredentials(keys.ring, { accessToken: SHEET_TOKEN }),
      },
    });
    const input = s1EventResources(integration.id, {
      registrations: String(sheetId),
      rsvps: '0',
      connections: '0',
      analytics: '0',
    }).find((r) => r.name === 'user_registrations')!;
    const resource = await saveResource(testEngineContext(db), input);

    worker = crashableWorker({ DATABASE_URL: db.url, ENCRYPTION_KEYS: keys.spec, WORKER_CONCURRENCY: '2' });
    await worker.start();
    queue = await testQueue(db, db.url);

    // The app's changes while the worker runs (and dies): 36 commits of new profiles, and 12 each
    // renaming 15 profiles and flipping 5 between public and private, in a seeded order.
    const ops: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < ADDED_PROFILES / 25; i++) ops.push(() => profileSql(INITIAL_PROFILES + 1 + i * 25, 25));
    const rename = async (round: number) =>
      db.pool.query(
        `update profiles set full_name = 'Renamed ' || $2::int || ' ' || email, updated_at = now() where id = any($1::uuid[])`,
        [await randomProfiles(15), round],
      );
    for (let i = 0; i < 12; i++) {
      ops.push(() => rename(i));
      ops.push(async () =>
        db.pool.query(
          `update profiles set profile_visibility = case when profile_visibility = 'private' then 'public' else 'private' end,
                  updated_at = now() where id = any($1::uuid[])`,
          [await randomProfiles(5)],
        ),
      );
    }
    for (let i = ops.length - 1; i > 0; i--) {
      const j = workload.int(0, i);
      [ops[i], ops[j]] = [ops[j]!, ops[i]!];
    }
    const outbox = async () =>
      (await db.pool.query<{ n: number }>('select count(*)::int as n from change_outbox')).rows[0]!.n;

    // Kill 1: the "sync all" has sent its first batch, whose response is still on the way. The
    // worker stays down until pg-boss has noticed the missed heartbeat, put the job up for a retry
    // and refreshed its queue stats (a restarted pg-boss caches those for a minute and skips a key
    // they list as active: CI once waited that minute); meanwhile the app changes, into the outbox
    // only.
    const syncAll = await enqueueResourceSync(queue.sender, {
      resourceId: resource.id,
      direction: 'push',
      trigger: 'manual:test',
    });
    expect(syncAll.queued).toBe(true);
    await probe.at('arrived', 1, 30_000);
    const syncAllState = async () => (await queue!.states([syncAll.jobId!]))[syncAll.jobId!];
    await worker.crash(async () => {
      for (const op of ops.slice(0, 3)) await op();
      await vi.waitFor(
        async () => {
          expect(await syncAllState()).toBe('retry');
          expect(await queue!.listedActive()).toEqual([]);
        },
        { timeout: 30_000, interval: 100 },
      );
    });
    const killPoints = ['sync all: first batch in flight'];
    await vi
      .waitFor(async () => expect(await syncAllState()).toBe('completed'), { timeout: 60_000, interval: 100 })
      .catch(async (error: unknown) => {
        const runs = await db.pool.query(
          'select job_type::text, status::text, trigger, error_message, created_at from job_executions order by created_at',
        );
        throw new Error(
          `the "sync all" was not retried to completion: ${String(error).slice(0, 300)}\n` +
            `job: ${await queue!.describe(syncAll.jobId!)}\nruns: ${JSON.stringify(runs.rows)}\n` +
            worker.output().slice(-8000),
        );
      });

    // Then the app keeps changing while kills land at random writes.
    let killed = false;
    const killing = crashAtRandomRequests(worker, probe, random, {
      kills: RANDOM_KILLS,
      gap: [2, 8],
      timeoutMs: 60_000,
      // Should a kill cut a sync run short: down until its job is up for retry, as above.
      downUntil: () =>
        vi.waitFor(
          async () => {
            expect(await queue!.activeSyncJobs()).toEqual([]);
            expect(await queue!.listedActive()).toEqual([]);
          },
          { timeout: 30_000, interval: 100 },
        ),
    });
    killing.then(
      () => (killed = true),
      () => (killed = true), // awaited below
    );
    // Every op, then more renames until the last kill has landed (a slow machine batches more).
    for (let i = 3; i < ops.length || (!killed && i < ops.length + 100); i++) {
      await (ops[i] ?? (() => rename(i)))();
      // Paced by the worker (dead or alive): at most about two commits waiting at any time.
      await vi.waitFor(async () => expect(await outbox()).toBeLessThanOrEqual(50), { timeout: 60_000, interval: 20 });
    }
    killPoints.push(...(await killing));
    const workloadMs = Date.now() - started;

    // Settled: the sheet is the public profiles, the "sync all" was retried to completion, and
    // no run is RUNNING any more.
    const expected = async () =>
      (
        await db.pool.query<{ id: string; full_name: string; email: string; profile_visibility: string }>(
          `select id::text as id, full_name, email, profile_visibility from profiles where profile_visibility <> 'private'`,
        )
      ).rows;
    const sheetRows = () => sandbox.sheets.readRows(sheetId);
    /** What differs between the sheet and the public profiles, for a failure message. */
    const sheetDiff = async () => {
      const want = new Map((await expected()).map((p) => [p.id, p]));
      const seen = new Map<string, number>();
      for (const r of sheetRows())
        seen.set(String(r.values['User ID']), (seen.get(String(r.values['User ID'])) ?? 0) + 1);
      const twice = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
      const extra = [...seen.keys()].filter((k) => !want.has(k));
      const missing = [...want.keys()].filter((k) => !seen.has(k));
      const { rows: maps } = await db.pool.query(
        'select internal_id, external_id, status::text, attempts, last_error from integration_mappings where internal_id = any($1::text[])',
        [[...twice, ...extra, ...missing].slice(0, 10)],
      );
      return JSON.stringify({ twice: twice.length, extra: extra.length, missing: missing.length, sample: maps });
    };
    await vi
      .waitFor(
        async () => {
          expect(await outbox()).toBe(0);
          expect(await syncAllState()).toBe('completed');
          expect(await runningExecutions(db)).toEqual([]);
          expect(sheetRows()).toHaveLength((await expected()).length);
        },
        { timeout: 60_000, interval: 250 },
      )
      .catch(async (error: unknown) => {
        throw new Error(
          `seed ${SEED} did not settle: ${String(error)}\n${await sheetDiff()}\n${worker.output().slice(-6000)}`,
        );
      });

    const want = await expected();
    const rows = sheetRows();
    const byKey = new Map(rows.map((r) => [String(r.values['User ID']), r.values]));
    expect(byKey.size).toBe(rows.length); // no profile twice
    expect(new Set(byKey.keys())).toEqual(new Set(want.map((p) => p.id))); // none missing, no private one
    for (const p of want) {
      expect(byKey.get(p.id)).toMatchObject({
        'Full Name': p.full_name,
        Email: p.email,
        'Profile Status': p.profile_visibility,
      });
    }
    const { rows: mappings } = await db.pool.query<{ internal_id: string; external_id: string | null; status: string }>(
      'select internal_id, external_id, status::text from integration_mappings where resource_id = $1',
      [resource.id],
    );
    expect(mappings.every((m) => m.status === 'SYNCED')).toBe(true);
    expect(new Set(mappings.map((m) => m.external_id))).toEqual(new Set(rows.map((r) => String(r.id))));
    expect(await queue.stuck()).toEqual([]);
    expect(worker.kills).toBe(1 + RANDOM_KILLS);
    // The run the first kill cut short is on record as failed, not running.
    const runs = await db.prisma.jobExecution.findMany({
      where: { resourceId: resource.id, jobType: 'MANUAL_SYNC' },
      orderBy: { createdAt: 'asc' },
    });
    expect(runs[0]).toMatchObject({ status: 'FAILED', errorMessage: ABANDONED_MESSAGE });
    expect(runs.at(-1)?.status).toBe('COMPLETED');

    console.info(
      `crash-s1: seed ${SEED}, ${worker.kills} kills (${killPoints.join('; ')}), ${INITIAL_PROFILES + ADDED_PROFILES} profiles, ` +
        `${want.length} in the sheet, ${probe.counts.arrived} writes, restarts ${worker.downtimesMs.join('/')} ms, ` +
        `workload done at ${workloadMs} ms, total ${Date.now() - started} ms`,
    );
  });
});
