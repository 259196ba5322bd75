// Secrets at rest: integrations created through the admin API with credentials and webhook secrets
// of known random values, a connection test, a push and a pull against the REST sandbox, a real
// signed webhook delivery through the ingress and its processing, a secret rotation — then a plain
// dump of the database (every column of every row of every table, in every schema but Postgres's own,
// cast to text) must contain none of those values, neither as is nor base64/base64url/hex/URL-encoded.
//
// Every value comes from testSecret() or passes through the key ring, so the suite-wide log tap
// (packages/engine/src/log-tap.ts) also fails the run if any of them reaches a log line.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createContext, type AppCaller } from '@syncbridge/api';
import { createRestSandbox, type RestSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import { useTestDatabase } from '@syncbridge/db/testing';
import {
  createConnectorProvider,
  createLogger,
  createPostgresRateLimiter,
  generateKey,
  parseKeyRing,
  processWebhookEvent,
  pullResource,
  pushAll,
  restTaskMappings,
  testSecret,
  type EngineContext,
} from '@syncbridge/engine';
import { createWebServer } from '../server/app.ts';
import { createJobSender, createWebhookRouter, type JobSenderHandle } from '../server/webhooks.ts';
import { listen } from './helpers.ts';

const db = useTestDatabase();
const encryptionKey = generateKey();
const keyRing = parseKeyRing(`k1:${encryptionKey}`);

// What this process logs, checked directly as well as by the suite-wide tap.
const logLines: string[] = [];
const logger = createLogger({
  name: 'secrets-test',
  level: 'trace',
  destination: { write: (line: string) => logLines.push(line) },
});

const REST_TOKEN = testSecret();
const SMARTSHEET_TOKEN = testSecret();
const CLIENT_SECRET = testSecret();
const REPLACED_TOKEN = testSecret();

let http: Awaited<ReturnType<typeof listen>>;
let jobs: JobSenderHandle;
let sandbox: RestSandbox;
let sandboxServer: SandboxServer;
let admin: AppCaller;
let ctx: EngineContext;
/** Every secret value in play, the webhook secrets included once they are known. */
const secrets: string[] = [REST_TOKEN, SMARTSHEET_TOKEN, CLIENT_SECRET, REPLACED_TOKEN, encryptionKey];

/** The forms a secret could be stored in without being "in clear" at first sight. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    secret,
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    encodeURIComponent(secret),
  ];
}

/** A plain dump: every row of every table in every non-system schema, each row cast to text. */
async function dumpDatabase(): Promise<{ tables: number; rows: number; text: string }> {
  const { rows: tables } = await db.pool.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name
       from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
        and table_schema not like 'pg\\_%'
      order by 1, 2`,
  );
  const parts: string[] = [];
  let rowCount = 0;
  for (const table of tables) {
    const relation = `"${table.schema.replace(/"/g, '""')}"."${table.name.replace(/"/g, '""')}"`;
    const { rows } = await db.pool.query<{ row: string }>(`select t::text as row from ${relation} t`);
    rowCount += rows.length;
    for (const row of rows) parts.push(row.row);
  }
  return { tables: tables.length, rows: rowCount, text: parts.join('\n') };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  sandbox = createRestSandbox({ token: [REST_TOKEN, REPLACED_TOKEN] });
  sandboxServer = await sandbox.start();
  jobs = createJobSender({ connectionString: db.url, logger });
  await jobs.ready;
  const webhooks = createWebhookRouter({ db, logger, keyRing, sendJob: jobs.sender });
  const web = await createWebServer({ db, logger, mode: 'api-only', webhooks, api: { keyRing, sendJob: jobs.sender } });
  http = await listen(web.app);
  const user = await db.prisma.user.create({
    data: { email: 'admin@example.com', role: 'ADMIN', passwordHash: 'scrypt$not-used' },
    select: { id: true, email: true, role: true },
  });
  admin = appRouter.createCaller(
    createContext({ prisma: db.prisma, pool: db.pool, logger, user, keyRing, sendJob: jobs.sender, ip: '203.0.113.9' }),
  );
  ctx = {
    pool: db.pool,
    prisma: db.prisma,
    logger,
    connectors: createConnectorProvider({ pool: db.pool, keyRing }),
    limiter: createPostgresRateLimiter(db.pool),
    retry: { baseMs: 10, maxMs: 100, inRunAttempts: 2, maxWaitMs: 500 },
  };
});

afterAll(async () => {
  await http?.close();
  await jobs?.stop();
  await sandboxServer?.close();
});

describe('secrets at rest', () => {
  it('appear in no table, no column and no log line after a full round of use', async () => {
    // ── Integrations through the API, with credentials ──
    const rest = await admin.integrations.create({
      name: 'Tasks over REST',
      type: 'GENERIC_REST',
      baseUrl: sandboxServer.url,
      authType: 'BEARER_TOKEN',
      credentials: { token: REST_TOKEN, oauth: { clientId: 'public-client-id', clientSecret: CLIENT_SECRET } },
      testConnection: true,
    });
    expect(rest.connection).toMatchObject({ ok: true });
    secrets.push(rest.webhookSecret);
    const sheet = await admin.integrations.create({
      name: 'Sheet',
      type: 'SMARTSHEET',
      baseUrl: 'https://api.smartsheet.com/2.0',
      credentials: { accessToken: SMARTSHEET_TOKEN },
    });
    secrets.push(sheet.webhookSecret);
    await admin.integrations.testConnection({
      type: 'GENERIC_REST',
      baseUrl: sandboxServer.url,
      credentials: { token: REST_TOKEN },
    });
    // A refused token: its error message goes through the connection-test redaction.
    const refused = await admin.integrations.testConnection({
      type: 'GENERIC_REST',
      baseUrl: sandboxServer.url,
      credentials: { token: testSecret() },
    });
    expect(refused).toMatchObject({ ok: false, status: 'auth_failed' });

    // ── A push and a pull ──
    const resource = await admin.resources.create({
      integrationId: rest.integration.id,
      name: 'tasks',
      resourceType: 'TASK',
      localTable: 'tasks',
      localKeyColumn: 'id',
      externalObject: 'tasks',
      externalKeyField: 'internal_id',
      direction: 'BIDIRECTIONAL',
      deletePolicy: 'DELETE',
      fieldMappings: restTaskMappings,
      options: { updatedAtColumn: 'updated_at' },
    });
    await db.pool.query(`insert into tasks (title, description) values ('Write the report', 'due Friday')`);
    const pushed = await pushAll(ctx, resource.id);
    expect(pushed).toMatchObject({ created: 1, failed: 0 });
    sandbox.store.create('tasks', {
      fields: { title: 'From the tool', notes: 'created remotely', status: 'todo', done: false },
    });
    const pulled = await pullResource(ctx, resource.id);
    expect(pulled.added).toBeGreaterThanOrEqual(1);

    // ── A real signed webhook delivery through the ingress, then its processing ──
    const receiveUrl = `${http.url}/api/webhooks/integrations/${rest.integration.id}/receive`;
    sandbox.webhooks.configure({ url: receiveUrl, secret: rest.webhookSecret });
    const title = `Changed remotely ${randomUUID().slice(0, 8)}`;
    sandbox.store.create('tasks', { fields: { title, status: 'todo', done: false } });
    await sandbox.webhooks.idle();
    const event = await until('the stored webhook event', () =>
      db.prisma.webhookEvent.findFirst({ where: { integrationId: rest.integration.id } }),
    );
    const processed = await processWebhookEvent(ctx, event.id);
    expect(processed.status).toBe('PROCESSED');
    const { rows } = await db.pool.query('select 1 from tasks where title = $1', [title]);
    expect(rows).toHaveLength(1);

    // ── Secrets replaced: the old and new values stay out of the database just the same ──
    await admin.integrations.update({ id: rest.integration.id, credentials: { token: REPLACED_TOKEN } });
    const rotated = await admin.integrations.rotateWebhookSecret({ id: rest.integration.id });
    secrets.push(rotated.webhookSecret);
    await pushAll(ctx, resource.id);

    // ── The dump ──
    const dump = await dumpDatabase();
    expect(dump.tables).toBeGreaterThan(20);
    // The dump holds what was done (so an empty dump cannot pass): the synced rows, the event, the audit trail.
    expect(dump.text).toContain(title);
    expect(dump.text).toContain('integration.rotate_webhook_secret');
    expect(dump.text).toContain(sandboxServer.url);
    const stored = await db.prisma.integration.findUniqueOrThrow({ where: { id: rest.integration.id } });
    expect(dump.text).toContain(stored.credentialsEnc);
    for (const secret of secrets) {
      for (const form of encodings(secret)) {
        expect(
          dump.text.includes(form),
          `a secret (${secret.slice(0, 6)}…) is in the dump as ${form === secret ? 'is' : 'an encoding'}`,
        ).toBe(false);
      }
    }
    // The credentials are there, sealed: they decrypt to the values given.
    expect(JSON.parse(keyRing.decrypt(stored.credentialsKeyId!, stored.credentialsEnc!))).toEqual({
      token: REPLACED_TOKEN,
    });
    expect(keyRing.decrypt(stored.webhookSecretKeyId!, stored.webhookSecretEnc!)).toBe(rotated.webhookSecret);

    // ── And this process's log lines ──
    expect(logLines.length).toBeGreaterThan(0);
    const logged = logLines.join('\n');
    for (const secret of secrets) for (const form of encodings(secret)) expect(logged.includes(form)).toBe(false);
  });
});
