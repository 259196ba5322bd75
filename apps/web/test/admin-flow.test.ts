// The admin flow end to end, the way the admin app drives it: a real `@trpc/client` (cookie session
// and x-csrf-token) against the real Express server, a real worker process on pg-boss running the
// syncs, and the REST sandbox as the external system. Create → test connection → trigger sync →
// logs → conflict → resolve, each step checked through the API and on both sides of the sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { hashPassword, type AppRouter } from '@syncbridge/api';
import {
  createRestSandbox,
  type RestSandbox,
  type SandboxServer,
  type StoredRecord,
} from '@syncbridge/connectors/sandboxes';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createOutboundPolicy, generateKey, parseKeyRing, restTaskMappings } from '@syncbridge/engine';
import { createWebServer } from '../server/app.ts';
import { createJobSender, type JobSenderHandle } from '../server/webhooks.ts';
import { createUser, PASSWORD } from './auth-helpers.ts';
import { startWorkerProcess, type WorkerProcess } from './browser/worker-process.ts';
import { listen, silentLogger } from './helpers.ts';

const REST_TOKEN = 'admin-flow-rest-token-7f3a9c';
const WRONG_TOKEN = 'admin-flow-wrong-token-0000';
const COLLECTION = 'tasks';

const db = useTestDatabase();
// One key ring for the web server (encrypts credentials) and the worker (ENCRYPTION_KEYS, decrypts them).
const keySpec = `admin-flow:${generateKey()}`;
const keyRing = parseKeyRing(keySpec);
let http: Awaited<ReturnType<typeof listen>>;
let jobs: JobSenderHandle | undefined;
let worker: WorkerProcess | undefined;
let sandbox: RestSandbox;
let sandboxServer: SandboxServer | undefined;

beforeAll(async () => {
  sandbox = createRestSandbox({ token: REST_TOKEN });
  jobs = createJobSender({ connectionString: db.url, logger: silentLogger });
  const [server, started] = await Promise.all([
    sandbox.start(),
    startWorkerProcess({ databaseUrl: db.url, encryptionKeys: keySpec }),
    jobs.ready,
  ]);
  sandboxServer = server;
  worker = started;
  const web = await createWebServer({
    db,
    logger: silentLogger,
    mode: 'api-only',
    api: {
      keyRing,
      sendJob: jobs.sender,
      auth: { secureCookies: false },
      // As in production with OUTBOUND_ALLOWLIST=127.0.0.1: the sandbox listens on loopback.
      outbound: createOutboundPolicy(['127.0.0.1']),
    },
  });
  http = await listen(web.app);
}, 60_000);

afterAll(async () => {
  await http?.close();
  await worker?.stop();
  await jobs?.stop();
  await sandboxServer?.close();
});

/** A browser-like client: keeps the cookies the server sets and echoes the CSRF cookie in x-csrf-token. */
function browserClient(baseUrl: string) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const cookieFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size) headers.set('cookie', cookieHeader());
    const csrf = jar.get('sb_csrf');
    if (csrf) headers.set('x-csrf-token', csrf);
    const response = await fetch(input, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    return response;
  };
  const trpc = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl}/trpc`, transformer: superjson, fetch: cookieFetch })],
  });
  return { trpc, cookieHeader };
}

/** The live sandbox record carrying `key` (the local task id the engine writes on records it creates). */
function externalRecordKeyed(key: string): StoredRecord | undefined {
  return sandbox.store.list(COLLECTION, { keys: [key] }).records.find((record) => !record.deleted);
}

/** Polls `read` until `accept` likes its value: the test waits for the worker's effects, never for a fixed time. */
async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const TERMINAL = new Set(['COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED']);

// One flow, in order: each step builds on what the previous one created.
describe('the admin flow over tRPC, with a real worker', { timeout: 60_000 }, () => {
  let client: ReturnType<typeof browserClient>;
  let trpc: ReturnType<typeof browserClient>['trpc'];
  let adminId: string;
  let integrationId: string;
  let resourceId: string;
  let webhookSecret: string;
  let offsite: { id: string; externalId: string };
  let conflictId: string;

  beforeAll(() => {
    client = browserClient(http.url);
    trpc = client.trpc;
  });

  /** The integration's manual runs, newest first, once `count` of them exist and all have ended. */
  async function manualRunsSettled(count: number) {
    const page = await until(
      () => trpc.jobs.list.query({ integrationId, jobType: 'MANUAL_SYNC' }),
      (runs) => runs.items.length >= count && runs.items.every((run) => TERMINAL.has(run.status)),
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nworker output:\n${worker?.output.join('') ?? ''}`);
    });
    expect(page.items).toHaveLength(count);
    return page.items;
  }

  it('signs in as an admin with a password; the cookie session and CSRF token carry every later call', async () => {
    const user = await createUser(db, 'ADMIN', await hashPassword(PASSWORD));
    const result = await trpc.auth.signIn.mutate({ email: user.email, password: PASSWORD });
    expect(result.user).toMatchObject({ id: user.id, role: 'ADMIN' });
    const me = await trpc.auth.me.query();
    expect(me).toEqual({ user: { id: user.id, email: user.email, role: 'ADMIN' }, csrfToken: result.csrfToken });
    adminId = user.id;
  });

  it('tests a draft connection: a wrong token is refused, the right one connects', async () => {
    const draft = { type: 'GENERIC_REST' as const, baseUrl: sandboxServer!.url, authType: 'BEARER_TOKEN' as const };
    const refused = await trpc.integrations.testConnection.mutate({ ...draft, credentials: { token: WRONG_TOKEN } });
    expect(refused).toMatchObject({ ok: false, status: 'auth_failed', credentialsValid: false });
    expect(refused.message).not.toContain(WRONG_TOKEN);

    const connected = await trpc.integrations.testConnection.mutate({ ...draft, credentials: { token: REST_TOKEN } });
    expect(connected).toMatchObject({ ok: true, status: 'connected', credentialsValid: true, apiVersion: '1.0' });
    expect(JSON.stringify(connected)).not.toContain(REST_TOKEN);
  });

  it('creates a two-way MANUAL_REVIEW integration after a connection test; the webhook secret is shown once', async () => {
    const input = {
      name: 'Tasks ↔ REST (admin flow)',
      type: 'GENERIC_REST' as const,
      baseUrl: sandboxServer!.url,
      authType: 'BEARER_TOKEN' as const,
      direction: 'BIDIRECTIONAL' as const,
      // Only by hand: the minute dispatcher must not start runs this test does not count.
      frequency: 'MANUAL' as const,
      conflictStrategy: 'MANUAL_REVIEW' as const,
      testConnection: true,
    };
    // A failed connection test saves nothing.
    const failed = await trpc.integrations.create
      .mutate({ ...input, credentials: { token: WRONG_TOKEN } })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TRPCClientError);
    expect((failed as TRPCClientError<AppRouter>).data).toMatchObject({ appErrorCode: 'UPSTREAM_AUTH' });
    expect((await trpc.integrations.list.query()).items).toEqual([]);

    const created = await trpc.integrations.create.mutate({ ...input, credentials: { token: REST_TOKEN } });
    expect(created.connection).toMatchObject({ ok: true, status: 'connected', credentialsValid: true });
    expect(created.integration).toMatchObject({
      name: input.name,
      type: 'GENERIC_REST',
      status: 'ACTIVE',
      baseUrl: sandboxServer!.url,
      authType: 'BEARER_TOKEN',
      direction: 'BIDIRECTIONAL',
      frequency: 'MANUAL',
      conflictStrategy: 'MANUAL_REVIEW',
    });
    expect(created.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    integrationId = created.integration.id;
    webhookSecret = created.webhookSecret;

    // Never again: neither get nor list carries the credentials, the secret or their ciphertexts.
    const got = await trpc.integrations.get.query({ id: integrationId });
    expect(got).toEqual(created.integration);
    for (const key of ['credentials', 'credentialsEnc', 'credentialsKeyId', 'webhookSecret', 'webhookSecretEnc'])
      expect(got).not.toHaveProperty(key);
    expect((await trpc.integrations.list.query()).items.map((item) => item.id)).toEqual([integrationId]);
    const stored = await db.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } });
    const batchInput = encodeURIComponent(JSON.stringify({ 0: { json: { id: integrationId } } }));
    const raw = await fetch(`${http.url}/trpc/integrations.get,integrations.list?batch=1&input=${batchInput}`, {
      headers: { cookie: client.cookieHeader() },
    });
    expect(raw.status).toBe(200);
    const body = await raw.text();
    expect(body).toContain(integrationId);
    for (const secret of [REST_TOKEN, webhookSecret, stored.credentialsEnc!, stored.webhookSecretEnc!])
      expect(body).not.toContain(secret);
  });

  it('adds a two-way resource on the tasks table with a field mapping', async () => {
    // Rows that exist before the resource: only the first full sync carries them.
    const [plan] = await Promise.all(
      [
        { title: 'Plan the offsite', description: 'Three days in May', status: 'todo' },
        { title: 'Book the venue', description: 'Needs a deposit', status: 'in_progress' },
        { title: 'Send invitations', description: null, status: 'todo' },
      ].map((data) => db.prisma.tasks.create({ data })),
    );
    offsite = { id: plan!.id, externalId: '' };
    for (const fields of [
      { title: 'Order catering', notes: 'Vegetarian options', status: 'todo', done: false, due: null },
      { title: 'Print badges', notes: null, status: 'done', done: true, due: '2026-05-04T09:00:00.000Z' },
    ])
      sandbox.store.create(COLLECTION, { fields });

    const resource = await trpc.resources.create.mutate({
      integrationId,
      name: 'tasks',
      resourceType: 'TASK',
      localTable: 'tasks',
      localKeyColumn: 'id',
      externalObject: COLLECTION,
      externalKeyField: 'internal_id',
      direction: 'BIDIRECTIONAL',
      deletePolicy: 'DELETE',
      fieldMappings: restTaskMappings,
      options: { updatedAtColumn: 'updated_at' },
    });
    expect(resource).toMatchObject({
      integrationId,
      localSchema: 'public',
      localTable: 'tasks',
      direction: 'BIDIRECTIONAL',
      conflictStrategy: null,
      effectiveConflictStrategy: 'MANUAL_REVIEW',
      fieldMappings: restTaskMappings,
      mappingCounts: { total: 0 },
    });
    resourceId = resource.id;
    expect((await trpc.resources.list.query({ integrationId })).items.map((r) => r.id)).toEqual([resourceId]);
  });

  it('"sync now" runs on the worker: a pull adopts the external records, a push sends the local rows', async () => {
    const queued = await trpc.syncs.trigger.mutate({ integrationId });
    expect(queued).toMatchObject({ queued: true, jobId: expect.any(String) });

    const [push, pull] = await manualRunsSettled(2);
    expect(pull).toMatchObject({
      direction: 'PULL',
      status: 'COMPLETED',
      trigger: `manual:${adminId}`,
      resourceId,
      resourceName: 'tasks',
      total: 2,
      processed: 2,
      succeeded: 2,
      added: 2,
      changed: 0,
      removed: 0,
      failed: 0,
      conflicts: 0,
    });
    expect(push).toMatchObject({
      direction: 'PUSH',
      status: 'COMPLETED',
      trigger: `manual:${adminId}`,
      // Every local row compared; the two just adopted are unchanged and cost no write.
      total: 5,
      processed: 5,
      succeeded: 3,
      added: 3,
      skipped: 2,
      failed: 0,
      conflicts: 0,
      percent: 100,
    });
    expect(push!.completedAt!.getTime()).toBeGreaterThanOrEqual(pull!.completedAt!.getTime());

    // Both sides hold the same five tasks: the pushed ones keyed by their local id, the adopted ones
    // linked through the mapping table.
    const tasks = await db.prisma.tasks.findMany({ orderBy: { title: 'asc' } });
    expect(tasks.map((t) => t.title)).toEqual([
      'Book the venue',
      'Order catering',
      'Plan the offsite',
      'Print badges',
      'Send invitations',
    ]);
    expect(sandbox.store.count(COLLECTION)).toBe(5);
    const mappings = await db.prisma.integrationMapping.findMany({ where: { resourceId } });
    expect(mappings).toHaveLength(5);
    const externalIdOf = new Map(mappings.map((m) => [m.internalId, m.externalId]));
    for (const task of tasks) {
      const record = sandbox.store.get(COLLECTION, externalIdOf.get(task.id) ?? '');
      expect(record?.fields, task.title).toMatchObject({
        title: task.title,
        notes: task.description,
        status: task.status,
        done: task.completed,
      });
    }
    // Transforms applied on the way in: `done` → completed, the ISO `due` → a timestamp.
    expect(tasks.find((t) => t.title === 'Print badges')).toMatchObject({
      completed: true,
      status: 'done',
      due_date: new Date('2026-05-04T09:00:00.000Z'),
    });
    offsite.externalId = externalRecordKeyed(offsite.id)!.id;
    expect(externalIdOf.get(offsite.id)).toBe(offsite.externalId);
    expect((await trpc.resources.get.query({ id: resourceId })).mappingCounts).toMatchObject({
      SYNCED: 5,
      total: 5,
    });
  });

  it('lists the run in the logs; status and record filters narrow them', async () => {
    const [push] = await manualRunsSettled(2);
    const all = await trpc.logs.list.query({ integrationId });
    const ofRun = all.items.filter((log) => log.jobExecutionId === push!.id);
    expect(ofRun.length).toBeGreaterThan(0);
    for (const log of ofRun) {
      expect(log).toMatchObject({
        integrationName: 'Tasks ↔ REST (admin flow)',
        resourceId,
        resourceType: 'TASK',
        operation: 'BULK_SYNC',
        direction: 'PUSH',
        status: 'SUCCESS',
        recordsFailed: 0,
      });
    }
    expect(ofRun.reduce((sum, log) => sum + log.recordsSucceeded, 0)).toBe(3);

    // A local row the external system rejects: the worker pushes it at once (change capture) and
    // logs the failure against the record.
    const rejected = await db.prisma.tasks.create({ data: { title: 'Rejected by REST', description: '__invalid__' } });
    const byRecord = await until(
      () => trpc.logs.list.query({ integrationId, recordId: rejected.id }),
      // Items, not `total`: the page and the count are two reads, and a row may land in between.
      (page) => page.items.length >= 1,
    );
    expect(byRecord.items).toHaveLength(1);
    const recordLog = byRecord.items[0]!;
    expect(recordLog).toMatchObject({
      recordId: rejected.id,
      operation: 'UPDATE',
      direction: 'PUSH',
      status: 'FAILED',
      errorCode: 'invalid',
      errorMessage: "field 'notes' has an invalid value",
      httpStatus: 422,
      recordsFailed: 1,
    });
    // The change push's batch failed as a whole too (its only record was refused): logged once more,
    // without a record id.
    const failed = await trpc.logs.list.query({ integrationId, status: 'FAILED' });
    expect(failed.items.map((log) => [log.operation, log.recordId]).sort()).toEqual([
      ['BULK_SYNC', null],
      ['UPDATE', rejected.id],
    ]);
    expect(new Set(failed.items.map((log) => log.jobExecutionId))).toEqual(new Set([recordLog.jobExecutionId]));
    expect(recordLog.jobExecutionId).not.toBe(push!.id);

    const [success, both, byPrefix, byOtherRecord] = await Promise.all([
      trpc.logs.list.query({ integrationId, status: 'SUCCESS' }),
      trpc.logs.list.query({ integrationId, status: ['SUCCESS', 'FAILED'] }),
      trpc.logs.list.query({ integrationId, recordId: rejected.id.slice(0, 13) }),
      trpc.logs.list.query({ integrationId, recordId: offsite.id }),
    ]);
    expect(success.items.every((log) => log.status === 'SUCCESS')).toBe(true);
    expect(success.items.map((log) => log.id)).toEqual(expect.arrayContaining(ofRun.map((log) => log.id)));
    expect(both.total).toBe(success.total + failed.total);
    expect(all.total).toBe(success.total); // before the rejected row, every log was a success
    expect(byPrefix.items.map((log) => log.id)).toEqual([recordLog.id]);
    expect(byOtherRecord.total).toBe(0);

    // Fixed locally, it goes through on the next change push.
    await db.prisma.tasks.update({ where: { id: rejected.id }, data: { description: 'Acceptable now' } });
    const fixed = await until(
      async () => externalRecordKeyed(rejected.id),
      (record) => record?.fields.notes === 'Acceptable now',
    );
    expect(fixed?.fields.title).toBe('Rejected by REST');
  });

  it('holds a record edited on both sides as a PENDING conflict with a field-by-field diff', async () => {
    // External first, then local: whichever of the change push and the triggered pull sees the
    // record next finds both sides changed since the last sync.
    sandbox.store.update(COLLECTION, offsite.externalId, {
      fields: { title: 'Plan the offsite (edited in REST)', notes: 'Agenda in the shared drive' },
    });
    await db.prisma.tasks.update({
      where: { id: offsite.id },
      data: { title: 'Plan the offsite (edited in the app)', status: 'in_progress' },
    });
    expect((await trpc.syncs.trigger.mutate({ integrationId })).queued).toBe(true);
    const runs = await manualRunsSettled(4);
    for (const run of runs.slice(0, 2)) expect(run.status).toBe('COMPLETED');

    const pending = await until(
      () => trpc.conflicts.list.query({ integrationId }),
      (page) => page.items.length >= 1,
    );
    expect(pending.total).toBe(1);
    const [summary] = pending.items;
    expect(summary).toMatchObject({
      integrationId,
      resourceId,
      resourceType: 'TASK',
      internalId: offsite.id,
      externalId: offsite.externalId,
      conflictedFields: ['title'],
      status: 'PENDING',
      resolvedAt: null,
      resolvedBy: null,
      choice: null,
    });
    conflictId = summary!.id;

    // While it is open neither side overwrote the other.
    expect((await db.prisma.tasks.findUniqueOrThrow({ where: { id: offsite.id } })).title).toBe(
      'Plan the offsite (edited in the app)',
    );
    expect(sandbox.store.get(COLLECTION, offsite.externalId)?.fields.title).toBe('Plan the offsite (edited in REST)');

    const conflict = await trpc.conflicts.get.query({ id: conflictId });
    const field = (name: string) => conflict.fields.find((f) => f.field === name);
    expect(field('title')).toEqual({
      field: 'title',
      local: 'Plan the offsite (edited in the app)',
      external: 'Plan the offsite (edited in REST)',
      base: 'Plan the offsite',
      differs: true,
      conflicted: true,
    });
    expect(field('status')).toMatchObject({ local: 'in_progress', external: 'todo', differs: true, conflicted: false });
    expect(field('notes')).toMatchObject({
      local: 'Three days in May',
      external: 'Agenda in the shared drive',
      differs: true,
      conflicted: false,
    });
    expect(field('done')).toMatchObject({ local: false, external: false, differs: false, conflicted: false });
    expect((await trpc.resources.get.query({ id: resourceId })).mappingCounts).toMatchObject({ CONFLICT: 1 });
  });

  it('resolves the conflict field by field and pushes: both sides end with the chosen values', async () => {
    const outcome = await trpc.conflicts.resolve.mutate({
      conflictId,
      choice: { choice: 'fields', fields: { title: 'local', status: 'local', notes: 'external' } },
      push: true,
    });
    expect(outcome).toMatchObject({
      pushed: true,
      values: {
        title: 'Plan the offsite (edited in the app)',
        status: 'in_progress',
        notes: 'Agenda in the shared drive',
      },
    });

    // Locally at once; on the REST side when the worker has pushed the queued change.
    expect(await db.prisma.tasks.findUniqueOrThrow({ where: { id: offsite.id } })).toMatchObject({
      title: 'Plan the offsite (edited in the app)',
      status: 'in_progress',
      description: 'Agenda in the shared drive',
    });
    const external = await until(
      async () => sandbox.store.get(COLLECTION, offsite.externalId),
      (record) => record?.fields.title === 'Plan the offsite (edited in the app)',
    );
    expect(external?.fields).toMatchObject({
      title: 'Plan the offsite (edited in the app)',
      status: 'in_progress',
      notes: 'Agenda in the shared drive',
      done: false,
    });
    expect(external?.key).toBe(offsite.id);

    const [pending, resolved] = await Promise.all([
      trpc.conflicts.list.query({ integrationId }),
      trpc.conflicts.list.query({ integrationId, status: 'RESOLVED' }),
    ]);
    expect(pending.total).toBe(0);
    expect(resolved.items).toHaveLength(1);
    expect(resolved.items[0]).toMatchObject({
      id: conflictId,
      status: 'RESOLVED',
      resolutionStrategy: 'MANUAL_REVIEW',
      choice: 'fields',
      resolvedBy: { id: adminId },
    });
    expect((await trpc.conflicts.get.query({ id: conflictId })).resolvedData).toMatchObject(outcome.values);
    await until(
      () => trpc.resources.get.query({ id: resourceId }),
      (resource) => resource.mappingCounts.SYNCED === 6 && resource.mappingCounts.CONFLICT === 0,
    );
  });

  it('recorded an audit event for the create, resource create, each trigger and the resolution', async () => {
    const events = await db.prisma.auditEvent.findMany({ where: { actorId: adminId }, orderBy: { createdAt: 'asc' } });
    const entries = events.map((event) => [event.action, event.entityType, event.entityId]);
    expect(entries).toEqual(
      expect.arrayContaining([
        ['integration.create', 'integration', integrationId],
        ['resource.create', 'sync_resource', resourceId],
        ['sync.trigger', 'integration', integrationId],
        ['conflict.resolve', 'conflict', conflictId],
      ]),
    );
    expect(entries.filter(([action]) => action === 'sync.trigger')).toHaveLength(2);
    expect(entries.filter(([action]) => action === 'integration.test_connection')).toHaveLength(2);
    // Not one of them holds a credential or the webhook secret.
    const stored = JSON.stringify(events);
    for (const secret of [REST_TOKEN, WRONG_TOKEN, webhookSecret]) expect(stored).not.toContain(secret);
  });
});
