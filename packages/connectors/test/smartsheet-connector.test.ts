// The Smartsheet connector against the in-process sandbox over real HTTP: writes, lookups, schema.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ItemResult, ResourceRef, UpsertItem } from '../src/contract.ts';
import { createSmartsheetConnector, type SmartsheetConnectorOptions } from '../src/smartsheet/index.ts';
import {
  createSmartsheetSandbox,
  type SmartsheetSandbox,
  type SmartsheetSheetChange,
} from '../src/smartsheet/sandbox/index.ts';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';

const TOKEN = 'connector-token';
const ROWS = 'POST /2.0/sheets/:sheetId/rows';
const UPDATE = 'PUT /2.0/sheets/:sheetId/rows';
const DELETE = 'DELETE /2.0/sheets/:sheetId/rows';
let sandbox: SmartsheetSandbox;
let server: SandboxServer;
let sheet: ResourceRef;
const changes: SmartsheetSheetChange[] = [];

const connect = (options: Partial<SmartsheetConnectorOptions> = {}) =>
  createSmartsheetConnector({ accessToken: TOKEN, baseUrl: `${server.url}/2.0`, ...options });

beforeAll(async () => {
  sandbox = createSmartsheetSandbox({ accessToken: TOKEN, requestsPerWindow: 10_000 });
  sandbox.sheets.onChange((change) => changes.push(change));
  server = await sandbox.start();
});
afterAll(() => server.close());
beforeEach(() => {
  const created = sandbox.sheets.createSheet({
    name: 'Session RSVPs',
    columns: [
      'RSVP ID',
      'User Name',
      { title: 'RSVP Status', type: 'PICKLIST', options: ['attending', 'maybe', 'cancelled'] },
      { title: 'RSVP Date', type: 'DATE' },
      { title: 'Checked In', type: 'CHECKBOX' },
      'Sync Status',
    ],
  });
  sheet = { object: String(created.id), keyField: 'RSVP ID' };
  sandbox.counters.reset();
  sandbox.faults.clear();
  sandbox.limiter.reset();
  sandbox.limiter.configure({ requestsPerWindow: 10_000 });
  changes.length = 0;
});

const rsvp = (i: number, extra: Record<string, unknown> = {}): UpsertItem => ({
  internalId: `rsvp-${i}`,
  externalId: null,
  fields: {
    'User Name': `User ${i}`,
    'RSVP Status': 'attending',
    'RSVP Date': '2025-12-03T09:30:00.000Z',
    ...extra,
  } as UpsertItem['fields'],
});

const ids = (results: ItemResult[]) => results.map((result) => (result.ok ? result.externalId : ''));

describe('Smartsheet connector', () => {
  it('tests the connection and reports Smartsheet limits', async () => {
    const connector = connect();
    expect(connector.type).toBe('SMARTSHEET');
    expect(connector.limits).toEqual({
      requestsPerWindow: 300,
      windowMs: 60_000,
      maxBatchSize: 500,
      maxDeleteBatchSize: 400,
      maxConcurrentPerObject: 1,
    });
    await expect(connector.testConnection()).resolves.toMatchObject({ ok: true, apiVersion: '2.0' });
    await expect(connect({ accessToken: 'nope' }).testConnection()).resolves.toMatchObject({
      ok: false,
      message: expect.stringMatching(/^auth:/),
    });
  });

  it('creates rows at the bottom with the key column set, then updates them; one invalid row fails alone', async () => {
    const connector = connect();
    const created = await connector.upsertBatch(sheet, [
      rsvp(1),
      rsvp(2),
      rsvp(3, { 'User Name': '__invalid__' }),
      rsvp(4),
    ]);
    expect(created.map((result) => [result.internalId, result.ok])).toEqual([
      ['rsvp-1', true],
      ['rsvp-2', true],
      ['rsvp-3', false],
      ['rsvp-4', true],
    ]);
    expect(created[2]).toMatchObject({ ok: false, error: { kind: 'invalid', code: 1042 } });
    expect(created[0]).toMatchObject({ updatedAt: expect.stringMatching(/Z$/) });
    const rows = sandbox.sheets.readRows(Number(sheet.object));
    expect(rows.map((row) => [String(row.id), row.values['RSVP ID'], row.values['RSVP Date']])).toEqual([
      [ids(created)[0], 'rsvp-1', '2025-12-03'],
      [ids(created)[1], 'rsvp-2', '2025-12-03'],
      [ids(created)[3], 'rsvp-4', '2025-12-03'],
    ]);
    expect(changes.every((change) => change.changeAgent === 'syncbridge')).toBe(true);

    const updated = await connector.upsertBatch(sheet, [
      {
        internalId: 'rsvp-2',
        externalId: ids(created)[1]!,
        fields: { 'RSVP Status': 'cancelled', 'Checked In': true, 'Sync Status': null },
      },
      rsvp(3), // retried after a fix: now valid, so created
      { internalId: 'rsvp-4', externalId: ids(created)[3]!, fields: { 'Checked In': 'yes' } },
      { internalId: 'rsvp-9', externalId: '1111111111111111', fields: { 'User Name': 'gone' } },
    ]);
    expect(updated.map((result) => result.ok)).toEqual([true, true, false, false]);
    expect(updated[2]).toMatchObject({ internalId: 'rsvp-4', error: { kind: 'invalid', code: 1042 } });
    expect(updated[3]).toMatchObject({ internalId: 'rsvp-9', error: { kind: 'invalid', code: 1006 } });
    expect(sandbox.sheets.readRows(Number(sheet.object))[1]!.values).toMatchObject({
      'RSVP Status': 'cancelled',
      'Checked In': true,
      'User Name': 'User 2',
    });
    expect([sandbox.counters.count(ROWS), sandbox.counters.count(UPDATE)]).toEqual([2, 1]);
  });

  it('sends at most 500 rows per request and keeps results in input order', async () => {
    const items = Array.from({ length: 1_201 }, (_, i) => rsvp(i));
    const results = await connect().upsertBatch(sheet, items);
    expect(results.map((result) => result.internalId)).toEqual(items.map((item) => item.internalId));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(sandbox.counters.count(ROWS)).toBe(3);
    expect(sandbox.sheets.readRows(Number(sheet.object))).toHaveLength(1_201);
  });

  it('fails items naming a column the sheet does not have, after one column refresh', async () => {
    const connector = connect();
    const results = await connector.upsertBatch(sheet, [rsvp(1), rsvp(2, { Nickname: 'x', Mood: 'ok' })]);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toMatchObject({
      ok: false,
      error: { kind: 'invalid', message: expect.stringContaining("'Nickname', 'Mood'") },
    });
    expect(sandbox.counters.count('GET /2.0/sheets/:sheetId/columns')).toBe(2);
    await connector.upsertBatch(sheet, [rsvp(3)]);
    expect(sandbox.counters.count('GET /2.0/sheets/:sheetId/columns')).toBe(2); // cached
  });

  it('throws when the first request fails; after a success, the rest fail with the classified error', async () => {
    const connector = connect();
    sandbox.faults.failNext(2, 'error', { status: 503 }); // Get Columns, then Add Rows
    await expect(connector.upsertBatch(sheet, [rsvp(1)])).rejects.toMatchObject({ kind: 'retryable', status: 503 });
    await expect(connector.upsertBatch(sheet, [rsvp(1)])).rejects.toMatchObject({
      kind: 'retryable',
      status: 503,
      code: 4001,
    });
    const created = await connector.upsertBatch(sheet, [rsvp(2)]);
    // Columns are cached now: the next call makes two requests, and only the first is admitted.
    sandbox.limiter.reset();
    sandbox.limiter.configure({ requestsPerWindow: 1 });
    const creates = Array.from({ length: 500 }, (_, i) => rsvp(100 + i));
    const mixed = await connector.upsertBatch(sheet, [...creates, { ...rsvp(2), externalId: ids(created)[0]! }]);
    expect(mixed.slice(0, 500).every((result) => result.ok)).toBe(true);
    expect(mixed[500]).toMatchObject({ internalId: 'rsvp-2', ok: false, error: { kind: 'rate_limited', code: 4003 } });
  });

  it('deletes rows in chunks of at most 400 ids; rows already gone count as deleted', async () => {
    const connector = connect();
    const created = await connector.upsertBatch(
      sheet,
      Array.from({ length: 900 }, (_, i) => rsvp(i)),
    );
    sandbox.sheets.removeRows(Number(sheet.object), [Number(ids(created)[5])]);
    const items = created.map((result, i) => ({ internalId: result.internalId, externalId: ids(created)[i]! }));
    items.push({ internalId: 'bogus', externalId: 'not-a-row' });
    const results = await connector.deleteBatch(sheet, items);
    expect(results.slice(0, 900).every((result) => result.ok)).toBe(true);
    expect(results[900]).toMatchObject({ internalId: 'bogus', ok: false, error: { kind: 'invalid' } });
    expect(sandbox.counters.count(DELETE)).toBe(3);
    expect(sandbox.sheets.readRows(Number(sheet.object))).toEqual([]);
  });

  it('finds rows by key after a lost create response, and fetches rows by id', async () => {
    const connector = connect();
    const created = await connector.upsertBatch(sheet, [rsvp(1), rsvp(2), rsvp(3)]);
    sandbox.sheets.insertRows(Number(sheet.object), [{ 'RSVP ID': 'typed-by-hand' }]);
    const found = await connector.findByKeys!(sheet, ['rsvp-1', 'rsvp-3', 'rsvp-404']);
    expect(found).toEqual(
      new Map([
        ['rsvp-1', ids(created)[0]],
        ['rsvp-3', ids(created)[2]],
      ]),
    );
    await expect(connector.findByKeys!({ object: sheet.object }, ['x'])).rejects.toMatchObject({ kind: 'invalid' });
    await expect(connector.findByKeys!({ object: sheet.object, keyField: 'Nope' }, ['x'])).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining("'Nope'"),
    });

    const records = await connector.getRecords!(sheet, [ids(created)[2]!, '1234', 'junk']);
    expect(records).toEqual([
      {
        id: ids(created)[2],
        updatedAt: expect.any(String),
        fields: {
          'RSVP ID': 'rsvp-3',
          'User Name': 'User 3',
          'RSVP Status': 'attending',
          'RSVP Date': '2025-12-03',
          'Checked In': null,
          'Sync Status': null,
        },
      },
    ]);
  });

  it('discovers columns with their types and picklist options', async () => {
    expect(await connect().discoverFields!(sheet)).toEqual([
      { name: 'RSVP ID', type: 'string', required: true },
      { name: 'User Name', type: 'string' },
      { name: 'RSVP Status', type: 'enum', options: ['attending', 'maybe', 'cancelled'] },
      { name: 'RSVP Date', type: 'date' },
      { name: 'Checked In', type: 'boolean' },
      { name: 'Sync Status', type: 'string' },
    ]);
    await expect(connect().discoverFields!({ object: 'not-a-sheet' })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(connect().discoverFields!({ object: '1234567890123456' })).rejects.toMatchObject({
      kind: 'invalid',
      status: 404,
      code: 1006,
    });
  });
});
