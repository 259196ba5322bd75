// The Google Sheets sandbox driven through googleapis itself (the official SDK), over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sheets, auth, type sheets_v4 } from 'googleapis/build/src/apis/sheets/index.js';
import {
  SHEETS_ENDPOINTS,
  createGoogleSheetsSandbox,
  type GoogleSheetsSandbox,
} from '../src/google-sheets/sandbox/index.ts';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';

const TOKEN = 'sheets-test-token';
const ID = 'contacts-sheet';

let sandbox: GoogleSheetsSandbox;
let server: SandboxServer;

/** A googleapis Sheets client with a fixed access token and its own retries off. */
function api(token = TOKEN): sheets_v4.Sheets {
  const client = new auth.OAuth2({});
  client.setCredentials({ access_token: token });
  return sheets({ version: 'v4', rootUrl: `${server.url}/`, auth: client, retry: false });
}

/** The GaxiosError googleapis rejects with: status and Google's error body. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; body: { error: Record<string, unknown> }; headers: Headers }> {
  try {
    await promise;
  } catch (error) {
    const response = (
      error as { response?: { status: number; data: { error: Record<string, unknown> }; headers: Headers } }
    ).response;
    if (!response) throw error;
    return { status: response.status, body: response.data, headers: response.headers };
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  sandbox = createGoogleSheetsSandbox({
    accessTokens: [
      { token: TOKEN, user: 'ada@example.com' },
      { token: 'other-token', user: 'bob@example.com' },
    ],
  });
  server = await sandbox.start();
});
afterAll(() => server.close());
beforeEach(() => {
  sandbox.spreadsheets.clear();
  sandbox.counters.reset();
  sandbox.faults.clear();
  sandbox.limiter.reset();
  sandbox.limiter.configure({
    readsPerUserPerWindow: 60,
    writesPerUserPerWindow: 60,
    readsPerWindow: 300,
    writesPerWindow: 300,
    windowMs: 60_000,
  });
  sandbox.spreadsheets.create({
    spreadsheetId: ID,
    title: 'Contacts export',
    sheets: [
      {
        title: 'Contacts',
        header: ['Email', 'Name', 'Score', 'Notes'],
        rows: [
          ['ada@example.com', 'Ada', 97],
          ['bob@example.com', 'Bob', '', 'call back'],
        ],
      },
      { title: 'Q1 archive', rowCount: 10, columnCount: 4 },
    ],
  });
});

describe('Google Sheets sandbox through googleapis', () => {
  it('spreadsheets.get: properties and tabs with grid sizes', async () => {
    const { data } = await api().spreadsheets.get({ spreadsheetId: ID });
    expect(data.properties).toMatchObject({ title: 'Contacts export', locale: 'en_US' });
    expect(data.sheets?.map((sheet) => sheet.properties)).toEqual([
      {
        sheetId: 0,
        title: 'Contacts',
        index: 0,
        sheetType: 'GRID',
        gridProperties: { rowCount: 1000, columnCount: 26 },
      },
      {
        sheetId: expect.any(Number),
        title: 'Q1 archive',
        index: 1,
        sheetType: 'GRID',
        gridProperties: { rowCount: 10, columnCount: 4 },
      },
    ]);
    expect(sandbox.counters.count(SHEETS_ENDPOINTS.getSpreadsheet)).toBe(1);
  });

  it('values.get: A1 ranges, trailing empties trimmed, rendering options', async () => {
    const { data } = await api().spreadsheets.values.get({ spreadsheetId: ID, range: 'Contacts!A1:Z' });
    expect(data).toEqual({
      range: 'Contacts!A1:Z1000',
      majorDimension: 'ROWS',
      values: [
        ['Email', 'Name', 'Score', 'Notes'],
        ['ada@example.com', 'Ada', '97'],
        ['bob@example.com', 'Bob', '', 'call back'],
      ],
    });
    const typed = await api().spreadsheets.values.get({
      spreadsheetId: ID,
      range: 'Contacts',
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    expect(typed.data.values?.[1]).toEqual(['ada@example.com', 'Ada', 97]);
    const empty = await api().spreadsheets.values.get({ spreadsheetId: ID, range: "'Q1 archive'!A1:D10" });
    expect(empty.data).toEqual({ range: "'Q1 archive'!A1:D10", majorDimension: 'ROWS' });
    expect(sandbox.counters.count(SHEETS_ENDPOINTS.getValues)).toBe(3);
  });

  it('values.batchGet: several ranges in one read', async () => {
    const { data } = await api().spreadsheets.values.batchGet({
      spreadsheetId: ID,
      ranges: ["'Contacts'!1:1", 'Contacts!A2:A'],
    });
    expect(data.valueRanges).toEqual([
      { range: 'Contacts!A1:Z1', majorDimension: 'ROWS', values: [['Email', 'Name', 'Score', 'Notes']] },
      { range: 'Contacts!A2:A1000', majorDimension: 'ROWS', values: [['ada@example.com'], ['bob@example.com']] },
    ]);
    expect(sandbox.counters.count(SHEETS_ENDPOINTS.batchGetValues)).toBe(1);
  });

  it('values.append: after the table, RAW or USER_ENTERED, inserting rows', async () => {
    const { data } = await api().spreadsheets.values.append({
      spreadsheetId: ID,
      range: 'Contacts!A1',
      valueInputOption: 'USER_ENTERED',
      insertDataOption: 'INSERT_ROWS',
      requestBody: {
        values: [
          ['cy@example.com', 'Cy', '12'],
          ['di@example.com', 'Di', "'0042"],
        ],
      },
    });
    expect(data).toEqual({
      spreadsheetId: ID,
      tableRange: 'Contacts!A1:D3',
      updates: {
        spreadsheetId: ID,
        updatedRange: 'Contacts!A4:C5',
        updatedRows: 2,
        updatedColumns: 3,
        updatedCells: 6,
      },
    });
    expect(sandbox.spreadsheets.values(ID).slice(3)).toEqual([
      ['cy@example.com', 'Cy', 12],
      ['di@example.com', 'Di', '0042'],
    ]);
    const missingOption = await failure(
      api().spreadsheets.values.append({ spreadsheetId: ID, range: 'Contacts!A1', requestBody: { values: [['x']] } }),
    );
    expect(missingOption).toMatchObject({
      status: 400,
      body: {
        error: { code: 400, status: 'INVALID_ARGUMENT', message: "'valueInputOption' is required but not specified" },
      },
    });
  });

  it('values.batchUpdate: one request for many ranges; totals in the response', async () => {
    const { data } = await api().spreadsheets.values.batchUpdate({
      spreadsheetId: ID,
      requestBody: {
        valueInputOption: 'RAW',
        data: [
          { range: 'Contacts!B2:C2', values: [['Ada L.', 98]] },
          { range: 'Contacts!A3:D3', values: [[null, null, 5, '']] },
        ],
      },
    });
    expect(data).toMatchObject({ spreadsheetId: ID, totalUpdatedRows: 2, totalUpdatedCells: 4, totalUpdatedSheets: 1 });
    expect(data.responses?.map((response) => response.updatedRange)).toEqual(['Contacts!B2:C2', 'Contacts!A3:D3']);
    expect(sandbox.spreadsheets.rows(ID)).toEqual([
      { Email: 'ada@example.com', Name: 'Ada L.', Score: 98, Notes: null },
      { Email: 'bob@example.com', Name: 'Bob', Score: 5, Notes: null },
    ]);
  });

  it('values.batchUpdate is atomic: one bad range → 400 and nothing applied', async () => {
    const before = sandbox.spreadsheets.values(ID);
    const error = await failure(
      api().spreadsheets.values.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          valueInputOption: 'RAW',
          data: [
            { range: 'Contacts!B2', values: [['changed']] },
            { range: 'Contcts!A1', values: [['typo']] },
          ],
        },
      }),
    );
    expect(error).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: 'Invalid data[1]: Unable to parse range: Contcts!A1',
          errors: [{ reason: 'badRequest' }],
        },
      },
    });
    expect(sandbox.spreadsheets.values(ID)).toEqual(before);
    expect(sandbox.counters.count(SHEETS_ENDPOINTS.batchUpdateValues)).toBe(1);
  });

  it('spreadsheets.batchUpdate deleteDimension removes rows (the rows below move up)', async () => {
    const { data } = await api().spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: {
        requests: [{ deleteDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } }],
      },
    });
    expect(data).toEqual({ spreadsheetId: ID, replies: [{}] });
    expect(sandbox.spreadsheets.values(ID).map((row) => row[0])).toEqual(['Email', 'bob@example.com']);
  });

  it('bodies over the 2 MB guidance are refused', async () => {
    const big = 'x'.repeat(45_000);
    const error = await failure(
      api().spreadsheets.values.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          valueInputOption: 'RAW',
          data: Array.from({ length: 50 }, (_, i) => ({ range: `Contacts!D${i + 2}`, values: [[big]] })),
        },
      }),
    );
    expect(error).toMatchObject({
      status: 400,
      body: {
        error: { status: 'INVALID_ARGUMENT', message: 'Request payload size exceeds the limit: 2097152 bytes.' },
      },
    });
  });

  it('quota: 429 RESOURCE_EXHAUSTED per user, reads and writes counted apart, no SDK retry', async () => {
    sandbox.limiter.configure({ readsPerUserPerWindow: 2 });
    const read = () => api().spreadsheets.values.get({ spreadsheetId: ID, range: 'Contacts!A1' });
    await read();
    await read();
    const error = await failure(read());
    expect(error.status).toBe(429);
    expect(error.body.error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: expect.stringMatching(
        /^Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user'/,
      ),
      details: [
        {
          reason: 'RATE_LIMIT_EXCEEDED',
          metadata: { quota_limit: 'ReadRequestsPerMinutePerUser', quota_limit_value: '2' },
        },
      ],
    });
    expect(error.headers.get('retry-after')).toBeNull();
    // googleapis retries GETs on 429 by default; with retry: false the third request reached us once.
    expect(sandbox.limiter.rejections['read:user']).toBe(1);
    expect(sandbox.counters.count(SHEETS_ENDPOINTS.getValues)).toBe(2);
    // Writes have their own quota, and another user has their own.
    await api().spreadsheets.values.update({
      spreadsheetId: ID,
      range: 'Contacts!D2',
      valueInputOption: 'RAW',
      requestBody: { values: [['ok']] },
    });
    await api('other-token').spreadsheets.values.get({ spreadsheetId: ID, range: 'Contacts!A1' });
    // The project-wide quota holds across users.
    sandbox.limiter.configure({ readsPerUserPerWindow: 60, readsPerWindow: 3 });
    expect(
      (await failure(api('other-token').spreadsheets.values.get({ spreadsheetId: ID, range: 'A1' }))).body.error
        .message,
    ).toMatch(/limit 'Read requests per minute' of service/);
  });

  it("Google's error bodies for 401, 403 and 404", async () => {
    const unauthorized = await failure(api('wrong-token').spreadsheets.get({ spreadsheetId: ID }));
    expect(unauthorized).toMatchObject({
      status: 401,
      body: { error: { code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] } },
    });
    expect(unauthorized.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    sandbox.spreadsheets.create({ spreadsheetId: 'private', sharedWith: ['bob@example.com'] });
    expect(await failure(api().spreadsheets.get({ spreadsheetId: 'private' }))).toMatchObject({
      status: 403,
      body: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission' } },
    });
    expect((await api('other-token').spreadsheets.get({ spreadsheetId: 'private' })).status).toBe(200);
    expect(await failure(api().spreadsheets.values.get({ spreadsheetId: 'missing', range: 'A1' }))).toMatchObject({
      status: 404,
      body: { error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.' } },
    });
  });

  it('injected faults use the same shapes and are not retried by the SDK', async () => {
    sandbox.faults.failNext(1, 'error', { status: 503 });
    expect(await failure(api().spreadsheets.get({ spreadsheetId: ID }))).toMatchObject({
      status: 503,
      body: { error: { status: 'UNAVAILABLE' } },
    });
    sandbox.faults.failNext(1, 'rate_limit');
    expect(await failure(api().spreadsheets.get({ spreadsheetId: ID }))).toMatchObject({
      status: 429,
      body: { error: { status: 'RESOURCE_EXHAUSTED' } },
    });
    expect(sandbox.faults.injected).toMatchObject({ error: 1, rate_limit: 1 });
    expect((await api().spreadsheets.get({ spreadsheetId: ID })).status).toBe(200);
    expect(sandbox.counters.count(SHEETS_ENDPOINTS.getSpreadsheet)).toBe(1);
  });
});
