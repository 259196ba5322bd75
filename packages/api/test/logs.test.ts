// logs.list and logs.get against seeded sync_logs rows: every filter (checked against the same
// filter applied in JS to the seeded rows), keyset pages that add up to the whole ordered set,
// offset pages, input limits, and secret-looking payload keys masked on the way out.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Prisma, SyncDirection, SyncLogStatus, SyncOperation } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import type { AppCaller, TListLogsInput } from '../src/index.ts';
import { callerFor, createRoleUsers } from './helpers.ts';

const db = useTestDatabase();

const STATUSES: SyncLogStatus[] = [
  'SUCCESS',
  'PARTIAL_SUCCESS',
  'FAILED',
  'SKIPPED',
  'RETRYING',
  'CONFLICT_RESOLVED',
  'CONFLICT_PENDING',
];
const OPERATIONS: SyncOperation[] = ['CREATE', 'UPDATE', 'DELETE', 'BULK_SYNC', 'WEBHOOK_RECEIVED'];
const DIRECTIONS: SyncDirection[] = ['PUSH', 'PULL', 'BIDIRECTIONAL'];
const SEEDED = 330;
const BASE_TIME = Date.parse('2026-03-01T12:00:00.000Z');

interface Seeded {
  id: string;
  integrationId: string;
  status: SyncLogStatus;
  operation: SyncOperation;
  direction: SyncDirection;
  resourceType: string;
  recordId: string | null;
  externalId: string | null;
  createdAt: Date;
}

let caller: AppCaller;
let alpha: { id: string; name: string };
let beta: { id: string; name: string };
let seeded: Seeded[];

type Filter = Omit<TListLogsInput, 'limit' | 'cursor' | 'offset'>;

const newestFirst = (a: Seeded, b: Seeded) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The ids a filter should return, newest first, computed without the database. */
function expectedIds(filter: Filter): string[] {
  const statuses = filter.status === undefined ? null : [filter.status].flat();
  const search = filter.recordId;
  return seeded
    .filter(
      (row) =>
        (!filter.integrationId || row.integrationId === filter.integrationId) &&
        (!statuses || statuses.includes(row.status)) &&
        (!filter.operation || row.operation === filter.operation) &&
        (!filter.direction || row.direction === filter.direction) &&
        (!filter.resourceType || row.resourceType === filter.resourceType) &&
        (!filter.from || row.createdAt >= filter.from) &&
        (!filter.to || row.createdAt < filter.to) &&
        (!search || !!row.recordId?.startsWith(search) || !!row.externalId?.startsWith(search)),
    )
    .sort(newestFirst)
    .map((row) => row.id);
}

/** Follows nextCursor to the end; returns every id in the order received. */
async function allPages(filter: Filter, limit: number): Promise<{ ids: string[]; pages: number; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await caller.logs.list({ ...filter, limit, cursor });
    pages++;
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((item) => item.id));
    totals.push(page.total);
    cursor = page.nextCursor ?? undefined;
    if (pages > 100) throw new Error('pagination does not end');
  } while (cursor);
  return { ids, pages, totals };
}

beforeAll(async () => {
  const users = await createRoleUsers(db);
  caller = callerFor(db, users.VIEWER);
  alpha = await db.prisma.integration.create({ data: { name: 'Alpha sheet', type: 'SMARTSHEET' } });
  beta = await db.prisma.integration.create({ data: { name: 'Beta CRM', type: 'HUBSPOT' } });
  const rows: Prisma.SyncLogCreateManyInput[] = [];
  for (let i = 0; i < SEEDED; i++) {
    rows.push({
      integrationId: i % 3 === 0 ? beta.id : alpha.id,
      status: STATUSES[i % STATUSES.length]!,
      operation: OPERATIONS[i % OPERATIONS.length]!,
      direction: DIRECTIONS[Math.floor(i / 2) % DIRECTIONS.length]!,
      resourceType: i % 4 === 0 ? 'CONTACT' : 'TASK',
      recordId: i % 2 === 0 ? `rec-${String(i).padStart(4, '0')}` : null,
      externalId: i % 5 === 0 ? `ext-${i}` : null,
      recordsProcessed: i % 10,
      recordsSucceeded: i % 7,
      recordsFailed: i % 3,
      durationMs: i * 3,
      // Three rows share each timestamp: the id breaks the tie.
      createdAt: new Date(BASE_TIME - Math.floor(i / 3) * 60_000),
    });
  }
  // Search edge cases: LIKE wildcards in the search text must match only themselves.
  const special = (recordId: string, minutesAgo: number): Prisma.SyncLogCreateManyInput => ({
    integrationId: alpha.id,
    status: 'FAILED',
    operation: 'UPDATE',
    direction: 'PUSH',
    resourceType: 'TASK',
    recordId,
    errorCode: 'invalid',
    errorMessage: `Row ${recordId} was rejected`,
    httpStatus: 422,
    createdAt: new Date(BASE_TIME + minutesAgo * 60_000),
  });
  rows.push(special('rec_1', 1), special('recX1', 2), special('50%', 3), special('500', 4), special('a\\b', 5));
  await db.prisma.syncLog.createMany({ data: rows });
  seeded = await db.prisma.syncLog.findMany({
    select: {
      id: true,
      integrationId: true,
      status: true,
      operation: true,
      direction: true,
      resourceType: true,
      recordId: true,
      externalId: true,
      createdAt: true,
    },
  });
  expect(seeded).toHaveLength(SEEDED + 5);
});

describe('logs.list filters', () => {
  const cases: [string, () => Filter][] = [
    ['no filter', () => ({})],
    ['integrationId', () => ({ integrationId: beta.id })],
    ['one status', () => ({ status: 'FAILED' })],
    ['several statuses', () => ({ status: ['RETRYING', 'CONFLICT_PENDING', 'SKIPPED'] })],
    ['operation', () => ({ operation: 'WEBHOOK_RECEIVED' })],
    ['direction', () => ({ direction: 'BIDIRECTIONAL' })],
    ['resourceType', () => ({ resourceType: 'CONTACT' })],
    ['from', () => ({ from: new Date(BASE_TIME - 20 * 60_000) })],
    ['to', () => ({ to: new Date(BASE_TIME - 100 * 60_000) })],
    ['from and to', () => ({ from: new Date(BASE_TIME - 50 * 60_000), to: new Date(BASE_TIME - 10 * 60_000) })],
    ['recordId exact', () => ({ recordId: 'rec-0042' })],
    ['recordId prefix', () => ({ recordId: 'rec-01' })],
    ['externalId prefix', () => ({ recordId: 'ext-1' })],
    ['externalId exact', () => ({ recordId: 'ext-325' })],
    [
      'everything at once',
      () => ({
        integrationId: alpha.id,
        status: ['SUCCESS', 'FAILED', 'RETRYING'],
        resourceType: 'TASK',
        from: new Date(BASE_TIME - 90 * 60_000),
        recordId: 'rec-0',
      }),
    ],
  ];

  it.each(cases)('%s', async (_name, build) => {
    const filter = build();
    const expected = expectedIds(filter);
    expect(expected.length).toBeGreaterThan(0);
    const page = await caller.logs.list({ ...filter, limit: 200 });
    expect(page.items.map((item) => item.id)).toEqual(expected.slice(0, 200));
    expect(page.total).toBe(expected.length);
    if (expected.length < seeded.length) expect(page.total).toBeLessThan(seeded.length);
  });

  it('treats LIKE wildcards and backslashes in the search as plain characters', async () => {
    const ids = async (recordId: string) => (await caller.logs.list({ recordId })).items.map((item) => item.recordId);
    expect(await ids('rec_')).toEqual(['rec_1']);
    expect(await ids('50%')).toEqual(['50%']);
    expect(await ids('a\\')).toEqual(['a\\b']);
    expect(await ids('%')).toEqual([]);
    expect(await ids("'; drop table sync_logs; --")).toEqual([]);
    expect(await db.prisma.syncLog.count()).toBe(SEEDED + 5);
  });

  it('returns what the log list shows, with the integration name and without payloads', async () => {
    const { items } = await caller.logs.list({ recordId: 'rec_1' });
    expect(items).toHaveLength(1);
    expect(items[0]).toEqual({
      id: expect.any(String),
      createdAt: new Date(BASE_TIME + 60_000),
      integrationId: alpha.id,
      integrationName: 'Alpha sheet',
      resourceId: null,
      jobExecutionId: null,
      operation: 'UPDATE',
      direction: 'PUSH',
      resourceType: 'TASK',
      status: 'FAILED',
      durationMs: null,
      recordsProcessed: 0,
      recordsSucceeded: 0,
      recordsFailed: 0,
      recordId: 'rec_1',
      externalId: null,
      errorCode: 'invalid',
      errorMessage: 'Row rec_1 was rejected',
      httpStatus: 422,
      retryCount: 0,
    });
  });

  it('defaults to 50 newest rows', async () => {
    const page = await caller.logs.list();
    expect(page.items.map((item) => item.id)).toEqual(expectedIds({}).slice(0, 50));
    expect(page.total).toBe(SEEDED + 5);
    expect(page.nextCursor).toEqual(expect.any(String));
  });
});

describe('logs.list pagination', () => {
  it('cursor pages concatenate to the full ordered set with no duplicates', async () => {
    const expected = expectedIds({});
    const { ids, pages, totals } = await allPages({}, 37);
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.ceil(expected.length / 37));
    expect(new Set(totals)).toEqual(new Set([expected.length]));
  });

  it('cursor pages of a filtered set, including an exact multiple of the page size', async () => {
    const filter: Filter = { integrationId: alpha.id, status: ['SUCCESS', 'FAILED', 'SKIPPED'] };
    const expected = expectedIds(filter);
    expect((await allPages(filter, 11)).ids).toEqual(expected);
    const exact = expectedIds({ integrationId: beta.id });
    expect(exact.length).toBe(110);
    const paged = await allPages({ integrationId: beta.id }, 55);
    expect(paged.ids).toEqual(exact);
    expect(paged.pages).toBe(2); // the second page knows it is the last one
  });

  it('offset pages', async () => {
    const expected = expectedIds({ resourceType: 'TASK' });
    const page = await caller.logs.list({ resourceType: 'TASK', offset: 40, limit: 20 });
    expect(page.items.map((item) => item.id)).toEqual(expected.slice(40, 60));
    expect(page.total).toBe(expected.length);
    const beyond = await caller.logs.list({ offset: 10_000 });
    expect(beyond).toEqual({ items: [], nextCursor: null, total: SEEDED + 5 });
    // The cursor of an offset page continues right after it.
    const next = await caller.logs.list({ resourceType: 'TASK', cursor: page.nextCursor!, limit: 20 });
    expect(next.items.map((item) => item.id)).toEqual(expected.slice(60, 80));
  });

  it('rejects a limit over 200, a bad limit, unknown enum values, a bad cursor and cursor with offset', async () => {
    await expect(caller.logs.list({ limit: 201 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.logs.list({ limit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await caller.logs.list({ limit: 200 })).items).toHaveLength(200);
    await expect(caller.logs.list({ status: 'EXPLODED' as SyncLogStatus })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.logs.list({ status: ['FAILED', 'NOPE' as SyncLogStatus] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.logs.list({ direction: 'SIDEWAYS' as SyncDirection })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.logs.list({ integrationId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.logs.list({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', "x' or 1=1"])).toString('base64url');
    await expect(caller.logs.list({ cursor: forged })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const { nextCursor } = await caller.logs.list({ limit: 5 });
    await expect(caller.logs.list({ cursor: nextCursor!, offset: 5 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      caller.logs.list({ from: new Date(BASE_TIME), to: new Date(BASE_TIME - 60_000) }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('logs.get', () => {
  it('returns one log with its payloads, secret-looking keys masked at any depth', async () => {
    const log = await db.prisma.syncLog.create({
      data: {
        integrationId: beta.id,
        operation: 'CREATE',
        direction: 'PUSH',
        resourceType: 'CONTACT',
        status: 'FAILED',
        recordId: 'contact-1',
        externalId: '901',
        httpStatus: 400,
        errorCode: 'invalid',
        errorMessage: 'Property "email" is invalid',
        requestPayload: {
          method: 'POST',
          headers: { Authorization: 'Bearer sk_live_SECRET1', 'X-Api-Key': 'SECRET2', accept: 'application/json' },
          apiKey: 'SECRET3',
          body: {
            inputs: [{ properties: { email: 'not-an-email', password: 'SECRET4' } }],
            auth: { access_token: 'SECRET5', refresh_token: 'SECRET6', client_secret: 'SECRET7', scope: 'crm' },
          },
        },
        responsePayload: { status: 'error', token: 'SECRET8', errors: [{ message: 'bad email', secret: 'SECRET9' }] },
      },
    });
    const got = await caller.logs.get({ id: log.id });
    expect(JSON.stringify(got)).not.toMatch(/SECRET\d/);
    expect(got).toMatchObject({
      id: log.id,
      integrationName: 'Beta CRM',
      recordId: 'contact-1',
      externalId: '901',
      httpStatus: 400,
      errorMessage: 'Property "email" is invalid',
      requestPayload: {
        method: 'POST',
        headers: { Authorization: '[redacted]', 'X-Api-Key': '[redacted]', accept: 'application/json' },
        apiKey: '[redacted]',
        body: {
          inputs: [{ properties: { email: 'not-an-email', password: '[redacted]' } }],
          auth: {
            access_token: '[redacted]',
            refresh_token: '[redacted]',
            client_secret: '[redacted]',
            scope: 'crm',
          },
        },
      },
      responsePayload: {
        status: 'error',
        token: '[redacted]',
        errors: [{ message: 'bad email', secret: '[redacted]' }],
      },
    });
    // What is stored stays as it was: masking happens on the way out.
    const stored = await db.prisma.syncLog.findUniqueOrThrow({ where: { id: log.id } });
    expect(JSON.stringify(stored.requestPayload)).toContain('SECRET1');
  });

  it('null payloads stay null; unknown and malformed ids are NOT_FOUND and BAD_REQUEST', async () => {
    const [any] = seeded;
    const got = await caller.logs.get({ id: any!.id });
    expect(got).toMatchObject({ id: any!.id, requestPayload: null, responsePayload: null });
    await expect(caller.logs.get({ id: '00000000-0000-4000-8000-00000000abcd' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(caller.logs.get({ id: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
