// GET /api/logs/export.csv on the real Express app: session-cookie auth, the logs.list filters from
// the query string, rows streamed across several keyset batches in newest-first order, CSV quoting,
// and the formula guard against CSV injection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createWebServer } from '../server/app.ts';
import { EXPORT_BATCH_SIZE, LOGS_EXPORT_PATH } from '../server/logs-export.ts';
import { signedInAs } from './auth-helpers.ts';
import { listen, silentLogger } from './helpers.ts';

const db = useTestDatabase();
let http: Awaited<ReturnType<typeof listen>>;
let viewerCookie: string;
let alphaId: string;
let betaId: string;

const BASE_TIME = Date.parse('2026-03-10T12:00:00.000Z');
/** More rows than one batch holds, so the export has to page. */
const BULK = EXPORT_BATCH_SIZE * 2 + 345;

const HEADER = [
  'time',
  'integration',
  'operation',
  'direction',
  'resource_type',
  'status',
  'duration_ms',
  'records_processed',
  'records_succeeded',
  'records_failed',
  'record_id',
  'external_id',
  'error_code',
  'error_message',
  'http_status',
  'integration_id',
  'log_id',
];

/** RFC 4180: fields separated by commas, quoted when needed, "" for a quote inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || (char === '\r' && text[i + 1] === '\n')) {
      if (char === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function download(query: string, cookie: string | null = viewerCookie) {
  const response = await fetch(`${http.url}${LOGS_EXPORT_PATH}${query}`, {
    headers: cookie ? { cookie } : {},
  });
  const text = await response.text();
  return { response, text };
}

/** The rows of a CSV download as objects keyed by header, after checking the header row. */
async function exported(query: string) {
  const { response, text } = await download(query);
  expect(response.status).toBe(200);
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual(HEADER);
  return rows.map((cells) => {
    expect(cells).toHaveLength(HEADER.length);
    return Object.fromEntries(HEADER.map((name, i) => [name, cells[i]!]));
  });
}

async function idsNewestFirst(where: Prisma.SyncLogWhereInput) {
  const rows = await db.prisma.syncLog.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  const web = await createWebServer({ db, logger: silentLogger, mode: 'api-only' });
  http = await listen(web.app);
  viewerCookie = (await signedInAs(db, 'VIEWER')).cookie;
  alphaId = (await db.prisma.integration.create({ data: { name: 'Alpha, "the" sheet', type: 'SMARTSHEET' } })).id;
  betaId = (await db.prisma.integration.create({ data: { name: 'Beta CRM', type: 'HUBSPOT' } })).id;

  const bulk: Prisma.SyncLogCreateManyInput[] = [];
  for (let i = 0; i < BULK; i++) {
    bulk.push({
      integrationId: i % 2 === 0 ? alphaId : betaId,
      operation: i % 3 === 0 ? 'CREATE' : 'UPDATE',
      direction: i % 4 === 0 ? 'PULL' : 'PUSH',
      resourceType: 'TASK',
      status: i % 5 === 0 ? 'FAILED' : 'SUCCESS',
      recordId: `task-${String(i).padStart(5, '0')}`,
      recordsProcessed: 1,
      recordsSucceeded: i % 5 === 0 ? 0 : 1,
      recordsFailed: i % 5 === 0 ? 1 : 0,
      durationMs: i,
      // Pairs of rows share a timestamp, so batch boundaries fall inside ties too.
      createdAt: new Date(BASE_TIME - Math.floor(i / 2) * 1000),
    });
  }
  await db.prisma.syncLog.createMany({ data: bulk });

  // Cells a spreadsheet would run as formulas, and cells that need quoting.
  await db.prisma.syncLog.createMany({
    data: [
      {
        integrationId: alphaId,
        operation: 'UPDATE',
        direction: 'PUSH',
        resourceType: 'CONTACT',
        status: 'FAILED',
        recordId: '=HYPERLINK("http://evil.example","click")',
        externalId: '+1 555 0100',
        errorCode: '@SUM(A1:A9)',
        errorMessage: '-2+3 went wrong',
        httpStatus: 422,
        durationMs: 0,
        createdAt: new Date(BASE_TIME + 60_000),
      },
      {
        integrationId: alphaId,
        operation: 'UPDATE',
        direction: 'PUSH',
        resourceType: 'CONTACT',
        status: 'RETRYING',
        recordId: 'quoted',
        errorCode: 'timeout',
        errorMessage: 'Upstream said "no", then, after a pause,\nclosed the connection',
        httpStatus: 504,
        createdAt: new Date(BASE_TIME + 120_000),
      },
    ],
  });
});

afterAll(async () => {
  await http?.close();
});

describe('GET /api/logs/export.csv', () => {
  it('answers 401 without a session and with an unknown session', async () => {
    for (const cookie of [null, 'sb_session=not-a-real-session']) {
      const { response, text } = await download('', cookie);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      expect(text).not.toContain('log_id');
    }
  });

  it('streams every row newest first across keyset batches, as an attachment', async () => {
    const { response, text } = await download('');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const day = new Date().toISOString().slice(0, 10);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="sync-logs-${day}.csv"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(HEADER);
    const ids = rows.map((cells) => cells[HEADER.indexOf('log_id')]!);
    expect(ids).toHaveLength(BULK + 2);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await idsNewestFirst({}));
  });

  it('applies the same filters as logs.list', async () => {
    const failed = await exported(`?integrationId=${betaId}&status=FAILED`);
    expect(failed.map((r) => r.log_id)).toEqual(await idsNewestFirst({ integrationId: betaId, status: 'FAILED' }));
    expect(failed.length).toBeGreaterThan(100);
    expect(failed.every((r) => r.integration === 'Beta CRM' && r.status === 'FAILED')).toBe(true);

    // Several statuses, as a list or repeated; empty form fields are ignored.
    const listed = await exported('?status=FAILED,RETRYING&resourceType=CONTACT&operation=');
    expect(listed.map((r) => r.status)).toEqual(['RETRYING', 'FAILED']);
    const repeated = await exported('?status=FAILED&status=RETRYING&resourceType=CONTACT');
    expect(repeated.map((r) => r.log_id)).toEqual(listed.map((r) => r.log_id));

    const from = new Date(BASE_TIME - 100_000).toISOString();
    const to = new Date(BASE_TIME - 50_000).toISOString();
    const range = await exported(`?from=${from}&to=${to}&direction=PULL&operation=CREATE`);
    expect(range.map((r) => r.log_id)).toEqual(
      await idsNewestFirst({
        createdAt: { gte: new Date(from), lt: new Date(to) },
        direction: 'PULL',
        operation: 'CREATE',
      }),
    );
    expect(range.length).toBeGreaterThan(5);
    expect(range.every((r) => r.time! >= from && r.time! < to)).toBe(true);

    const search = await exported('?recordId=task-0012');
    expect(search.map((r) => r.record_id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `task-0012${i}`).sort());
    expect(await exported('?from=2030-01-01')).toEqual([]);
  });

  it('quotes what needs quoting and defuses formulas', async () => {
    const rows = await exported('?resourceType=CONTACT');
    const [quoted, formula] = rows;
    expect(quoted).toMatchObject({
      integration: 'Alpha, "the" sheet',
      error_message: 'Upstream said "no", then, after a pause,\nclosed the connection',
      http_status: '504',
      duration_ms: '',
      record_id: 'quoted',
    });
    expect(formula).toMatchObject({
      time: new Date(BASE_TIME + 60_000).toISOString(),
      record_id: `'=HYPERLINK("http://evil.example","click")`,
      external_id: `'+1 555 0100`,
      error_code: `'@SUM(A1:A9)`,
      error_message: `'-2+3 went wrong`,
      duration_ms: '0',
      records_processed: '0',
      http_status: '422',
      status: 'FAILED',
      operation: 'UPDATE',
      direction: 'PUSH',
    });
  });

  it('rejects unknown enum values and malformed filters with 400', async () => {
    for (const query of ['?status=EXPLODED', '?status=FAILED,NOPE', '?integrationId=1 or 1=1', '?from=yesterday']) {
      const { response, text } = await download(query);
      expect(response.status).toBe(400);
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'VALIDATION' } });
    }
    const { response } = await download(`?from=${new Date(BASE_TIME).toISOString()}&to=2026-01-01`);
    expect(response.status).toBe(400);
  });

  it('lets every role download', async () => {
    for (const role of ['STAFF', 'ADMIN'] as const) {
      const { cookie } = await signedInAs(db, role);
      const { response, text } = await download('?resourceType=CONTACT', cookie);
      expect(response.status).toBe(200);
      expect(parseCsv(text)).toHaveLength(3);
    }
  });
});
