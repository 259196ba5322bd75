// Pulls from the sandbox: full reads, then incremental reads by rowsModifiedSince. Sandbox and
// connector share one fake clock, so "later" needs no sleeping.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, ResourceRef } from '../src/contract.ts';
import { createSmartsheetConnector } from '../src/smartsheet/index.ts';
import { createSmartsheetSandbox, type SmartsheetSandbox } from '../src/smartsheet/sandbox/index.ts';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';
import { collect } from './helpers.ts';

const TOKEN = 'changes-token';
const START = Date.parse('2025-12-03T09:00:00.250Z');
let now = START;
const clock = () => now;
let sandbox: SmartsheetSandbox;
let server: SandboxServer;
let connector: Connector;
let sheetId: number;
let sheet: ResourceRef;

beforeAll(async () => {
  sandbox = createSmartsheetSandbox({ accessToken: TOKEN, clock });
  server = await sandbox.start();
  connector = createSmartsheetConnector({
    accessToken: TOKEN,
    baseUrl: `${server.url}/2.0`,
    now: clock,
    cursorSafetyMarginMs: 5_000,
  });
});
afterAll(() => server.close());
beforeEach(() => {
  now = START;
  sandbox.limiter.reset();
  sandbox.faults.clear();
  sheetId = sandbox.sheets.createSheet({
    name: 'Connections',
    columns: [
      'Connection ID',
      'Scanner Name',
      { title: 'Connection Method', type: 'PICKLIST', options: ['qr_scan', 'manual_entry'] },
    ],
  }).id;
  sheet = { object: String(sheetId), keyField: 'Connection ID' };
});

describe('Smartsheet listChanges', () => {
  it('reads the whole sheet first, then only rows modified since the previous read began', async () => {
    const [a, b, c] = sandbox.sheets.insertRows(sheetId, [
      { 'Connection ID': 'c1', 'Scanner Name': 'Ada', 'Connection Method': 'qr_scan' },
      { 'Connection ID': 'c2', 'Scanner Name': 'Grace' },
      { 'Connection ID': 'c3', 'Scanner Name': 'Lin' },
    ]) as [number, number, number];
    now += 60_000;
    const full = await collect(connector.listChanges(sheet, null));
    expect(full).toHaveLength(1);
    expect(full[0]).toMatchObject({ fullReadComplete: true, deletedIds: [], nextCursor: '2025-12-03T09:00:55Z' });
    expect(full[0]!.records).toEqual([
      {
        id: String(a),
        updatedAt: '2025-12-03T09:00:00Z',
        fields: { 'Connection ID': 'c1', 'Scanner Name': 'Ada', 'Connection Method': 'qr_scan' },
      },
      {
        id: String(b),
        updatedAt: '2025-12-03T09:00:00Z',
        fields: { 'Connection ID': 'c2', 'Scanner Name': 'Grace', 'Connection Method': null },
      },
      {
        id: String(c),
        updatedAt: '2025-12-03T09:00:00Z',
        fields: { 'Connection ID': 'c3', 'Scanner Name': 'Lin', 'Connection Method': null },
      },
    ]);

    now += 60_000;
    sandbox.sheets.updateRowValues(sheetId, b, { 'Connection Method': 'manual_entry' });
    now += 60_000;
    const incremental = await collect(connector.listChanges(sheet, full[0]!.nextCursor));
    expect(incremental).toHaveLength(1);
    expect(incremental[0]!.fullReadComplete).toBeUndefined();
    expect(incremental[0]!.records.map((record) => [record.id, record.fields['Connection Method']])).toEqual([
      [String(b), 'manual_entry'],
    ]);
    expect(incremental[0]!.nextCursor).toBe('2025-12-03T09:02:55Z');

    now += 60_000;
    const quiet = await collect(connector.listChanges(sheet, incremental[0]!.nextCursor));
    expect(quiet[0]!.records).toEqual([]);
  });

  it('does not lose a change made in the same second as the read (modifiedAt has whole seconds)', async () => {
    const [row] = sandbox.sheets.insertRows(sheetId, [{ 'Connection ID': 'c1' }]) as [number];
    now += 60_000; // 09:01:00.250
    const first = await collect(connector.listChanges(sheet, null));
    now += 500; // still 09:01:00 to the API
    sandbox.sheets.updateRowValues(sheetId, row, { 'Scanner Name': 'late edit' });
    const next = await collect(connector.listChanges(sheet, first[0]!.nextCursor));
    expect(next[0]!.records.map((record) => record.fields['Scanner Name'])).toEqual(['late edit']);
    // Without the margin the edit would be invisible: modifiedAt 09:01:00 < a cursor of 09:01:00.250.
    const direct = sandbox.sheets.sheetJson(sheetId, { rowsModifiedSince: new Date(START + 60_000).toISOString() });
    expect(direct.rows).toEqual([]);
  });

  it('reads in full when asked, whatever the cursor', async () => {
    sandbox.sheets.insertRows(sheetId, [{ 'Connection ID': 'c1' }, { 'Connection ID': 'c2' }]);
    now += 3_600_000;
    const pages = await collect(connector.listChanges(sheet, '2025-12-03T10:00:00Z', { full: true }));
    expect(pages[0]).toMatchObject({ fullReadComplete: true });
    expect(pages[0]!.records).toHaveLength(2);
  });

  it('rejects a cursor it did not make', async () => {
    await expect(collect(connector.listChanges(sheet, 'page-2'))).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('passes the caller’s abort signal to the request', async () => {
    // The request is on its way when abort() runs; without the signal it would simply succeed.
    const controller = new AbortController();
    const pending = collect(connector.listChanges(sheet, null, { signal: controller.signal }));
    controller.abort();
    const error = await pending.catch((caught: unknown) => caught);
    expect(connector.classifyError(error)).toMatchObject({
      kind: 'retryable',
      message: expect.stringMatching(/^network error/),
    });
  });
});
