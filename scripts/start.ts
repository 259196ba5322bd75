// Starts the whole system: Postgres (embedded under DATA_DIR unless DATABASE_URL is set),
// migrations, demo data (once), the web server and the worker. Ctrl-C or SIGTERM stops the
// children, then Postgres, and leaves nothing running.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDatabase, redactConnectionString } from '@syncbridge/db';
import { startEmbeddedPostgres, EmbeddedPostgresError, type RunningPostgres } from '@syncbridge/db/embedded';
import { migrateDatabase } from '@syncbridge/db/migrate';
import { seedDemoData } from '@syncbridge/db/seed';
import {
  createGoogleSheetsSandbox,
  createRestSandbox,
  createSmartsheetSandbox,
  GOOGLE_SHEETS_SANDBOX_TOKEN,
  type SandboxServer,
} from '@syncbridge/connectors/sandboxes';
import {
  createConnectorProvider,
  createLogger,
  createPostgresRateLimiter,
  installDemo,
  parseKeyRing,
  S1_COLUMN_TYPES,
  S1_SHEET_COLUMNS,
  S3_HEADERS,
} from '@syncbridge/engine';
import { parseStartEnv } from './env.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = parseStartEnv();

function say(message: string) {
  console.log(`[syncbridge] ${message}`);
}

async function ensureDatabaseExists(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Credentials at rest need a key. A deployment sets ENCRYPTION_KEYS; the zero-setup start keeps a
 * generated one next to its data (readable by this user only), created on the first run.
 */
async function encryptionKeys(): Promise<string> {
  if (env.ENCRYPTION_KEYS) return env.ENCRYPTION_KEYS;
  const file = path.resolve(root, env.DATA_DIR, 'encryption-keys');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const keys = `local1:${randomBytes(32).toString('base64')}`;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${keys}\n`, { mode: 0o600 });
    say(`generated an encryption key for credentials in ${path.relative(root, file)}`);
    return keys;
  }
}

const WORKER_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=8'];

/**
 * The first admin. A deployment sets ADMIN_EMAIL/ADMIN_PASSWORD; the embedded demo generates a
 * password once, keeps it next to its data (readable by this user only) and prints it.
 */
async function adminCredentials(): Promise<{ email: string; password: string } | null> {
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) return { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
  if (env.DATABASE_URL) return null;
  const email = 'admin@syncbridge.local';
  const file = path.resolve(root, env.DATA_DIR, 'admin-password');
  try {
    return { email, password: (await readFile(file, 'utf8')).trim() };
  } catch {
    const password = randomBytes(12).toString('base64url');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    say(`demo admin: ${email} / ${password} (kept in ${path.relative(root, file)})`);
    return { email, password };
  }
}

const children: ChildProcess[] = [];
let embedded: RunningPostgres | undefined;
const sandboxes: SandboxServer[] = [];
let shuttingDown = false;

function startChild(name: string, script: string, extraEnv: Record<string, string>, nodeFlags: string[] = []) {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...extraEnv },
  });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      say(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push(child);
}

async function shutdown(exitCode: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await Promise.all(sandboxes.map((sandbox) => sandbox.close().catch(() => undefined)));
  if (embedded) {
    await embedded.stop();
    say('embedded Postgres stopped');
  }
  process.exit(exitCode);
}

/**
 * The demo: host-app rows and integrations (once per database), the sandboxes (in this process,
 * in memory) and the resources that make the demo integrations sync from the first minute.
 */
async function startDemo(databaseUrl: string, keys: string): Promise<void> {
  const db = createDatabase({ connectionString: databaseUrl, max: 4 });
  try {
    const seeded = await seedDemoData(db.prisma);
    if (seeded.seeded) say(`seeded demo data (${seeded.integrations} integrations)`);
    const restToken = 'demo-rest-token';
    const rest = createRestSandbox({ token: restToken });
    const restServer = await rest.start(env.SANDBOX_REST_PORT);
    sandboxes.push(restServer);
    say(`REST sandbox on ${restServer.url}`);
    const smartsheetToken = 'demo-smartsheet-token';
    const smartsheet = createSmartsheetSandbox({ accessToken: smartsheetToken });
    const sheetServer = await smartsheet.start(env.SANDBOX_SMARTSHEET_PORT);
    sandboxes.push(sheetServer);
    const sheet = (name: string, titles: readonly string[]) =>
      String(smartsheet.sheets.createSheet({ name, columns: titles.map((title, i) => ({ title, type: S1_COLUMN_TYPES[title], primary: i === 0 })) }).id);
    const s1Sheets = {
      registrations: sheet('User Registrations', S1_SHEET_COLUMNS.registrations),
      rsvps: sheet('Session RSVPs', S1_SHEET_COLUMNS.rsvps),
      connections: sheet('Connections', S1_SHEET_COLUMNS.connections),
      analytics: sheet('Session Analytics', S1_SHEET_COLUMNS.analytics),
    };
    say(`Smartsheet sandbox on ${sheetServer.url}/2.0 (sheets ${Object.values(s1Sheets).join(', ')})`);
    const google = createGoogleSheetsSandbox();
    const googleServer = await google.start(env.SANDBOX_GOOGLE_SHEETS_PORT);
    sandboxes.push(googleServer);
    const companies = ['Acme Corp', 'Globex', 'Initech', 'Umbrella'];
    const { spreadsheetId } = google.spreadsheets.create({
      title: 'Demo contacts',
      sheets: [
        {
          title: 'Contacts',
          header: [...S3_HEADERS],
          rows: Array.from({ length: 12 }, (_, i) => [`contact${i + 1}@example.com`, `First${i + 1}`, `Last${i + 1}`, `555-01${String(i).padStart(2, '0')}`, companies[i % 4]!, 'Buyer', '']),
        },
      ],
    });
    say(`Google Sheets sandbox on ${googleServer.url} (spreadsheet ${spreadsheetId})`);
    const keyRing = parseKeyRing(keys, env.ENCRYPTION_PRIMARY_KEY_ID);
    const ctx = {
      pool: db.pool,
      prisma: db.prisma,
      logger: createLogger({ name: 'start', level: env.LOG_LEVEL }),
      limiter: createPostgresRateLimiter(db.pool),
      connectors: createConnectorProvider({ pool: db.pool, keyRing }),
    };
    const demo = await installDemo(ctx, keyRing, {
      rest: { url: restServer.url, token: restToken },
      smartsheet: { baseUrl: `${sheetServer.url}/2.0`, token: smartsheetToken, sheets: s1Sheets },
      googleSheets: { rootUrl: `${googleServer.url}/`, accessToken: GOOGLE_SHEETS_SANDBOX_TOKEN, spreadsheetId, sheet: 'Contacts' },
    });
    say(demo.installed ? 'demo integrations installed and syncing' : 'demo sandboxes re-synced from scratch');
  } finally {
    await db.close();
  }
}

/** Polls a /healthz until it answers 200, so the ready line is only printed when it is true. */
async function waitForHealthy(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !shuttingDown) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!shuttingDown) say(`${url} did not answer 200 within ${timeoutMs / 1000} s; still starting?`);
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = path.resolve(root, env.DATA_DIR, 'postgres');
    say(`starting embedded Postgres on port ${env.EMBEDDED_PG_PORT} (data in ${path.relative(root, dataDir)})`);
    embedded = await startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_PG_PORT, persistent: true });
    await ensureDatabaseExists(embedded.adminUrl, 'syncbridge');
    databaseUrl = embedded.urlFor('syncbridge');
  }
  say(`database ${redactConnectionString(databaseUrl)}`);

  const applied = await migrateDatabase(databaseUrl);
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'migrations up to date');

  const keys = await encryptionKeys();
  if (env.SEED_DEMO ?? !env.DATABASE_URL) await startDemo(databaseUrl, keys);

  const shared: Record<string, string> = { DATABASE_URL: databaseUrl, LOG_LEVEL: env.LOG_LEVEL, ENCRYPTION_KEYS: keys };
  if (env.ENCRYPTION_PRIMARY_KEY_ID) shared.ENCRYPTION_PRIMARY_KEY_ID = env.ENCRYPTION_PRIMARY_KEY_ID;
  // The SSRF guard refuses loopback addresses: the demo's integrations may reach its own sandboxes
  // (exactly their host:port), and whatever OUTBOUND_ALLOWLIST already allows.
  const allowlist = [env.OUTBOUND_ALLOWLIST, ...sandboxes.map((sandbox) => new URL(sandbox.url).host)].filter(Boolean);
  if (allowlist.length) shared.OUTBOUND_ALLOWLIST = allowlist.join(',');
  const admin = await adminCredentials();
  const webEnv: Record<string, string> = { ...shared, PORT: String(env.PORT), NODE_ENV: 'production' };
  if (admin) Object.assign(webEnv, { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  // Plain-http localhost cannot keep a Secure cookie in every browser; deployments keep the default.
  webEnv.SESSION_COOKIE_SECURE = String(env.SESSION_COOKIE_SECURE ?? Boolean(env.DATABASE_URL));
  startChild('web', 'apps/web/server.ts', webEnv);
  // A bounded heap (and a small young generation) keeps a long push's memory flat: measured by
  // `pnpm bench engine` (peak RSS pushing 1,000,000 rows).
  startChild('worker', 'apps/worker/src/main.ts', { ...shared, WORKER_PORT: String(env.WORKER_PORT) }, WORKER_NODE_FLAGS);
  await Promise.all([waitForHealthy(`http://127.0.0.1:${env.PORT}/healthz`), waitForHealthy(`http://127.0.0.1:${env.WORKER_PORT}/healthz`)]);
  say(`admin app on http://localhost:${env.PORT}  ·  worker health on http://localhost:${env.WORKER_PORT}/healthz  ·  Ctrl-C stops`);
}

main().catch(async (error: unknown) => {
  if (error instanceof EmbeddedPostgresError) console.error(`[syncbridge] ${error.message}`);
  else console.error('[syncbridge] start failed:', error instanceof Error ? error.message : error);
  await shutdown(1);
});
