// Entry point: `pnpm --filter @syncbridge/worker start`.
import { redactConnectionString } from '@syncbridge/db';
import {
  alertChannelsFromEnv,
  createLogger,
  createOutboundPolicy,
  endpointEntry,
  installOutboundGuard,
} from '@syncbridge/engine';
import { loadWorkerEnv } from './env.ts';
import { createWorker } from './worker.ts';

const env = loadWorkerEnv();
// SSRF guard: every connection to a loopback, private or other internal address is refused unless
// OUTBOUND_ALLOWLIST allows it; the endpoints this configuration names itself are allowed as well.
installOutboundGuard(
  createOutboundPolicy([
    ...env.OUTBOUND_ALLOWLIST,
    endpointEntry(env.DATABASE_URL),
    endpointEntry(env.ALERT_SMTP_URL),
    endpointEntry(env.ALERT_WEBHOOK_URL),
    endpointEntry(env.ALERT_SLACK_WEBHOOK_URL),
  ]),
);
const logger = createLogger({ name: 'worker', level: env.LOG_LEVEL });
const worker = createWorker({
  databaseUrl: env.DATABASE_URL,
  logger,
  port: env.WORKER_PORT,
  host: env.WORKER_HOST,
  concurrency: env.WORKER_CONCURRENCY,
  keyRing: env.keyRing,
  alertChannels: alertChannelsFromEnv(env),
  metricsToken: env.METRICS_TOKEN,
});

/** One line, with the connection string masked should a driver ever echo it. */
function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] ?? 'unknown error';
  return line.replaceAll(env.DATABASE_URL, redactConnectionString(env.DATABASE_URL));
}

let shuttingDown = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) {
    logger.warn({ signal }, 'second signal while stopping: exiting now');
    process.exit(1);
  }
  shuttingDown = true;
  logger.info({ signal }, 'signal received, stopping');
  try {
    await worker.stop();
    process.exit(0);
  } catch (error) {
    logger.error(`worker did not stop cleanly: ${describeError(error)}`);
    process.exit(1);
  }
}
// Registered before start(): a SIGTERM during start waits for it, then stops.
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));

try {
  const { port } = await worker.start();
  logger.info(
    {
      health: `http://${env.WORKER_HOST.includes(':') ? `[${env.WORKER_HOST}]` : env.WORKER_HOST}:${port}/healthz`,
      database: redactConnectionString(env.DATABASE_URL),
      concurrency: env.WORKER_CONCURRENCY,
      // The key id only: never the key.
      encryptionKey: env.keyRing?.primaryId ?? 'none',
    },
    'worker started',
  );
} catch (error) {
  logger.fatal(`worker failed to start: ${describeError(error)}`);
  process.exit(1);
}
