// `pnpm bench webhooks` (issue A1): webhook ingress throughput and latency. Target: at least 1,500
// deliveries/s with p99 at most 50 ms.
//
// Two servers in this process, measured one after the other with the same load:
//   web   the real web app (apps/web/server/app.ts: request logging at info, webhook router,
//         metrics) over a real Postgres and pg-boss: each delivery's integration is read (from
//         memory for up to 1 s), its signature and timestamp checked, then the event and its
//         pg-boss job are written by one statement (shared by deliveries that arrive together).
//   bare  a bare Express app: express.raw plus the same HMAC and timestamp check, then 200.
// The load comes from autocannon in a child process (bench/webhooks-load.ts), so it does not share an
// event loop with the server; on 2 cores it still shares the CPU with the server and Postgres, which
// the bare run pays too. Every request is a new signed delivery (unique id, fresh signature).
//
//   *_rps              2xx answers per second over the run
//   *_p50_ms, *_p99_ms latency as autocannon measures it (send to last byte)
//   *_errors, *_non2xx connection errors / timeouts, and answers other than 2xx
//   rps_ratio          web_rps / bare_rps; p99_ratio web_p99 / bare_p99
//   *_cpu_ms_per_request  CPU time of the server process per request (Postgres and the load
//                      generator not included): steadier than the rates on a busy machine
//   web_postgres_cpu_ms_per_request  CPU time of the Postgres server (every backend) per web request,
//                      when it runs on this machine (/proc; absent for a remote BENCH_DATABASE_URL)
//   stored_events      webhook_events rows after both web runs: at least every 2xx counted (no
//                      loss; at most one more per connection, answered after autocannon stopped
//                      counting), and queued_jobs, the sync.webhook jobs, exactly as many
//
// BENCH_WEBHOOK_SECONDS (default 10) per measured run, BENCH_WEBHOOK_CONNECTIONS (default 50),
// BENCH_WEBHOOK_POOL (the web's pool size, default WEB_DATABASE_POOL_SIZE as apps/web/server.ts uses).
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { verifyRestWebhook } from '@syncbridge/connectors';
import { createDatabase, type Database } from '@syncbridge/db';
import { createLogger, generateKey, parseKeyRing, QueueName } from '@syncbridge/engine';
import { createWebServer, webRoot, type WebServer } from '../apps/web/server/app.ts';
import {
  createJobSender,
  createWebhookRouter,
  WEB_DATABASE_POOL_SIZE,
  WEBHOOK_BODY_LIMIT,
} from '../apps/web/server/webhooks.ts';
import { benchDatabase, benchDir, writeResults } from './lib.ts';
import type { LoadConfig, LoadResult } from './webhooks-load.ts';

const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const CONNECTIONS = Number(process.env.BENCH_WEBHOOK_CONNECTIONS ?? 50);
const POOL = Number(process.env.BENCH_WEBHOOK_POOL ?? WEB_DATABASE_POOL_SIZE);
const SECRET = 'bench-webhook-secret-0123456789abcdef';

type App = WebServer['app'];
type Handler = Parameters<App['post']>[1];
/** The bench has no dependency of its own on express: it borrows the web app's. */
interface ExpressModule {
  (): App;
  raw(options: { type: () => boolean; limit: string }): Handler;
}
const express = createRequire(path.join(webRoot, 'package.json'))('express') as ExpressModule;

function bareApp(): App {
  const app = express();
  app.disable('x-powered-by');
  app.post('/hook', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verified = verifyRestWebhook(
      { method: req.method, url: req.originalUrl, headers: req.headers, rawBody },
      SECRET,
    );
    if (!verified.ok) res.status(401).json({ error: verified.reason });
    else res.status(200).json({ status: 'accepted' });
  });
  return app;
}

function listen(app: App): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    );
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function load(config: LoadConfig): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(benchDir, 'webhooks-load.ts'), JSON.stringify(config)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{'))
        return reject(new Error(`load generator exited ${code}: ${out.slice(-500)}`));
      resolve(JSON.parse(last) as LoadResult);
    });
  });
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * CPU milliseconds used so far by the local Postgres server behind `pool`: the postmaster, its live
 * children and (cutime/cstime) those that exited. Null when /proc cannot tell (not Linux, remote).
 */
async function postgresCpuMs(pool: Database['pool']): Promise<number | null> {
  const ticksPerMs = 100 / 1000; // /proc reports USER_HZ (100 on Linux) ticks
  const statOf = async (pid: string) => {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  };
  try {
    const { rows } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
    const postmaster = (await statOf(String(rows[0]!.pid)))[1]!;
    let ticks = 0;
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const fields = await statOf(pid).catch(() => null);
      if (!fields) continue;
      if (pid === postmaster)
        ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      else if (fields[1] === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / ticksPerMs;
  } catch {
    return null;
  }
}

function figures(name: string, result: LoadResult) {
  return {
    [`${name}_rps`]: round(result['2xx'] / result.duration),
    [`${name}_p50_ms`]: result.latency.p50,
    [`${name}_p99_ms`]: result.latency.p99,
    [`${name}_max_ms`]: result.latency.max,
    [`${name}_requests`]: result.requests.total,
    [`${name}_errors`]: result.errors + result.timeouts,
    [`${name}_non2xx`]: result.non2xx,
  };
}

async function main() {
  const bench = await benchDatabase();
  // The web app gets a pool of its own, sized as in production (apps/web/server.ts).
  const db = createDatabase({ connectionString: bench.url, max: POOL, applicationName: 'syncbridge-web' });
  const keyRing = parseKeyRing(`b1:${generateKey()}`);
  // Request logging stays on at info, as in production: the lines are serialised, then dropped.
  const logger = createLogger({
    name: 'web',
    level: 'info',
    destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  const { keyId, ciphertext } = keyRing.encrypt(SECRET);
  const integration = await db.prisma.integration.create({
    data: {
      name: 'Bench REST',
      type: 'GENERIC_REST',
      baseUrl: 'http://127.0.0.1:9/api',
      webhookSecretEnc: ciphertext,
      webhookSecretKeyId: keyId,
    },
  });
  const jobs = createJobSender({ connectionString: bench.url, logger });
  await jobs.ready;
  const webhooks = createWebhookRouter({ db, logger, keyRing, sendJob: jobs.sender });
  const web = await createWebServer({ db, logger, mode: 'api-only', webhooks, api: { keyRing, sendJob: jobs.sender } });
  const webServer = await listen(web.app);
  const bareServer = await listen(bareApp());
  const webPath = `/api/webhooks/integrations/${integration.id}/receive`;

  const run = (url: string, target: string, seconds: number, prefix: string) =>
    load({ url, path: target, secret: SECRET, seconds, connections: CONNECTIONS, prefix });
  try {
    console.log(`warming up (${WARMUP_SECONDS} s each), then ${SECONDS} s per server at ${CONNECTIONS} connections`);
    await run(bareServer.url, '/hook', WARMUP_SECONDS, 'warm-bare');
    const warm = await run(webServer.url, webPath, WARMUP_SECONDS, 'warm-web');
    // This process's CPU time per answered request: what the server itself costs, whatever else
    // the machine is doing (Postgres and the load generator are other processes).
    const cpuMsPer = async (target: () => Promise<LoadResult>) => {
      const before = process.cpuUsage();
      const result = await target();
      const used = process.cpuUsage(before);
      return { result, cpuMs: round((used.user + used.system) / 1000 / Math.max(1, result.requests.total), 3) };
    };
    const bare = await cpuMsPer(() => run(bareServer.url, '/hook', SECONDS, 'bare'));
    const postgresBefore = await postgresCpuMs(db.pool);
    const web = await cpuMsPer(() => run(webServer.url, webPath, SECONDS, 'web'));
    const postgresAfter = await postgresCpuMs(db.pool);
    const real = web.result;

    const { rows } = await db.pool.query<{ events: number; jobs: number }>(
      `select (select count(*)::int from webhook_events) as events,
              (select count(*)::int from pgboss.job where name = $1) as jobs`,
      [QueueName.syncWebhook],
    );
    // autocannon stops counting at the deadline with up to one request per connection in flight;
    // the server still stores those, so each run may store up to CONNECTIONS more than it counted.
    const accepted = warm['2xx'] + real['2xx'];
    const events = rows[0]?.events ?? 0;
    if (events < accepted || events > accepted + 2 * CONNECTIONS || rows[0]?.jobs !== events) {
      throw new Error(`stored ${events} events and ${rows[0]?.jobs} jobs for ${accepted} counted 2xx answers`);
    }
    const results = {
      ...figures('web', real),
      ...figures('bare', bare.result),
      web_cpu_ms_per_request: web.cpuMs,
      bare_cpu_ms_per_request: bare.cpuMs,
      ...(postgresBefore !== null && postgresAfter !== null
        ? {
            web_postgres_cpu_ms_per_request: round(
              (postgresAfter - postgresBefore) / Math.max(1, real.requests.total),
              3,
            ),
          }
        : {}),
      rps_ratio: round(real['2xx'] / real.duration / (bare.result['2xx'] / bare.result.duration), 3),
      p99_ratio: round(real.latency.p99 / Math.max(bare.result.latency.p99, 1), 2),
      stored_events: events,
      queued_jobs: rows[0]!.jobs,
      connections: CONNECTIONS,
      seconds: SECONDS,
      web_pool: POOL,
      // The machine's 1-minute load when the runs ended: above the core count, other work competed.
      load_avg_1m: round(os.loadavg()[0] ?? 0, 2),
      target_rps: 1500,
      target_p99_ms: 50,
    };
    await writeResults('webhooks', results);
    const webRps = real['2xx'] / real.duration;
    const clean = real.errors + real.timeouts + real.non2xx === 0;
    const ok = webRps >= results.target_rps && real.latency.p99 <= results.target_p99_ms && clean;
    console.log(ok ? 'target met' : 'target NOT met (≥ 1,500 deliveries/s, p99 ≤ 50 ms, no errors)');
  } finally {
    await close(webServer.server);
    await close(bareServer.server);
    await web.close();
    await jobs.stop();
    await db.close();
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
