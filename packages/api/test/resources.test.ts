// Resources and mappings through the admin API, against a real database and the REST sandbox on a
// random port: validation naming each field, capture triggers for push resources, field discovery,
// suggestions, the live mapping preview, connection tests and webhook secret rotation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { z } from 'zod';
import { restWebhookHeaders } from '@syncbridge/connectors';
import { createRestSandbox, type RestSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import type { UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createConnectorProvider } from '@syncbridge/engine';
import { appRouter, createContext, type AppCaller, type SessionUser } from '../src/index.ts';
import { callerFor, createRoleUsers, keyRingWith, silentLogger } from './helpers.ts';

const db = useTestDatabase();
const { ring } = keyRingWith('k1');
const TOKEN = 'rest-sandbox-token-5f1c2a';

let users: Record<UserRole, SessionUser>;
let sandbox: RestSandbox;
let server: SandboxServer;
let admin: AppCaller;
let staff: AppCaller;
let viewer: AppCaller;
let integrationId: string;
let firstWebhookSecret: string;

/** The TRPCError a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw error;
  return error;
}

/** The per-field messages a form would receive (`data.zodError.fieldErrors`). */
function fieldErrors(error: TRPCError): Record<string, string[]> {
  expect(error.cause).toBeInstanceOf(z.ZodError);
  return z.flattenError(error.cause as z.ZodError).fieldErrors as Record<string, string[]>;
}

function resourceInput(overrides: Record<string, unknown> = {}) {
  return {
    integrationId,
    name: `tasks-${randomUUID().slice(0, 8)}`,
    resourceType: 'TASK',
    localTable: 'tasks',
    localKeyColumn: 'id',
    externalObject: 'tasks',
    direction: 'PUSH' as const,
    fieldMappings: [{ local: 'title', external: 'title', required: true }],
    ...overrides,
  };
}

async function captureTriggers(table: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ tgname: string }>(
    `select tgname from pg_trigger where tgrelid = to_regclass($1) and tgname like 'syncbridge_capture_%' order by tgname`,
    [`public.${table}`],
  );
  return rows.map((r) => r.tgname);
}

beforeAll(async () => {
  users = await createRoleUsers(db);
  sandbox = createRestSandbox({ token: TOKEN });
  server = await sandbox.start();
  sandbox.store.create('tasks', {
    key: 'seed-1',
    fields: { title: 'Seeded', notes: 'from the sandbox', status: 'todo', done: false, Priority: 'high' },
  });
  admin = callerFor(db, users.ADMIN, { keyRing: ring });
  staff = callerFor(db, users.STAFF, { keyRing: ring });
  viewer = callerFor(db, users.VIEWER, { keyRing: ring });
  const created = await admin.integrations.create({
    name: 'Tasks over REST',
    type: 'GENERIC_REST',
    baseUrl: server.url,
    authType: 'BEARER_TOKEN',
    credentials: { token: TOKEN },
    testConnection: true,
  });
  integrationId = created.integration.id;
  firstWebhookSecret = created.webhookSecret;
  expect(created.connection).toMatchObject({ ok: true, status: 'connected', credentialsValid: true });
});

afterAll(async () => {
  await server?.close();
});

describe('resources.create validation', () => {
  it('refuses an unknown table, naming the localTable field, and saves nothing', async () => {
    const input = resourceInput({ localTable: 'no_such_table' });
    const error = await failure(admin.resources.create(input));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/^localTable: Table public\.no_such_table does not exist\./);
    expect(fieldErrors(error).localTable).toEqual(['Table public.no_such_table does not exist.']);
    expect(await db.prisma.syncResource.count({ where: { name: input.name } })).toBe(0);
  });

  it('refuses an unknown mapped column and an unknown key column, each under its field', async () => {
    const error = await failure(
      admin.resources.create(
        resourceInput({
          localKeyColumn: 'no_key',
          fieldMappings: [
            { local: 'title', external: 'title' },
            { local: 'no_such_column', external: 'notes' },
          ],
        }),
      ),
    );
    expect(error.code).toBe('BAD_REQUEST');
    const fields = fieldErrors(error);
    expect(fields.localKeyColumn).toEqual(['Column "no_key" does not exist on public.tasks.']);
    expect(fields.fieldMappings).toEqual([
      'Mapping 2 ("notes"): column "no_such_column" does not exist on public.tasks.',
    ]);
    const paths = (error.cause as z.ZodError).issues.map((issue) => issue.path);
    expect(paths).toContainEqual(['fieldMappings', 1, 'local']);
  });

  it('refuses JSONata that does not compile and transform names that are not registered', async () => {
    const error = await failure(
      admin.resources.create(
        resourceInput({
          fieldMappings: [
            { local: 'title', external: 'title' },
            { external: 'summary', transform: { type: 'jsonata', expression: 'title & (' } },
            { local: 'title', external: 'short', transform: { type: 'function', name: 'noSuchFunction' } },
          ],
        }),
      ),
    );
    expect(error.code).toBe('BAD_REQUEST');
    const messages = fieldErrors(error).fieldMappings ?? [];
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^Mapping 2 \("summary"\), transform\.expression: is not valid JSONata/);
    expect(messages[1]).toMatch(/^Mapping 3 \("short"\), transform\.name: is not a registered function/);
    expect((error.cause as z.ZodError).issues.map((issue) => issue.path)).toContainEqual([
      'fieldMappings',
      1,
      'transform',
      'expression',
    ]);
  });

  it('refuses bad options and conditions columns, and a taken name', async () => {
    const first = await admin.resources.create(resourceInput({ direction: 'PULL' }));
    const error = await failure(
      admin.resources.create(
        resourceInput({
          name: first.name,
          syncConditions: { all: [{ field: 'no_flag', op: 'eq', value: true }] },
          options: { updatedAtColumn: 'no_updated', maxAttempts: 0 },
        }),
      ),
    );
    const fields = fieldErrors(error);
    expect(fields.name).toEqual([`Another resource of this integration is already called "${first.name}".`]);
    expect(fields.syncConditions).toEqual(['syncConditions.all.0: column "no_flag" does not exist on public.tasks.']);
    expect(fields.options?.[0]).toMatch(/^options\.maxAttempts: /);
  });

  it('gives HTTP clients the per-field messages in data.zodError', async () => {
    const response = await fetchRequestHandler({
      endpoint: '/trpc',
      req: new Request('http://localhost/trpc/resources.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: resourceInput({ localTable: 'missing_table' }) }),
      }),
      router: appRouter,
      createContext: () =>
        createContext({ prisma: db.prisma, pool: db.pool, logger: silentLogger, user: users.ADMIN, keyRing: ring }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { json: { data: { code: string; zodError: { fieldErrors: Record<string, string[]> } } } };
    };
    expect(body.error.json.data.code).toBe('BAD_REQUEST');
    expect(body.error.json.data.zodError.fieldErrors.localTable).toEqual([
      'Table public.missing_table does not exist.',
    ]);
  });
});

describe('resources.create and update', () => {
  it('creates a push resource, installs the capture triggers, and audits it', async () => {
    expect(await captureTriggers('participation_logs')).toEqual([]);
    const created = await admin.resources.create(
      resourceInput({
        name: 'participation',
        resourceType: 'PARTICIPATION',
        localTable: 'participation_logs',
        externalObject: 'logs',
        fieldMappings: [
          { local: 'activity', external: 'activity' },
          { local: 'hours', external: 'hours', transform: { type: 'number' } },
        ],
      }),
    );
    expect(created).toMatchObject({
      name: 'participation',
      localSchema: 'public',
      direction: 'PUSH',
      deletePolicy: 'IGNORE',
      conflictStrategy: null,
      effectiveConflictStrategy: 'LATEST_WINS',
      enabled: true,
      mappingCounts: { SYNCED: 0, PENDING_SYNC: 0, FAILED: 0, CONFLICT: 0, total: 0 },
    });
    expect(created.fieldMappings).toEqual([
      { local: 'activity', external: 'activity' },
      { local: 'hours', external: 'hours', transform: { type: 'number' } },
    ]);
    expect(await captureTriggers('participation_logs')).toEqual([
      'syncbridge_capture_delete',
      'syncbridge_capture_insert',
      'syncbridge_capture_update',
    ]);

    // The trigger works for this resource: an application write lands in the outbox.
    const member = await db.prisma.members.create({
      data: { first_name: 'Ada', email: `${randomUUID()}@example.com` },
    });
    const log = await db.prisma.participation_logs.create({
      data: { member_id: member.id, activity: 'Workshop', hours: 2.5, occurred_on: new Date('2025-03-01') },
    });
    const outbox = await db.prisma.changeOutbox.findMany({ where: { resourceId: created.id } });
    expect(outbox.map((row) => [row.rowKey, row.op])).toEqual([[log.id, 'INSERT']]);

    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'resource.create', entityId: created.id },
    });
    expect(audit.actorId).toBe(users.ADMIN.id);
    expect(audit.after).toMatchObject({ name: 'participation', localTable: 'participation_logs' });
  });

  it('does not install triggers for a pull resource', async () => {
    expect(await captureTriggers('contacts')).toEqual([]);
    await admin.resources.create(
      resourceInput({
        localTable: 'contacts',
        direction: 'PULL',
        fieldMappings: [{ local: 'email', external: 'email' }],
      }),
    );
    expect(await captureTriggers('contacts')).toEqual([]);
  });

  it('updates only what is given, validates the result, clears with null, and audits before/after', async () => {
    const created = await admin.resources.create(resourceInput({ conflictStrategy: 'LOCAL_WINS' }));
    expect(created.effectiveConflictStrategy).toBe('LOCAL_WINS');

    const updated = await admin.resources.update({
      id: created.id,
      direction: 'BIDIRECTIONAL',
      conflictStrategy: null,
      fieldMappings: [
        { local: 'title', external: 'title', required: true },
        { local: 'due_date', external: 'due', transform: { type: 'date', format: 'datetime' } },
      ],
    });
    expect(updated).toMatchObject({
      name: created.name,
      localTable: 'tasks',
      direction: 'BIDIRECTIONAL',
      conflictStrategy: null,
      effectiveConflictStrategy: 'LATEST_WINS',
    });
    expect((updated.fieldMappings as unknown[]).length).toBe(2);
    expect(await admin.resources.get({ id: created.id })).toEqual(updated);

    const error = await failure(
      admin.resources.update({ id: created.id, fieldMappings: [{ local: 'nope', external: 'title' }] }),
    );
    expect(fieldErrors(error).fieldMappings).toEqual([
      'Mapping 1 ("title"): column "nope" does not exist on public.tasks.',
    ]);
    expect((await admin.resources.get({ id: created.id })).fieldMappings).toEqual(updated.fieldMappings);

    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'resource.update', entityId: created.id },
    });
    expect(audit.before).toMatchObject({ direction: 'PUSH', conflictStrategy: 'LOCAL_WINS' });
    expect(audit.after).toMatchObject({
      direction: 'BIDIRECTIONAL',
      changed: ['direction', 'conflictStrategy', 'fieldMappings'],
    });
    await expect(admin.resources.update({ id: randomUUID(), enabled: false })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lists an integration’s resources with mapping counts by status', async () => {
    const resource = await admin.resources.create(resourceInput({ name: 'counted' }));
    await db.prisma.integrationMapping.createMany({
      data: [
        { integrationId, resourceId: resource.id, internalId: 'a', externalId: '1', status: 'SYNCED' },
        { integrationId, resourceId: resource.id, internalId: 'b', externalId: '2', status: 'SYNCED' },
        { integrationId, resourceId: resource.id, internalId: 'c', externalId: '3', status: 'FAILED' },
        { integrationId, resourceId: resource.id, internalId: 'd', externalId: null, status: 'PENDING_SYNC' },
        { integrationId, resourceId: resource.id, internalId: 'e', externalId: '5', status: 'CONFLICT' },
      ],
    });
    const { items } = await viewer.resources.list({ integrationId });
    expect(items.map((r) => r.name)).toEqual([...items.map((r) => r.name)].sort());
    const counted = items.find((r) => r.id === resource.id);
    expect(counted?.mappingCounts).toEqual({
      SYNCED: 2,
      PENDING_SYNC: 1,
      ERROR: 0,
      FAILED: 1,
      CONFLICT: 1,
      DELETED: 0,
      total: 5,
    });
    expect(items.find((r) => r.name === 'participation')?.mappingCounts.total).toBe(0);
    expect(counted).not.toHaveProperty('cursor');
    await expect(viewer.resources.list({ integrationId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('field discovery and suggestions', () => {
  it('suggests nothing before a discovery, then pairs columns with the fields the sandbox reports', async () => {
    const resource = await admin.resources.create(resourceInput({ name: 'discovered' }));
    expect(await viewer.resources.suggestMappings({ resourceId: resource.id })).toMatchObject({
      discovered: false,
      fields: [],
      suggestions: [],
    });

    const discovery = await staff.resources.discoverFields({ resourceId: resource.id });
    expect(discovery.fields.map((f) => f.name)).toEqual(['done', 'notes', 'Priority', 'status', 'title']);
    expect(discovery.fields.find((f) => f.name === 'done')?.type).toBe('boolean');
    expect(discovery.drift).toBeNull();
    expect(discovery.localColumns.map((c) => c.name)).toEqual(expect.arrayContaining(['id', 'title', 'priority']));
    expect(discovery.localColumns.find((c) => c.name === 'title')).toMatchObject({ dataType: 'text', nullable: false });
    expect((await viewer.resources.get({ id: resource.id })).discoveredFields?.length).toBe(5);

    const suggested = await viewer.resources.suggestMappings({ resourceId: resource.id });
    expect(suggested.discovered).toBe(true);
    expect(suggested.suggestions).toEqual([
      { local: 'title', external: 'title', type: 'string', alreadyMapped: true },
      { local: 'status', external: 'status', type: 'string', alreadyMapped: false },
      { local: 'priority', external: 'Priority', type: 'string', alreadyMapped: false },
    ]);
    expect(
      await db.prisma.auditEvent.count({ where: { action: 'resource.discover_fields', entityId: resource.id } }),
    ).toBe(1);
  });

  it('reports credentials the external system refuses as an upstream auth error', async () => {
    const resource = await admin.resources.create(resourceInput({ name: 'refused' }));
    sandbox.setTokens('another-token');
    try {
      const error = await failure(staff.resources.discoverFields({ resourceId: resource.id }));
      expect(error.code).toBe('BAD_GATEWAY');
      expect(error.message).toMatch(/^Field discovery failed: HTTP 401/);
      expect(error.message).not.toContain(TOKEN);
    } finally {
      sandbox.setTokens(TOKEN);
    }
  });
});

describe('resources.previewMapping', () => {
  const mappings = [
    { local: 'title', external: 'Title' },
    { external: 'Summary', transform: { type: 'jsonata', expression: 'title & " (" & status & ")"' } },
    { local: 'completed', external: 'Done', transform: { type: 'boolean' } },
    { local: 'due_date', external: 'Due', transform: { type: 'date', format: 'date' } },
  ];
  let resourceId: string;
  let taskId: string;

  beforeAll(async () => {
    resourceId = (await admin.resources.create(resourceInput({ name: 'previewed', fieldMappings: mappings }))).id;
    taskId = (
      await db.prisma.tasks.create({
        data: { title: 'Write docs', status: 'in_progress', due_date: new Date('2025-06-30T12:00:00Z') },
      })
    ).id;
  });

  it('maps the first row of the local table with the saved mappings', async () => {
    const preview = await viewer.resources.previewMapping({ resourceId });
    expect(preview).toMatchObject({ direction: 'toExternal', sampleSource: 'table', ok: true, errors: [] });
    expect(preview.sample).toMatchObject({ id: taskId, title: 'Write docs' });
    expect(preview.output).toEqual({
      Title: 'Write docs',
      Summary: 'Write docs (in_progress)',
      Done: false,
      Due: '2025-06-30',
    });
  });

  it('maps a given sample with unsaved mappings and reports each failing mapping by field', async () => {
    const preview = await viewer.resources.previewMapping({
      resourceId,
      sample: { title: 'Given', status: 'done', completed: 'yes', due_date: null },
      mapping: [
        ...mappings,
        { external: 'Broken', transform: { type: 'jsonata', expression: '$number("not a number")' } },
        { external: 'Unparsable', transform: { type: 'jsonata', expression: 'title &' } },
      ],
    });
    expect(preview.sampleSource).toBe('given');
    expect(preview.ok).toBe(false);
    expect(preview.output).toEqual({ Title: 'Given', Summary: 'Given (done)', Done: true, Due: null });
    expect(preview.errors).toHaveLength(2);
    expect(preview.errors[0]).toMatchObject({ index: 4, external: 'Broken', path: 'fieldMappings.4.transform' });
    expect(preview.errors[0]?.message).toMatch(/^Mapping 5 \("Broken"\): JSONata expression failed/);
    expect(preview.errors[1]).toMatchObject({
      index: 5,
      external: 'Unparsable',
      path: 'fieldMappings.5.transform.expression',
    });
    expect(preview.errors[1]?.message).toMatch(/is not valid JSONata/);
  });

  it('flags a column the table lacks, picks a row by key, and maps external records back', async () => {
    const preview = await viewer.resources.previewMapping({
      resourceId,
      sampleKey: taskId,
      mapping: [
        { local: 'title', external: 'Title' },
        { local: 'no_column', external: 'Nothing' },
      ],
    });
    expect(preview.output).toEqual({ Title: 'Write docs' });
    expect(preview.errors).toEqual([
      {
        index: 1,
        external: 'Nothing',
        path: 'fieldMappings.1.local',
        message: 'Mapping 2 ("Nothing"): column "no_column" does not exist on public.tasks.',
      },
    ]);

    const back = await viewer.resources.previewMapping({
      resourceId,
      direction: 'toLocal',
      sample: { Title: 'From outside', Done: 'true', Due: '2025-07-01' },
      mapping: [
        { local: 'title', external: 'Title' },
        { local: 'completed', external: 'Done', reverseTransform: { type: 'boolean' } },
      ],
    });
    expect(back).toMatchObject({ direction: 'toLocal', ok: true, output: { title: 'From outside', completed: true } });

    await expect(viewer.resources.previewMapping({ resourceId, direction: 'toLocal' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(viewer.resources.previewMapping({ resourceId, sampleKey: randomUUID() })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('integrations.testConnection', () => {
  it('connects with the stored credentials and with a draft’s', async () => {
    const stored = await admin.integrations.testConnection({ id: integrationId });
    expect(stored).toMatchObject({ ok: true, status: 'connected', apiVersion: '1.0', credentialsValid: true });
    expect(stored.latencyMs).toBeGreaterThanOrEqual(0);

    const draft = await admin.integrations.testConnection({
      type: 'GENERIC_REST',
      baseUrl: server.url,
      authType: 'BEARER_TOKEN',
      credentials: { token: TOKEN },
    });
    expect(draft).toMatchObject({ ok: true, status: 'connected', credentialsValid: true });
    expect(draft.message).toMatch(/^Connected \(API 1\.0\) in \d+ ms\.$/);
  });

  it('reports a wrong token as auth_failed without echoing it', async () => {
    const wrong = 'wrong-token-0d9e8f7a';
    const result = await admin.integrations.testConnection({
      type: 'GENERIC_REST',
      baseUrl: server.url,
      credentials: { token: wrong },
    });
    expect(result).toMatchObject({ ok: false, status: 'auth_failed', credentialsValid: false });
    expect(result.message).toMatch(/^The credentials were refused: HTTP 401/);
    expect(JSON.stringify(result)).not.toContain(wrong);

    const audits = await db.prisma.auditEvent.findMany({ where: { action: 'integration.test_connection' } });
    expect(audits.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(audits)).not.toContain(wrong);
    expect(JSON.stringify(audits)).not.toContain(TOKEN);
    expect(audits.map((a) => (a.after as { status: string }).status)).toContain('auth_failed');
  });

  it('reports a port nobody listens on as unreachable', async () => {
    const gone = await createRestSandbox({ token: TOKEN }).start();
    await gone.close();
    const result = await admin.integrations.testConnection({
      type: 'GENERIC_REST',
      baseUrl: gone.url,
      credentials: { token: TOKEN },
    });
    expect(result).toMatchObject({ ok: false, status: 'unreachable', credentialsValid: null });
    expect(result.message).toMatch(/^Could not reach the service: network error/);
  });

  it('lets integrations.create refuse to save what fails the same test', async () => {
    const name = `Refused ${randomUUID()}`;
    const error = await failure(
      admin.integrations.create({
        name,
        type: 'GENERIC_REST',
        baseUrl: server.url,
        credentials: { token: 'not-the-token' },
        testConnection: true,
      }),
    );
    expect(error.code).toBe('BAD_GATEWAY');
    expect(error.message).toMatch(/^Connection test failed: The credentials were refused/);
    expect(error.message).not.toContain('not-the-token');
    expect(await db.prisma.integration.count({ where: { name } })).toBe(0);
  });
});

describe('integrations.rotateWebhookSecret', () => {
  it('stores a new secret that verifies deliveries, while the old one no longer does', async () => {
    const { webhookSecret, integration } = await admin.integrations.rotateWebhookSecret({ id: integrationId });
    expect(integration.id).toBe(integrationId);
    expect(webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSecret).not.toBe(firstWebhookSecret);

    const row = await db.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } });
    const stored = ring.decrypt(row.webhookSecretKeyId!, row.webhookSecretEnc!);
    expect(stored).toBe(webhookSecret);

    // What the webhook ingress does: the integration's connector checks the signature with the stored secret.
    const connector = await createConnectorProvider({ pool: db.pool, keyRing: ring })(row);
    const rawBody = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'record.updated' }));
    const delivery = (secret: string) => ({
      method: 'POST',
      url: `/webhooks/${integrationId}`,
      headers: restWebhookHeaders({ secret, deliveryId: 'evt_1', rawBody }),
      rawBody,
    });
    expect(connector.verifyWebhook(delivery(webhookSecret), stored)).toEqual({ ok: true, deliveryId: 'evt_1' });
    expect(connector.verifyWebhook(delivery(firstWebhookSecret), stored)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });

    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'integration.rotate_webhook_secret', entityId: integrationId },
    });
    expect(audit.actorId).toBe(users.ADMIN.id);
    expect(audit.after).toEqual({ replaced: ['webhook signing key'] });
    for (const secret of [webhookSecret, firstWebhookSecret, row.webhookSecretEnc!]) {
      expect(JSON.stringify(audit)).not.toContain(secret);
    }
  });

  it('needs the key ring, and leaves Asana’s handshake secret alone', async () => {
    await expect(
      callerFor(db, users.ADMIN).integrations.rotateWebhookSecret({ id: integrationId }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const asana = await db.prisma.integration.create({ data: { name: 'Asana', type: 'ASANA' } });
    await expect(admin.integrations.rotateWebhookSecret({ id: asana.id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
  });
});
