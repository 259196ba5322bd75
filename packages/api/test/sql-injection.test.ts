// SQL injection through the admin API: classic payloads in every string input of every procedure
// that filters, searches or stores text, and in the identifiers of resource configuration. Each call
// must end in a normal (empty or filtered) answer or a validation error, never a server error, and
// the database must be intact afterwards: same tables, same users, same rows.
//
// Identifiers are also proven quoted where they reach SQL (capture triggers, the in-database
// connector): tables and columns named with reserved words and mixed case, which only work quoted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createInDatabaseConnector } from '@syncbridge/connectors';
import type { UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import type { AppCaller, SessionUser } from '../src/index.ts';
import { callerFor, createRoleUsers, keyRingWith, PASSWORD } from './helpers.ts';

const db = useTestDatabase();
const { ring } = keyRingWith('k1');

const PAYLOADS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  "'); DROP TABLE integrations; --",
  "%' UNION SELECT id, email, password_hash FROM users --",
  '1 UNION SELECT null, password_hash FROM users',
  '" OR ""="',
  '"; DROP TABLE "users"; --',
  '1; SELECT pg_sleep(5); --',
  '$$; DROP TABLE users; $$',
  '$1',
  "' || (SELECT password_hash FROM users LIMIT 1) || '",
  "admin'--",
  // Unicode look-alikes of the quote, which some normalisations turn into one.
  '\u2019 OR 1=1 --',
  '\uFF07 OR 1=1 --',
  '\u02BC; DROP TABLE users; --',
  // NUL bytes, which Postgres text cannot hold at all.
  'abc\u0000def',
  "\u0000'; DROP TABLE users; --",
  // Backslashes and LIKE wildcards.
  "\\'; DROP TABLE users; --",
  '\\',
  '%',
  '_',
  '%%',
];

let users: Record<UserRole, SessionUser>;
let admin: AppCaller;
let integrationId: string;
let resourceId: string;
let tablesBefore: string[];
let countsBefore: Record<string, number>;

/** Row counts of the tables the payloads aim at. */
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'users',
    'integrations',
    'sync_resources',
    'sync_logs',
    'conflict_resolutions',
    'job_executions',
    'alerts',
  ]) {
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    out[table] = rows[0]!.n;
  }
  return out;
}

async function publicTables(): Promise<string[]> {
  const { rows } = await db.pool.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  return rows.map((r) => r.name);
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/** Runs a call and says how it ended; anything but a TRPCError is rethrown (a bug in the test). */
async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

/** Calls with every payload; each must answer normally or with one of `allowed` (never a 500). */
async function withEveryPayload(
  name: string,
  call: (payload: string, index: number) => Promise<unknown>,
  check: (value: unknown, payload: string) => void = () => undefined,
  allowed: string[] = ['BAD_REQUEST'],
  payloads: readonly string[] = PAYLOADS,
): Promise<void> {
  for (const [index, payload] of payloads.entries()) {
    const result = await outcome(() => call(payload, index));
    const label = `${name} with ${JSON.stringify(payload)}`;
    if (result.ok) check(result.value, payload);
    else expect(allowed, `${label}: ${result.code} ${result.message}`).toContain(result.code);
  }
}

const noItems = (value: unknown) => expect((value as { items: unknown[] }).items).toEqual([]);

beforeAll(async () => {
  users = await createRoleUsers(db);
  admin = callerFor(db, users.ADMIN, { keyRing: ring });
  const integration = await db.prisma.integration.create({
    data: { name: 'Target', type: 'GENERIC_REST', baseUrl: 'https://api.example.com' },
  });
  integrationId = integration.id;
  const resource = await db.prisma.syncResource.create({
    data: {
      integrationId,
      name: 'tasks',
      resourceType: 'TASK',
      localTable: 'tasks',
      localKeyColumn: 'id',
      externalObject: 'tasks',
    },
  });
  resourceId = resource.id;
  const job = await db.prisma.jobExecution.create({
    data: { integrationId, resourceId, jobType: 'MANUAL_SYNC', status: 'COMPLETED', trigger: 'manual' },
  });
  for (let i = 0; i < 5; i++) {
    await db.prisma.syncLog.create({
      data: {
        integrationId,
        resourceId,
        jobExecutionId: job.id,
        operation: 'UPDATE',
        direction: 'PUSH',
        resourceType: 'TASK',
        status: 'SUCCESS',
        recordId: `rec-${i}`,
        externalId: `ext-${i}`,
      },
    });
  }
  await db.prisma.conflictResolution.create({
    data: {
      integrationId,
      resourceId,
      resourceType: 'TASK',
      internalId: 'rec-1',
      externalId: 'ext-1',
      localData: { title: 'a' },
      externalData: { title: 'b' },
      conflictedFields: ['title'],
    },
  });
  await db.prisma.alert.create({
    data: { integrationId, rule: 'SYNC_FAILED', severity: 'CRITICAL', title: 'Failed', message: 'failed' },
  });
  tablesBefore = await publicTables();
  countsBefore = await counts();
});

afterAll(async () => {
  // Whatever ran above: every table still there, no user, integration or log gone or added.
  expect(await publicTables()).toEqual(expect.arrayContaining(tablesBefore));
  const after = await counts();
  expect(after.users).toBe(countsBefore.users);
  expect(after.integrations).toBe(countsBefore.integrations);
  expect(after.sync_logs).toBe(countsBefore.sync_logs);
  expect(after.conflict_resolutions).toBe(countsBefore.conflict_resolutions);
});

describe('filters and searches', () => {
  it('integrations.list and .get', async () => {
    await withEveryPayload('integrations.list status', (p) => admin.integrations.list({ status: p as never }));
    await withEveryPayload('integrations.list type', (p) => admin.integrations.list({ type: p as never }));
    await withEveryPayload('integrations.get', (p) => admin.integrations.get({ id: p }));
    expect((await admin.integrations.list()).items).toHaveLength(1);
  });

  it('logs.list: every filter, the record search, the cursor; logs.get', async () => {
    await withEveryPayload('logs.list recordId', (p) => admin.logs.list({ recordId: p }), noItems);
    await withEveryPayload('logs.list resourceType', (p) => admin.logs.list({ resourceType: p }), noItems);
    await withEveryPayload('logs.list cursor', (p) => admin.logs.list({ cursor: p }));
    await withEveryPayload('logs.list integrationId', (p) => admin.logs.list({ integrationId: p }));
    await withEveryPayload('logs.list status', (p) => admin.logs.list({ status: p as never }));
    await withEveryPayload('logs.list operation', (p) => admin.logs.list({ operation: p as never }));
    await withEveryPayload('logs.list from', (p) => admin.logs.list({ from: p as never }));
    await withEveryPayload('logs.get', (p) => admin.logs.get({ id: p }));
    // The search still works, by prefix, and a wildcard matches only itself.
    expect((await admin.logs.list({ recordId: 'rec-' })).total).toBe(5);
    expect((await admin.logs.list({ recordId: 'ext-3' })).total).toBe(1);
    expect((await admin.logs.list({ recordId: '%' })).total).toBe(0);
    expect((await admin.logs.list({ recordId: 'rec_' })).total).toBe(0);
  });

  it('conflicts.list', async () => {
    await withEveryPayload('conflicts.list resourceType', (p) => admin.conflicts.list({ resourceType: p }), noItems);
    await withEveryPayload('conflicts.list cursor', (p) => admin.conflicts.list({ cursor: p }));
    await withEveryPayload('conflicts.list status', (p) => admin.conflicts.list({ status: p as never }));
    await withEveryPayload('conflicts.get', (p) => admin.conflicts.get({ id: p }));
    expect((await admin.conflicts.list({ resourceType: 'TASK' })).items).toHaveLength(1);
  });

  it('jobs.list and .get', async () => {
    await withEveryPayload('jobs.list cursor', (p) => admin.jobs.list({ cursor: p }));
    await withEveryPayload('jobs.list resourceId', (p) => admin.jobs.list({ resourceId: p }));
    await withEveryPayload('jobs.list jobType', (p) => admin.jobs.list({ jobType: p as never }));
    await withEveryPayload('jobs.list status', (p) => admin.jobs.list({ status: [p as never] }));
    await withEveryPayload('jobs.get', (p) => admin.jobs.get({ id: p }));
    expect((await admin.jobs.list()).items).toHaveLength(1);
  });

  it('alerts.list', async () => {
    await withEveryPayload('alerts.list cursor', (p) => admin.alerts.list({ cursor: p }));
    await withEveryPayload('alerts.list severity', (p) => admin.alerts.list({ severity: p as never }));
    await withEveryPayload('alerts.list integrationId', (p) => admin.alerts.list({ integrationId: p }));
    expect((await admin.alerts.list()).items).toHaveLength(1);
  });

  it('auth.signIn and users.create', async () => {
    // Each sign-in attempt costs a deliberately slow password hash: one payload of each kind.
    const signInPayloads = [PAYLOADS[0]!, PAYLOADS[2]!, PAYLOADS[4]!, PAYLOADS[13]!, PAYLOADS[16]!, PAYLOADS[18]!];
    await withEveryPayload(
      'auth.signIn email',
      (p) => callerFor(db, null).auth.signIn({ email: p, password: PASSWORD }),
      () => expect.fail('signed in with an injected email'),
      ['BAD_REQUEST', 'UNAUTHORIZED', 'TOO_MANY_REQUESTS'],
      signInPayloads,
    );
    await withEveryPayload(
      'auth.signIn password',
      (p) => callerFor(db, null).auth.signIn({ email: 'admin@example.com', password: p }),
      () => expect.fail('signed in with an injected password'),
      ['BAD_REQUEST', 'UNAUTHORIZED', 'TOO_MANY_REQUESTS'],
      signInPayloads,
    );
    await withEveryPayload(
      'users.create email',
      (p) => admin.users.create({ email: p, role: 'VIEWER', password: PASSWORD }),
      () => expect.fail('created a user with an injected email'),
    );
  });
});

describe('stored text', () => {
  it('resource names, types and external objects are stored as given, or refused', async () => {
    await withEveryPayload(
      'resources.create text fields',
      (p, i) =>
        admin.resources.create({
          integrationId,
          name: `${p} #${i}`,
          resourceType: p,
          localTable: 'tasks',
          localKeyColumn: 'id',
          externalObject: p,
          direction: 'PULL',
          fieldMappings: [{ local: 'title', external: p }],
        }),
      (value, p) => expect(value).toMatchObject({ resourceType: p.trim(), externalObject: p.trim() }),
    );
  });

  it('a mapping preview looks the sample row up by a parameter', async () => {
    await withEveryPayload(
      'resources.previewMapping sampleKey',
      (p) => admin.resources.previewMapping({ resourceId, sampleKey: p }),
      (value) => expect(value).toMatchObject({ sampleSource: 'none', sample: null }),
      ['BAD_REQUEST', 'NOT_FOUND'],
    );
  });
});

describe('identifiers in resource configuration', () => {
  const IDENTIFIER_PAYLOADS = [
    'tasks; DROP TABLE users',
    'tasks"; DROP TABLE users; --',
    'tasks" --',
    'public.users',
    'users--',
    'tasks where 1=1',
    '"tasks"',
    'tasks\u0000',
    'táblá',
    '1tasks',
    '',
    'a'.repeat(64),
  ];

  it('table, schema and key column names are refused unless plain identifiers of existing relations', async () => {
    for (const name of IDENTIFIER_PAYLOADS) {
      for (const field of ['localTable', 'localSchema', 'localKeyColumn'] as const) {
        const result = await outcome(() =>
          admin.resources.create({
            integrationId,
            name: `ident ${field} ${name}`,
            resourceType: 'TASK',
            localTable: 'tasks',
            localKeyColumn: 'id',
            externalObject: 'tasks',
            [field]: name,
          }),
        );
        expect(result, `${field} = ${JSON.stringify(name)}`).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      }
    }
  });

  it('mapped, filtered and option columns must exist on the live table', async () => {
    const base = {
      integrationId,
      resourceType: 'TASK',
      localTable: 'tasks',
      localKeyColumn: 'id',
      externalObject: 'tasks',
    };
    for (const name of IDENTIFIER_PAYLOADS) {
      const attempts = [
        { fieldMappings: [{ local: name, external: 'x' }] },
        { syncConditions: { all: [{ field: name, op: 'eq', value: 1 }] } },
        { options: { updatedAtColumn: name } },
        { options: { readView: name } },
      ];
      for (const [index, attempt] of attempts.entries()) {
        const result = await outcome(() =>
          admin.resources.create({ ...base, name: `cols ${index} ${name}`, ...attempt }),
        );
        expect(result, `${JSON.stringify(attempt)}`).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      }
    }
  });

  it("refuses Syncbridge's own tables and system schemas, which exist but must never sync", async () => {
    const attempts = [
      { localTable: 'users', localKeyColumn: 'id' },
      { localTable: 'sessions', localKeyColumn: 'id' },
      { localTable: 'integrations', localKeyColumn: 'id' },
      { localSchema: 'pg_catalog', localTable: 'pg_authid', localKeyColumn: 'oid' },
      { localSchema: 'information_schema', localTable: 'tables', localKeyColumn: 'table_name' },
      { localSchema: 'pgboss', localTable: 'job', localKeyColumn: 'id' },
    ];
    for (const attempt of attempts) {
      const result = await outcome(() =>
        admin.resources.create({
          integrationId,
          name: `own ${attempt.localTable}`,
          resourceType: 'X',
          externalObject: 'x',
          fieldMappings: [{ local: attempt.localKeyColumn, external: 'id' }],
          ...attempt,
        }),
      );
      expect(result, JSON.stringify(attempt)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      expect(result.ok ? '' : result.message).toContain('cannot be synced');
    }
  });
});

describe('identifiers reach SQL quoted', () => {
  // Legal identifiers that only work quoted: reserved words and mixed case.
  beforeAll(async () => {
    await db.pool.query(`create table "Order" ("Key" text primary key, "select" text, "from" text, "user" text)`);
    await db.pool.query(
      `create table "Select" ("Id" text primary key default gen_random_uuid()::text, "where" text unique, "group" text, "limit" text)`,
    );
  });

  it('a push resource on a table named with reserved words gets its capture triggers, and they fire', async () => {
    const created = await admin.resources.create({
      integrationId,
      name: 'reserved words',
      resourceType: 'ORDER',
      localTable: 'Order',
      localKeyColumn: 'Key',
      externalObject: 'orders',
      direction: 'PUSH',
      fieldMappings: [
        { local: 'select', external: 'select' },
        { local: 'from', external: 'from' },
      ],
      syncConditions: { all: [{ field: 'user', op: 'notNull' }] },
    });
    const { rows: triggers } = await db.pool.query<{ tgname: string }>(
      `select tgname from pg_trigger where tgrelid = '"Order"'::regclass and tgname like 'syncbridge_capture_%'`,
    );
    expect(triggers).toHaveLength(3);
    await db.pool.query(`insert into "Order" ("Key", "select", "from", "user") values ('k1', $1, 'x', 'u')`, [
      "'; DROP TABLE users; --",
    ]);
    const outbox = await db.prisma.changeOutbox.findMany({ where: { resourceId: created.id } });
    expect(outbox.map((row) => [row.rowKey, row.op])).toEqual([['k1', 'INSERT']]);
    const preview = await admin.resources.previewMapping({ resourceId: created.id, sampleKey: 'k1' });
    expect(preview).toMatchObject({ sampleSource: 'table', output: { select: "'; DROP TABLE users; --", from: 'x' } });
  });

  it('the in-database connector writes to and reads from such a table, values as parameters', async () => {
    const connector = createInDatabaseConnector({ sql: db.pool });
    const ref = {
      object: 'Select',
      options: { table: 'Select', idColumn: 'Id', conflictColumns: ['where'] },
    };
    const evil = "x'); DROP TABLE users; --";
    const results = await connector.upsertBatch(ref, [
      { internalId: 'a', externalId: null, fields: { where: 'w1', group: evil, limit: '1' } },
      { internalId: 'b', externalId: null, fields: { where: evil, group: 'g', limit: '2' } },
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const { rows } = await db.pool.query<{ where: string; group: string }>(
      `select "where", "group" from "Select" order by "limit"`,
    );
    expect(rows).toEqual([
      { where: 'w1', group: evil },
      { where: evil, group: 'g' },
    ]);
    const pages = [];
    for await (const page of connector.listChanges(ref, null)) pages.push(...page.records);
    expect(pages.map((r) => r.fields.where).sort()).toEqual([evil, 'w1'].sort());
  });

  it('the in-database connector refuses a target that is not a plain identifier', async () => {
    const connector = createInDatabaseConnector({ sql: db.pool });
    for (const table of ['Select"; DROP TABLE users; --', 'public.users', 'Select where 1=1']) {
      const ref = { object: table, options: { table, idColumn: 'Id', conflictColumns: ['where'] } };
      const results = await connector
        .upsertBatch(ref, [{ internalId: 'a', externalId: null, fields: { where: 'w9' } }])
        .then(
          (r) => r,
          (error: unknown) => error,
        );
      expect(results, table).toMatchObject({ code: '22023' });
    }
  });
});
