// `pnpm bench --soak 10m` (issue R1): flows S1 (event app → Smartsheet) and S5 (members ↔ HubSpot)
// under the real worker process (apps/worker/src/main.ts: pg-boss, the LISTEN/NOTIFY outbox drainer,
// the retry promotion cron) while both sandboxes answer 10% of requests with a 5xx and 5% with a 429,
// on top of their real rate limits, and a generator makes local and external changes at a steady rate.
//
//   fault phase   BENCH_SOAK_MS (the runner's --soak duration). The generator makes ~5 local changes
//                 a second (profiles, RSVPs, connections, members: inserts and edits) and one external
//                 one (a HubSpot contact's phone edited "by a person"); S5 is pulled every 10 s and S1's
//                 analytics pushed every 30 s, as the dispatcher would on a schedule. Every 10 s: the
//                 worker's RSS and heap (its own /metrics), the outbox, the job backlog (pg-boss jobs
//                 waiting or running) and the items waiting for a retry or FAILED.
//   heal          generator stopped, faults off; wait until the outbox, the job queues and the retry
//                 backlog are empty (quiescence). Items that used up their retry budget (FAILED) are
//                 counted, then retried once as an admin would (retryFailedItems), and the run waits
//                 for quiescence again.
//   check         every record compared with the other side: each public profile in the
//                 registrations sheet with its current name, each public RSVP with its status, each
//                 public connection, each member ↔ contact with equal fields (local edits pushed,
//                 external edits pulled).
//
//   success_within_budget_pct  records never FAILED (delivered by the engine's own retries) / records
//   success_eventually_pct     records matching the other side at the end / records
//   worker_rss_growth_mb       worker RSS at the last fault-phase sample − at the first (likewise heap)
//   samples                    the 10 s time series
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createHubSpotSandbox, createSmartsheetSandbox } from '@syncbridge/connectors/sandboxes';
import {
  createConnectorProvider,
  createLogger,
  enqueueResourceSync,
  generateKey,
  parseKeyRing,
  retryFailedItems,
  s1EventResources,
  s5MembersResource,
  saveResource,
  S1_COLUMN_TYPES,
  S1_SHEET_COLUMNS,
  S5_HUBSPOT_PROPERTIES,
  S5_KEY_PROPERTY,
} from '@syncbridge/engine';
import { createJobSender } from '../apps/web/server/webhooks.ts';
import { benchContext, benchDatabase, benchDir, round } from './lib.ts';

const SOAK_MS = Number(process.env.BENCH_SOAK_MS ?? 10 * 60_000);
const SAMPLE_MS = 10_000;
const LOCAL_CHANGES_PER_S = 5;
const EXTERNAL_CHANGES_PER_S = 1;
const PULL_EVERY_MS = 10_000;
const ANALYTICS_EVERY_MS = 30_000;
const QUIESCENCE_TIMEOUT_MS = 6 * 60_000;
const FAULTS = { errorRate: 0.1, rateLimitRate: 0.05 };
const SMARTSHEET_TOKEN = 'soak-smartsheet-token';
const HUBSPOT_TOKEN = 'soak-hubspot-token';
const workerDir = path.join(benchDir, '..', 'apps', 'worker');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/** A seeded generator, so two soaks make the same changes. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface WorkerHandle {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** The real worker entry point in its own process; its log goes to a file (path printed). */
async function startWorker(env: Record<string, string>, logFile: string): Promise<WorkerHandle> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: workerDir,
    env: { ...process.env, WORKER_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stderr!.pipe(log);
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      buffered += String(chunk);
      const line = buffered.split('\n').find((l) => l.includes('"worker started"'));
      const health = line ? /"health":"http:\/\/[^"]+:(\d+)\/healthz"/.exec(line) : null;
      if (health?.[1]) {
        child.stdout!.off('data', onData);
        child.stdout!.pipe(log);
        resolve(Number(health[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready; log: ${logFile}`)));
  });
  return {
    child,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Worker memory from its own Prometheus endpoint (prom-client's default process metrics). */
async function workerMemory(port: number): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: metric('process_resident_memory_bytes'), heap: metric('nodejs_heap_size_used_bytes') };
}

async function main() {
  const started = Date.now();
  const bench = await benchDatabase();
  const smartsheet = createSmartsheetSandbox({ accessToken: SMARTSHEET_TOKEN, seed: 11 });
  const hubspot = createHubSpotSandbox({
    accessToken: HUBSPOT_TOKEN,
    seed: 12,
    contactProperties: [...S5_HUBSPOT_PROPERTIES],
  });
  const smartsheetServer = await smartsheet.start();
  const hubspotServer = await hubspot.start();
  const keySpec = `soak:${generateKey()}`;
  const keyRing = parseKeyRing(keySpec);
  const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
  const logger = createLogger({ name: 'soak', level: 'warn', destination: quiet });
  const jobs = createJobSender({ connectionString: bench.url, logger });
  let worker: WorkerHandle | null = null;
  const timers: NodeJS.Timeout[] = [];
  try {
    await jobs.ready;
    const db = bench.db;
    const ctx = benchContext(db, createConnectorProvider({ pool: db.pool, keyRing }));
    const credentials = (value: unknown) => {
      const { keyId, ciphertext } = keyRing.encrypt(JSON.stringify(value));
      return { credentialsEnc: ciphertext, credentialsKeyId: keyId };
    };

    // S1: four sheets with the preset's columns, one Smartsheet integration, its four resources.
    const sheet = (name: string, titles: readonly string[]) =>
      smartsheet.sheets.createSheet({
        name,
        columns: titles.map((title, i) => ({ title, type: S1_COLUMN_TYPES[title], primary: i === 0 })),
      }).id;
    const sheets = {
      registrations: sheet('User Registrations', S1_SHEET_COLUMNS.registrations),
      rsvps: sheet('Session RSVPs', S1_SHEET_COLUMNS.rsvps),
      connections: sheet('Connections', S1_SHEET_COLUMNS.connections),
      analytics: sheet('Session Analytics', S1_SHEET_COLUMNS.analytics),
    };
    const s1 = await db.prisma.integration.create({
      data: {
        name: 'Event app → Smartsheet',
        type: 'SMARTSHEET',
        direction: 'PUSH',
        frequency: 'MANUAL',
        baseUrl: `${smartsheetServer.url}/2.0`,
        ...credentials({ accessToken: SMARTSHEET_TOKEN }),
      },
    });
    const s1Resources: Record<string, string> = {};
    const sheetIds = Object.fromEntries(Object.entries(sheets).map(([k, v]) => [k, String(v)])) as Record<
      keyof typeof sheets,
      string
    >;
    for (const input of s1EventResources(s1.id, sheetIds))
      s1Resources[input.name] = (await saveResource(ctx, input)).id;
    // S5: members ↔ HubSpot contacts.
    const s5 = await db.prisma.integration.create({
      data: {
        name: 'Members ↔ HubSpot',
        type: 'HUBSPOT',
        direction: 'BIDIRECTIONAL',
        frequency: 'MANUAL',
        conflictStrategy: 'LATEST_WINS',
        baseUrl: hubspotServer.url,
        ...credentials({ accessToken: HUBSPOT_TOKEN }),
      },
    });
    const s5Resource = (await saveResource(ctx, s5MembersResource(s5.id))).id;

    // Seed (captured into the outbox, delivered by the worker under faults like everything else).
    await db.pool.query(
      `insert into event_sessions (title, speaker, track, start_time, location, capacity)
       select 'Session ' || g, 'Speaker ' || g, (array['AI/ML','Cybersecurity'])[1 + g % 2], now() + (g || ' days')::interval, 'Room ' || g, 100
         from generate_series(1, 10) as g`,
    );
    await db.pool.query(
      `insert into profiles (full_name, email, role, organization, profile_visibility)
       select 'Person ' || g, 'seed' || g || '@soak.test', (array['student','faculty','industry','staff'])[1 + g % 4], 'Org ' || (g % 7),
              case when g % 5 = 0 then 'private' else 'public' end
         from generate_series(1, 300) as g`,
    );
    await db.pool.query(
      `insert into members (first_name, last_name, email, status)
       select 'Member', 'Seed ' || g, 'member' || g || '@soak.test', (array['active','inactive','pending'])[1 + g % 3]
         from generate_series(1, 300) as g`,
    );

    smartsheet.faults.set(FAULTS);
    hubspot.faults.set(FAULTS);
    const allow = [smartsheetServer.url, hubspotServer.url].map((url) => new URL(url).host).join(',');
    const logFile = path.join(os.tmpdir(), `syncbridge-soak-worker-${process.pid}.log`);
    worker = await startWorker(
      { DATABASE_URL: bench.url, ENCRYPTION_KEYS: keySpec, OUTBOUND_ALLOWLIST: allow },
      logFile,
    );
    console.log(`worker started (pid ${worker.child.pid}, log ${logFile}); fault phase ${SOAK_MS / 1000} s`);

    // ── Sampling ──────────────────────────────────────────────────────────────────────────────
    const phaseStart = Date.now();
    const everFailed = new Set<string>();
    const samples: Record<string, number | string>[] = [];
    const sample = async (phase: string) => {
      const memory = await workerMemory(worker!.port).catch(() => ({ rss: Number.NaN, heap: Number.NaN }));
      const {
        rows: [counts],
      } = await db.pool.query<{ outbox: number; pending: number; failed: number; queued: number; active: number }>(
        `select (select count(*)::int from change_outbox) as outbox,
                (select count(*)::int from integration_mappings where status = 'PENDING_SYNC') as pending,
                (select count(*)::int from integration_mappings where status = 'FAILED') as failed,
                (select count(*)::int from pgboss.job where name like 'sync.%' and state in ('created', 'retry')) as queued,
                (select count(*)::int from pgboss.job where name like 'sync.%' and state = 'active') as active`,
      );
      const { rows: failedNow } = await db.pool.query<{ k: string }>(
        `select resource_id || ':' || internal_id as k from integration_mappings where status = 'FAILED'`,
      );
      for (const row of failedNow) everFailed.add(row.k);
      const entry = {
        t_s: round((Date.now() - phaseStart) / 1000, 1),
        phase,
        worker_rss_mb: mb(memory.rss),
        worker_heap_mb: mb(memory.heap),
        outbox_pending: counts!.outbox,
        job_backlog: counts!.queued + counts!.active,
        jobs_queued: counts!.queued,
        jobs_active: counts!.active,
        items_waiting_retry: counts!.pending,
        items_failed: counts!.failed,
        faults_5xx: smartsheet.faults.injected.error + hubspot.faults.injected.error,
        faults_429: smartsheet.faults.injected.rate_limit + hubspot.faults.injected.rate_limit,
      };
      samples.push(entry);
      console.log(
        `${String(entry.t_s).padStart(6)} s  ${phase.padEnd(5)} rss ${entry.worker_rss_mb} MB  heap ${entry.worker_heap_mb} MB  outbox ${entry.outbox_pending}  jobs ${entry.job_backlog}  retry ${entry.items_waiting_retry}  failed ${entry.items_failed}`,
      );
    };
    let sampling = Promise.resolve();
    const samplePhase = { name: 'fault' };
    timers.push(
      setInterval(() => {
        sampling = sampling
          .then(() => sample(samplePhase.name))
          .catch((error: unknown) => console.error('sample failed', error));
      }, SAMPLE_MS),
    );
    await sample('fault');

    // ── Generator ─────────────────────────────────────────────────────────────────────────────
    const random = rng(42);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
    const counters = { local: 0, external: 0, errors: 0 };
    let serial = 0;
    const localChange = async () => {
      serial++;
      const op = serial % 8;
      if (op === 0 || op === 4) {
        await db.pool.query(
          `insert into profiles (full_name, email, role, profile_visibility) values ($1, $2, 'student', $3)`,
          [`Soak Person ${serial}`, `soak${serial}@soak.test`, random() < 0.2 ? 'private' : 'public'],
        );
      } else if (op === 1) {
        await db.pool.query(
          `update profiles set full_name = $1, updated_at = now() where id = (select id from profiles order by random() limit 1)`,
          [`Renamed ${serial}`],
        );
      } else if (op === 2) {
        await db.pool.query(
          `insert into rsvps (user_id, session_id, status)
           select (select id from profiles order by random() limit 1), (select id from event_sessions order by random() limit 1), $1
           on conflict do nothing`,
          [pick(['attending', 'maybe', 'cancelled'])],
        );
      } else if (op === 3) {
        await db.pool.query(
          `update rsvps set status = $1, updated_at = now() where id = (select id from rsvps order by random() limit 1)`,
          [pick(['attending', 'maybe', 'cancelled'])],
        );
      } else if (op === 5) {
        await db.pool.query(
          `insert into connections (scanner_id, scanned_id, connection_method)
           select a.id, b.id, $1 from (select id from profiles order by random() limit 1) a, (select id from profiles order by random() limit 1) b
            where a.id <> b.id`,
          [pick(['qr_scan', 'manual_entry'])],
        );
      } else if (op === 6) {
        await db.pool.query(`insert into members (first_name, last_name, email) values ('Member', $1, $2)`, [
          `Soak ${serial}`,
          `soak-member${serial}@soak.test`,
        ]);
      } else {
        await db.pool.query(
          `update members set last_name = $1, updated_at = now() where id = (select id from members order by random() limit 1)`,
          [`Edited ${serial}`],
        );
      }
      counters.local++;
    };
    const externalChange = () => {
      const live = hubspot.objects.contacts.live();
      if (live.length === 0) return;
      const contact = pick(live);
      // A person edits the phone in HubSpot (no fault: the sandbox store is the vendor's own side).
      hubspot.objects.contacts.update(contact.id, {
        phone: `+1 555 ${String(Math.floor(random() * 1e6)).padStart(6, '0')}`,
      });
      counters.external++;
    };
    const guard = (fn: () => unknown) => async () => {
      try {
        await fn();
      } catch (error) {
        counters.errors++;
        if (counters.errors <= 3) console.error('generator:', error);
      }
    };
    const generatorTimers = [
      setInterval(guard(localChange), 1000 / LOCAL_CHANGES_PER_S),
      setInterval(guard(externalChange), 1000 / EXTERNAL_CHANGES_PER_S),
      setInterval(
        guard(() => enqueueResourceSync(jobs.sender, { resourceId: s5Resource, direction: 'pull', trigger: 'soak' })),
        PULL_EVERY_MS,
      ),
      setInterval(
        guard(() =>
          enqueueResourceSync(jobs.sender, {
            resourceId: s1Resources.session_analytics!,
            direction: 'push',
            trigger: 'soak',
          }),
        ),
        ANALYTICS_EVERY_MS,
      ),
    ];
    await sleep(SOAK_MS);
    for (const timer of generatorTimers) clearInterval(timer);
    const faultSamples = [...samples];

    // ── Heal and wait ─────────────────────────────────────────────────────────────────────────
    smartsheet.faults.clear();
    hubspot.faults.clear();
    samplePhase.name = 'heal';
    // The last external edits and RSVP changes reach the worker through one more pull / push each.
    await enqueueResourceSync(jobs.sender, { resourceId: s5Resource, direction: 'pull', trigger: 'soak' });
    await enqueueResourceSync(jobs.sender, {
      resourceId: s1Resources.session_analytics!,
      direction: 'push',
      trigger: 'soak',
    });
    const quiescent = async () => {
      const {
        rows: [c],
      } = await db.pool.query<{ n: number }>(
        `select (select count(*)::int from change_outbox)
              + (select count(*)::int from integration_mappings where status = 'PENDING_SYNC')
              + (select count(*)::int from pgboss.job where name like 'sync.%' and state in ('created', 'retry', 'active')) as n`,
      );
      return c!.n === 0;
    };
    const waitQuiet = async () => {
      const deadline = Date.now() + QUIESCENCE_TIMEOUT_MS;
      // Twice in a row, 2 s apart: a pull that just finished may have queued a push.
      let quietTimes = 0;
      while (Date.now() < deadline && quietTimes < 2) {
        quietTimes = (await quiescent()) ? quietTimes + 1 : 0;
        await sleep(2000);
      }
      return quietTimes >= 2;
    };
    const healStarted = Date.now();
    const quietAfterHeal = await waitQuiet();
    const quiescenceS = round((Date.now() - healStarted) / 1000, 1);
    await sample('heal');
    const { rows: failedRows } = await db.pool.query<{ resource_id: string; n: number }>(
      `select resource_id, count(*)::int as n from integration_mappings where status = 'FAILED' group by resource_id`,
    );
    const failedAtQuiescence = failedRows.reduce((sum, r) => sum + r.n, 0);
    // An admin retries what ran out of attempts.
    for (const row of failedRows) await retryFailedItems(ctx, row.resource_id);
    const quietAfterRetry = failedRows.length === 0 ? quietAfterHeal : await waitQuiet();
    await sample('final');

    // ── Check every record against the other side ────────────────────────────────────────────
    const byKey = (sheetId: number, column: string) =>
      new Map(smartsheet.sheets.readRows(sheetId).map((row) => [String(row.values[column]), row.values]));
    const registrations = byKey(sheets.registrations, 'User ID');
    const rsvpRows = byKey(sheets.rsvps, 'RSVP ID');
    const connectionRows = byKey(sheets.connections, 'Connection ID');
    const contacts = new Map(
      hubspot.objects.contacts.live().map((c) => [c.properties[S5_KEY_PROPERTY] ?? `email:${c.properties.email}`, c]),
    );
    const contactsByEmail = new Map(hubspot.objects.contacts.live().map((c) => [c.properties.email, c]));
    const records: { key: string; ok: boolean }[] = [];
    const resourceOf = {
      profiles: s1Resources.user_registrations!,
      rsvps: s1Resources.session_rsvps!,
      connections: s1Resources.connections!,
      members: s5Resource,
    };
    const { rows: profiles } = await db.pool.query<{ id: string; full_name: string; profile_visibility: string }>(
      'select id::text as id, full_name, profile_visibility from profiles',
    );
    for (const p of profiles) {
      const row = registrations.get(p.id);
      const ok = p.profile_visibility === 'private' ? !row : row?.['Full Name'] === p.full_name;
      records.push({ key: `${resourceOf.profiles}:${p.id}`, ok });
    }
    const { rows: rsvps } = await db.pool.query<{ id: string; status: string; public: boolean }>(
      `select id::text as id, status, profile_visibility <> 'private' as public from rsvp_sheet_rows`,
    );
    for (const r of rsvps)
      records.push({
        key: `${resourceOf.rsvps}:${r.id}`,
        ok: r.public ? rsvpRows.get(r.id)?.['RSVP Status'] === r.status : !rsvpRows.has(r.id),
      });
    const { rows: conns } = await db.pool.query<{ id: string; both_public: boolean }>(
      'select id::text as id, both_public from connection_sheet_rows',
    );
    for (const c of conns)
      records.push({ key: `${resourceOf.connections}:${c.id}`, ok: c.both_public === connectionRows.has(c.id) });
    const { rows: members } = await db.pool.query<{
      id: string;
      email: string;
      first_name: string;
      last_name: string | null;
      phone: string | null;
      status: string;
    }>('select id::text as id, email, first_name, last_name, phone, status from members');
    for (const m of members) {
      const contact = contacts.get(m.id) ?? contactsByEmail.get(m.email);
      const p = contact?.properties;
      const ok =
        !!p &&
        p.email === m.email &&
        p.firstname === m.first_name &&
        (p.lastname || null) === m.last_name &&
        (p.phone || null) === m.phone &&
        p.membership_status === m.status;
      records.push({ key: `${resourceOf.members}:${m.id}`, ok });
    }
    const total = records.length;
    const delivered = records.filter((r) => r.ok).length;
    const failedEver = records.filter((r) => everFailed.has(r.key)).length;
    const first = faultSamples[1] ?? faultSamples[0]!;
    const last = faultSamples.at(-1)!;
    const series = (key: string) => faultSamples.map((s) => Number(s[key])).filter(Number.isFinite);

    const results = {
      soak_s: round(SOAK_MS / 1000),
      local_changes: counters.local,
      external_changes: counters.external,
      generator_errors: counters.errors,
      records: total,
      records_delivered: delivered,
      records_failed_in_budget: failedEver,
      failed_at_quiescence: failedAtQuiescence,
      success_within_budget_pct: round((100 * (total - failedEver)) / Math.max(1, total), 3),
      success_eventually_pct: round((100 * delivered) / Math.max(1, total), 3),
      missing_after_quiescence: total - delivered,
      quiescent_after_heal: quietAfterHeal ? 1 : 0,
      quiescent_at_end: quietAfterRetry ? 1 : 0,
      quiescence_s: quiescenceS,
      worker_rss_start_mb: Number(first.worker_rss_mb),
      worker_rss_end_mb: Number(last.worker_rss_mb),
      worker_rss_peak_mb: Math.max(...series('worker_rss_mb')),
      worker_rss_growth_mb: round(Number(last.worker_rss_mb) - Number(first.worker_rss_mb), 1),
      worker_heap_start_mb: Number(first.worker_heap_mb),
      worker_heap_end_mb: Number(last.worker_heap_mb),
      worker_heap_growth_mb: round(Number(last.worker_heap_mb) - Number(first.worker_heap_mb), 1),
      max_outbox_pending: Math.max(...series('outbox_pending')),
      max_job_backlog: Math.max(...series('job_backlog')),
      max_items_waiting_retry: Math.max(...series('items_waiting_retry')),
      faults_5xx: Number(last.faults_5xx),
      faults_429: Number(last.faults_429),
      smartsheet_requests: smartsheet.counters.total,
      hubspot_requests: hubspot.counters.total,
      wall_s: round((Date.now() - started) / 1000, 1),
      node_version: process.version,
      cpu_count: os.cpus().length,
      samples,
    };
    const file = path.join(benchDir, 'results', 'soak.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    const { samples: _series, ...flat } = results;
    console.log('\nsoak');
    console.table(Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, { value: v }])));
    console.log('written to bench/results/soak.json');
  } finally {
    for (const timer of timers) clearInterval(timer);
    await worker?.stop();
    await jobs.stop();
    await smartsheetServer.close();
    await hubspotServer.close();
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
