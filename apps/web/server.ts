// Starts the web app: `pnpm --filter @syncbridge/web start` (production, needs `build` first) or
// `dev` (NODE_ENV=development: vite middleware, no build step).
import type { AddressInfo } from 'node:net';
import { createDatabase, redactConnectionString } from '@syncbridge/db';
import { ensureFirstAdmin } from '@syncbridge/api';
import { createLogger, createOutboundPolicy, endpointEntry, installOutboundGuard } from '@syncbridge/engine';
import { EnvError, loadEnv, type Env } from './app/env.server.ts';
import { createWebServer } from './server/app.ts';
import { createJobSender, createWebhookRouter, WEB_DATABASE_POOL_SIZE } from './server/webhooks.ts';

const SHUTDOWN_GRACE_MS = 10_000;

function readEnv(): Env {
  try {
    return loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const env = readEnv();
// SSRF guard: from here on, every connection to a loopback, private or other internal address is
// refused unless OUTBOUND_ALLOWLIST allows it; the configured database is allowed as well.
const outbound = createOutboundPolicy(env.OUTBOUND_ALLOWLIST);
installOutboundGuard(createOutboundPolicy([...outbound.allow, endpointEntry(env.DATABASE_URL)]));
const logger = createLogger({ name: 'web', level: env.LOG_LEVEL });
const db = createDatabase({
  connectionString: env.DATABASE_URL,
  applicationName: 'syncbridge-web',
  max: WEB_DATABASE_POOL_SIZE,
});
const mode = env.NODE_ENV === 'development' ? 'development' : 'production';
// Sends sync.webhook jobs only (no workers, no schedules): the worker runs them.
const jobs = createJobSender({ connectionString: env.DATABASE_URL, logger: logger.child({ module: 'queue' }) });
const webhooks = createWebhookRouter({ db, logger, keyRing: env.keyRing, sendJob: jobs.sender });
// ── Auth: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, only while no user exists ──
if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
  try {
    const admin = await ensureFirstAdmin(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
    if (admin) logger.info({ userId: admin.id }, 'created the first admin from ADMIN_EMAIL');
  } catch (error) {
    // A database that is down at boot must not stop the web; the next start tries again.
    logger.error({ err: error }, 'could not create the first admin');
  }
}
const api = {
  keyRing: env.keyRing,
  sendJob: jobs.sender,
  auth: { secureCookies: env.SESSION_COOKIE_SECURE },
  outbound,
};
const web = await createWebServer({
  db,
  logger,
  mode,
  webhooks,
  api,
  cronSecret: env.CRON_SECRET,
  metricsToken: env.METRICS_TOKEN,
});

const server = web.app.listen(env.PORT, env.HOST, () => {
  const { port } = server.address() as AddressInfo;
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  logger.info({ mode, database: redactConnectionString(env.DATABASE_URL) }, `listening on http://${host}:${port}`);
});

let shuttingDown = false;
async function shutdown(signal: NodeJS.Signals) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  // Requests in flight get a grace period; a stuck one must not keep the process alive forever.
  const force = setTimeout(() => {
    logger.warn('shutdown grace period over, exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  try {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    await web.close();
    await jobs.stop();
    await db.close();
    logger.info('stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'error during shutdown');
    process.exit(1);
  }
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
