// Worker processes for tests that need real ones: killed with SIGKILL, or two side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Database } from '@syncbridge/db';
import { generateKey, parseKeyRing, saveResource, type JobSender, type KeyRing } from '@syncbridge/engine';
import { PgBoss, type SendOptions } from 'pg-boss';
import type { RestSandbox } from '@syncbridge/connectors/sandboxes';
import { testEngineContext } from './support.ts';

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: workerDir,
    // The sandboxes listen on 127.0.0.1, which the worker's SSRF guard refuses unless allowlisted.
    env: { ...process.env, WORKER_PORT: '0', LOG_LEVEL: 'info', OUTBOUND_ALLOWLIST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(String(chunk));
      if (String(chunk).includes('"worker started"')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(String(chunk)));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output.join('')}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    output,
    ready,
    kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}

export const TOKEN = 'worker-test-token';

export function testKeyRing(): { spec: string; ring: KeyRing } {
  const spec = `t1:${generateKey()}`;
  return { spec, ring: parseKeyRing(spec) };
}

/** A REST integration pointing at the sandbox, its token encrypted like a real one. */
export async function restIntegration(
  db: Database,
  ring: KeyRing,
  baseUrl: string,
  settings: { requestsPerWindow: number; windowMs: number; maxBatchSize: number },
) {
  const { keyId, ciphertext } = ring.encrypt(JSON.stringify({ token: TOKEN }));
  return db.prisma.integration.create({
    data: {
      name: 'REST peer',
      type: 'GENERIC_REST',
      baseUrl,
      authType: 'BEARER_TOKEN',
      credentialsEnc: ciphertext,
      credentialsKeyId: keyId,
      settings,
      direction: 'PUSH',
    },
  });
}

export async function pushResource(db: Database, integrationId: string, table: 'tasks' | 'members') {
  const mappings =
    table === 'tasks'
      ? [
          { local: 'title', external: 'title' },
          { local: 'status', external: 'status' },
        ]
      : [
          { local: 'first_name', external: 'name' },
          { local: 'email', external: 'email' },
        ];
  return saveResource(testEngineContext(db), {
    integrationId,
    name: table,
    resourceType: table === 'tasks' ? 'TASK' : 'MEMBER',
    localTable: table,
    localKeyColumn: 'id',
    externalObject: table,
    externalKeyField: 'internal_id',
    direction: 'PUSH',
    fieldMappings: mappings,
  });
}

/**
 * Serves a sandbox behind a front that measures, per collection, how many requests were in
 * flight at once: more than one means two runs of the same resource overlapped.
 */
export function withOverlapProbe(sandbox: RestSandbox) {
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const app = express();
  app.use((req, res, next) => {
    const collection = /\/v1\/collections\/([^/]+)/.exec(req.path)?.[1];
    if (!collection || req.method === 'GET') return next();
    const now = (inFlight.get(collection) ?? 0) + 1;
    inFlight.set(collection, now);
    maxInFlight.set(collection, Math.max(maxInFlight.get(collection) ?? 0, now));
    res.on('close', () => inFlight.set(collection, (inFlight.get(collection) ?? 1) - 1));
    next();
  });
  app.use(sandbox.app);
  return { app, maxInFlight };
}

// ── Crash tests: worker processes killed at random points, and the queue around them ──

/** A seeded random source (mulberry32): a failing run's seed replays the same crash points. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)]! };
}

/**
 * One worker at a time that a test SIGKILLs and restarts: `crash()` kills the current process with
 * no warning (no shutdown hooks run) and waits for the next one to be ready.
 */
export function crashableWorker(env: Record<string, string>) {
  const started: WorkerProcess[] = [];
  const downtimesMs: number[] = [];
  let kills = 0;
  const current = () => started[started.length - 1];
  async function start(): Promise<WorkerProcess> {
    const worker = startWorkerProcess(env);
    started.push(worker);
    await worker.ready;
    return worker;
  }
  return {
    start,
    get current() {
      return current();
    },
    get kills() {
      return kills;
    },
    /** From each kill to the next worker's "worker started". */
    downtimesMs,
    /** Kills the current worker, waits for `downUntil` (if given: the worker stays down), then starts the next. */
    async crash(downUntil?: () => Promise<unknown>): Promise<void> {
      const victim = current();
      if (!victim) throw new Error('no worker to crash');
      kills++;
      const killedAt = Date.now();
      await victim.kill('SIGKILL');
      await downUntil?.();
      await start();
      downtimesMs.push(Date.now() - killedAt);
    },
    /** Everything every process printed, for failure messages. */
    output: () => started.map((w, i) => `── worker ${i + 1} ──\n${w.output.join('')}`).join('\n'),
    async stopAll(): Promise<void> {
      for (const worker of started) await worker.kill('SIGKILL');
    },
  };
}

/**
 * Fronts a sandbox and counts the requests `counted` selects (its writes, say), on arrival (the
 * worker is waiting for the answer: a write is made but its ids never reach the worker) and once
 * answered (the worker has the ids but may not have recorded them yet): the moments a crash hurts
 * most. `at(edge, n)` resolves when the count reaches n.
 */
export function requestProbe(target: express.Express, counted: (req: express.Request) => boolean) {
  const counts = { arrived: 0, answered: 0 };
  const waiters: { edge: keyof typeof counts; n: number; resolve: () => void }[] = [];
  const bump = (edge: keyof typeof counts) => {
    counts[edge]++;
    for (const waiter of [...waiters]) {
      if (waiter.edge === edge && counts[edge] >= waiter.n) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const app = express();
  app.use((req, res, next) => {
    if (counted(req)) {
      bump('arrived');
      res.on('finish', () => bump('answered'));
    }
    next();
  });
  app.use(target);
  return {
    app,
    counts,
    at(edge: keyof typeof counts, n: number, timeoutMs: number): Promise<void> {
      if (counts[edge] >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`sandbox saw ${counts[edge]} requests ${edge}, not ${n}, within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          edge,
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        waiters.push(waiter);
      });
    },
  };
}

/**
 * Kills the worker `kills` times, each after a random number of further counted requests (`gap`),
 * on a random edge (arrived / answered). Returns where each kill landed.
 */
export async function crashAtRandomRequests(
  worker: ReturnType<typeof crashableWorker>,
  probe: ReturnType<typeof requestProbe>,
  random: ReturnType<typeof seededRandom>,
  options: { kills: number; gap: [number, number]; timeoutMs: number; downUntil?: () => Promise<unknown> },
): Promise<string[]> {
  const points: string[] = [];
  for (let k = 0; k < options.kills; k++) {
    const edge = random.next() < 0.5 ? 'arrived' : 'answered';
    const n = probe.counts[edge] + random.int(...options.gap);
    await probe.at(edge, n, options.timeoutMs);
    points.push(`request ${n} ${edge}`);
    await worker.crash(options.downUntil);
  }
  return points;
}

/**
 * The queue as a test sees it: a sender for "sync now" jobs and a pg-boss supervisor. A killed
 * worker's job stays `active` until its heartbeat is missed (60 s on the sync queues, checked by a
 * supervise pass every 60 s); here the test's jobs carry pg-boss's shortest heartbeat (10 s) and
 * this instance supervises every second, so the same recovery happens within a test's time.
 */
export async function testQueue(db: Pick<Database, 'pool'>, databaseUrl: string) {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: 'pgboss',
    supervise: true,
    superviseIntervalSeconds: 1,
    monitorIntervalSeconds: 1,
    schedule: false,
    migrate: false,
  });
  boss.on('error', () => undefined); // a killed worker's connections vanish; nothing to report here
  await boss.start();
  const sender: JobSender = {
    send: ((name: string, data: object, options: SendOptions = {}) =>
      boss.send(name, data, { ...options, heartbeatSeconds: 10, retryDelay: 1, retryLimit: 10 })) as PgBoss['send'],
  };
  return {
    boss,
    sender,
    /** State of each job given, by id. */
    async states(ids: string[]): Promise<Record<string, string>> {
      const { rows } = await db.pool.query<{ id: string; state: string }>(
        'select id::text, state::text from pgboss.job where id = any($1::uuid[])',
        [ids],
      );
      return Object.fromEntries(rows.map((r) => [r.id, r.state]));
    },
    /** One job's row as pg-boss holds it, for failure messages. */
    async describe(id: string): Promise<string> {
      const { rows } = await db.pool.query(
        `select state::text, retry_count, started_on, heartbeat_on, completed_on, output
           from pgboss.job where id = $1::uuid`,
        [id],
      );
      return JSON.stringify(rows[0] ?? null);
    },
    /** Sync runs `active` right now (after a kill: the dead worker's, until its heartbeat is missed). */
    async activeSyncJobs(): Promise<string[]> {
      const { rows } = await db.pool.query<{ job: string }>(
        `select name || ' ' || id as job from pgboss.job where state = 'active' and name in ('sync.resource', 'sync.integration')`,
      );
      return rows.map((r) => r.job);
    },
    /**
     * Keys of sync jobs that pg-boss's queue stats still list as active. A starting worker caches
     * these stats (refreshed every second by this supervisor) and does not fetch a listed key for a
     * minute, so a restart waits until a retried job's key is no longer listed.
     */
    async listedActive(): Promise<string[]> {
      const { rows } = await db.pool.query<{ key: string }>(
        `select q.name || ' ' || k as key from pgboss.queue q, unnest(coalesce(q.singletons_active, '{}')) as k
          where q.name in ('sync.resource', 'sync.integration')`,
      );
      return rows.map((r) => r.key);
    },
    /** Jobs still `active` past their expiry or missed heartbeat: nobody will ever finish them. */
    async stuck(): Promise<string[]> {
      const { rows } = await db.pool.query<{ job: string }>(
        `select name || ' ' || id as job from pgboss.job
          where state = 'active'
            and (started_on + expire_seconds * interval '1s' < now()
                 or (heartbeat_seconds is not null and heartbeat_on + heartbeat_seconds * interval '1s' < now()))`,
      );
      return rows.map((r) => r.job);
    },
    stop: () => boss.stop({ graceful: false, timeout: 1000 }),
  };
}

/** Engine runs left RUNNING (a run whose worker died must not stay "running" for ever). */
export async function runningExecutions(db: Database): Promise<string[]> {
  const { rows } = await db.pool.query<{ run: string }>(
    `select job_type::text || ' ' || id || ' (' || coalesce(trigger, '') || ')' as run from job_executions where status = 'RUNNING'`,
  );
  return rows.map((r) => r.run);
}

/** The /healthz URL a ready worker announced in its "worker started" line. */
export function workerHealthUrl(worker: WorkerProcess): string {
  const line = worker.output
    .join('')
    .split('\n')
    .find((l) => l.includes('"worker started"'));
  const health = line ? (JSON.parse(line) as { health?: unknown }).health : undefined;
  if (typeof health !== 'string') throw new Error('the worker announced no /healthz URL');
  return health;
}

/** Credentials encrypted the way the API stores them (integration.credentialsEnc / credentialsKeyId). */
export function encryptedCredentials(ring: KeyRing, credentials: Record<string, string>) {
  const { keyId, ciphertext } = ring.encrypt(JSON.stringify(credentials));
  return { credentialsEnc: ciphertext, credentialsKeyId: keyId };
}

export interface WebProcess {
  child: ChildProcess;
  output: string[];
  /** Resolves with the base URL once the server listens. */
  ready: Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The web app (apps/web/server.ts, production build) as a process of its own, on a free port. */
export function startWebProcess(env: Record<string, string>): WebProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: path.resolve(workerDir, '../web'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(String(chunk));
      const url = /listening on (http:\/\/[^"\s]+)/.exec(output.join(''))?.[1];
      if (url) resolve(url);
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(String(chunk)));
    child.once('exit', (code) => reject(new Error(`web exited (${code}) before it listened:\n${output.join('')}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    output,
    ready,
    kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}
