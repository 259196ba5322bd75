// Worker processes for tests that need real ones: killed with SIGKILL, or two side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Database } from '@syncbridge/db';
import { generateKey, parseKeyRing, saveResource, type KeyRing } from '@syncbridge/engine';
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
    env: { ...process.env, WORKER_PORT: '0', LOG_LEVEL: 'info', ...env },
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
      ? [{ local: 'title', external: 'title' }, { local: 'status', external: 'status' }]
      : [{ local: 'first_name', external: 'name' }, { local: 'email', external: 'email' }];
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
