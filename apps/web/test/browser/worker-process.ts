// A real worker process (apps/worker, `src/main.ts` under tsx) on a browser test's database, the way
// apps/worker/test/processes.ts starts one: the browser then sees jobs run exactly as in production.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { webRoot } from '../../server/app.ts';

const workerDir = path.resolve(webRoot, '../worker');

export interface WorkerProcess {
  /** Everything it printed (JSON log lines), for failure messages. */
  output: string[];
  stop(): Promise<void>;
}

export async function startWorkerProcess(options: {
  databaseUrl: string;
  /** ENCRYPTION_KEYS, the same key ring the web server encrypts credentials with. */
  encryptionKeys: string;
  timeoutMs?: number;
}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: workerDir,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      ENCRYPTION_KEYS: options.encryptionKeys,
      WORKER_PORT: '0',
      WORKER_CONCURRENCY: '2',
      LOG_LEVEL: 'info',
      // The sandboxes listen on 127.0.0.1, which the worker's SSRF guard refuses unless allowlisted.
      OUTBOUND_ALLOWLIST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not ready within ${options.timeoutMs ?? 60_000} ms:\n${output.join('')}`)),
      options.timeoutMs ?? 60_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      output.push(String(chunk));
      if (String(chunk).includes('"worker started"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => output.push(String(chunk)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before it was ready:\n${output.join('')}`));
    });
  });
  return {
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // The worker lets running jobs finish for up to 25 s; a test does not wait that long.
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
