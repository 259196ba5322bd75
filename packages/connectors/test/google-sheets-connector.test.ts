// The Google Sheets connector against the sandbox over real HTTP: full reads keyed by the key
// column, batched writes (counted at the sandbox), deletes, and what two reads tell the engine.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExternalRecord, ResourceRef, UpsertItem } from '../src/contract.ts';
import type { SheetsChangePage } from '../src/google-sheets/index.ts';
import { SHEETS_ENDPOINTS } from '../src/google-sheets/sandbox/index.ts';
import { startGoogleSheetsHarness, type GoogleSheetsHarness } from '../src/google-sheets/testing.ts';
import { collect } from './helpers.ts';

const ID = 'contacts-sheet';
const contacts: ResourceRef = { object: ID, keyField: 'Email', options: { sheet: 'Contacts' } };
const firstTab: ResourceRef = { object: ID, keyField: 'Email' };
const E = SHEETS_ENDPOINTS;

let h: GoogleSheetsHarness;
beforeAll(async () => {
  h = await startGoogleSheetsHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.spreadsheets.clear();
  h.sandbox.counters.reset();
  h.sandbox.faults.clear();
  h.sandbox.spreadsheets.create({
    spreadsheetId: ID,
    sheets: [
      {
        title: 'Contacts',
        header: ['Email', 'Name', 'Company', 'Score'],
        rows: [
          ['ada@example.com', 'Ada Lovelace', 'Analytical', 97],
          ['grace@example.com', 'Grace Hopper', '', 88],
          ['', 'No Key', 'Nowhere'],
          ['alan@example.com', 'Alan Turing', 'Bletchley', 91],
        ],
      },
      { title: "Q1 'archive'", header: ['Name', 'Email'], rows: [['Old', 'old@example.com']] },
    ],
  });
});

const byId = (records: ExternalRecord[]) => Object.fromEntries(records.map((record) => [record.id, record.fields]));

describe('Google Sheets connector: reads', () => {
  it('tests the connection and reports its limits', async () => {
    expect(await h.connector.testConnection()).toMatchObject({
      ok: true,
      apiVersion: 'v4',
      message: 'credentials accepted',
    });
    expect(await h.connect({ testSpreadsheetId: ID }).testConnection()).toMatchObject({
      ok: true,
      message: 'opened "Untitled spreadsheet"',
    });
    expect(await h.connect({ auth: { accessToken: 'nope' } }).testConnection()).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^auth: HTTP 401/),
    });
    expect(h.connector.type).toBe('GOOGLE_SHEETS');
    expect(h.connector.limits).toEqual({
      requestsPerWindow: 60,
      windowMs: 60_000,
      maxBatchSize: 1000,
      maxConcurrentPerObject: 1,
    });
    expect(h.connect({ readsPerWindow: 100, writesPerWindow: 40, windowMs: 1000 }).limits).toMatchObject({
      requestsPerWindow: 40,
      windowMs: 1000,
    });
  });

  it('a full read: one values.get of the tab, records keyed by the key column', async () => {
    const pages = (await collect(h.connector.listChanges(contacts, null))) as SheetsChangePage[];
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({
      deletedIds: [],
      nextCursor: null,
      fullReadComplete: true,
      warnings: [{ row: 4, reason: 'missing_key' }],
    });
    expect(pages[0]!.records).toEqual([
      {
        id: 'ada@example.com',
        updatedAt: null,
        fields: { Email: 'ada@example.com', Name: 'Ada Lovelace', Company: 'Analytical', Score: 97 },
      },
      {
        id: 'grace@example.com',
        updatedAt: null,
        fields: { Email: 'grace@example.com', Name: 'Grace Hopper', Company: null, Score: 88 },
      },
      {
        id: 'alan@example.com',
        updatedAt: null,
        fields: { Email: 'alan@example.com', Name: 'Alan Turing', Company: 'Bletchley', Score: 91 },
      },
    ]);
    expect(h.sandbox.counters.byEndpoint()).toEqual({ [E.getValues]: 1 });
  });

  it('pages of at most pageSize records; only the last one completes the read; the cursor is ignored', async () => {
    const warnings: unknown[] = [];
    const connector = h.connect({ pageSize: 2, onWarning: (warning) => warnings.push(warning) });
    const pages = await collect(connector.listChanges(firstTab, 'ignored-cursor'));
    expect(pages.map((page) => [page.records.length, page.fullReadComplete ?? false, page.nextCursor])).toEqual([
      [2, false, null],
      [1, true, null],
    ]);
    expect(warnings).toEqual([{ row: 4, reason: 'missing_key', spreadsheetId: ID, sheet: 'Contacts' }]);
    // Without options.sheet the first tab is found once through spreadsheets.get, then remembered.
    await collect(connector.listChanges(firstTab, null));
    expect(h.sandbox.counters.byEndpoint()).toEqual({ [E.getSpreadsheet]: 1, [E.getValues]: 2 });
  });

  it('reads a tab by title (quotes and all) and refuses a tab without the key column', async () => {
    const archive = { object: ID, keyField: 'Email', options: { sheet: "Q1 'archive'" } };
    const [page] = await collect(h.connector.listChanges(archive, null));
    expect(page?.records).toEqual([
      { id: 'old@example.com', updatedAt: null, fields: { Name: 'Old', Email: 'old@example.com' } },
    ]);
    await expect(collect(h.connector.listChanges({ ...contacts, keyField: 'E-mail' }, null))).rejects.toMatchObject({
      kind: 'invalid',
      code: 'key_column_missing',
    });
    await expect(
      collect(h.connector.listChanges({ ...contacts, options: { sheet: 'Nope' } }, null)),
    ).rejects.toMatchObject({ kind: 'invalid', status: 400 });
  });

  it('new, changed and removed rows show up between two full reads', async () => {
    const first = (await collect(h.connector.listChanges(contacts, null))).flatMap((page) => page.records);
    // People edit the sheet: a new row, a changed cell, a deleted row, a re-sort.
    const store = h.sandbox.spreadsheets;
    store.appendRow(ID, 'Contacts', { Email: 'katherine@example.com', Name: 'Katherine Johnson', Score: 99 });
    store.updateRow(ID, 'Contacts', store.rowNumberOf(ID, 'Contacts', 'Email', 'grace@example.com')!, {
      Company: 'US Navy',
    });
    store.deleteRow(ID, 'Contacts', store.rowNumberOf(ID, 'Contacts', 'Email', 'alan@example.com')!);
    store.setRow(ID, 'Contacts', 2, ['zed@example.com', 'Zed']); // Ada's row overwritten by someone else
    const pages = await collect(h.connector.listChanges(contacts, null));
    const second = pages.flatMap((page) => page.records);
    expect(pages.at(-1)?.fullReadComplete).toBe(true);
    const before = byId(first);
    const after = byId(second);
    expect(
      Object.keys(after)
        .filter((id) => !(id in before))
        .sort(),
    ).toEqual(['katherine@example.com', 'zed@example.com']);
    expect(
      Object.keys(before)
        .filter((id) => !(id in after))
        .sort(),
    ).toEqual(['ada@example.com', 'alan@example.com']);
    expect(
      Object.keys(after).filter((id) => id in before && JSON.stringify(after[id]) !== JSON.stringify(before[id])),
    ).toEqual(['grace@example.com']);
  });

  it('getRecords, findByKeys and discoverFields', async () => {
    expect(
      (await h.connector.getRecords!(contacts, ['alan@example.com', 'nobody@example.com'])).map((record) => record.id),
    ).toEqual(['alan@example.com']);
    expect(
      await h.connector.findByKeys!(contacts, ['ada@example.com', ' grace@example.com', 'nobody@example.com']),
    ).toEqual(
      new Map([
        ['ada@example.com', 'ada@example.com'],
        [' grace@example.com', 'grace@example.com'],
      ]),
    );
    expect(await h.connector.discoverFields!(contacts)).toEqual([
      { name: 'Email', type: 'string', required: true },
      { name: 'Name', type: 'string' },
      { name: 'Company', type: 'string' },
      { name: 'Score', type: 'number' },
    ]);
  });
});

describe('Google Sheets connector: writes', () => {
  it('upsert: one batchGet for the keys, ONE values.batchUpdate for updates, ONE values.append for new rows', async () => {
    const items: UpsertItem[] = [
      { internalId: 'c1', externalId: 'ada@example.com', fields: { Score: 100 } },
      { internalId: 'c2', externalId: null, fields: { Email: 'grace@example.com', Company: 'US Navy' } },
      {
        internalId: 'c3',
        externalId: null,
        fields: { Email: 'katherine@example.com', Name: 'Katherine Johnson', Score: 99 },
      },
      { internalId: 'c4', externalId: null, fields: { Name: 'No email' } },
      {
        internalId: 'c5',
        externalId: null,
        fields: { Email: 'dorothy@example.com', Name: 'Dorothy Vaughan', Title: 'x' },
      },
      {
        internalId: 'c6',
        externalId: null,
        fields: { Email: 'mary@example.com', Name: 'Mary Jackson', Company: null },
      },
    ];
    const results = await h.connector.upsertBatch(contacts, items);
    expect(results.map((result) => (result.ok ? result.externalId : result.error.code))).toEqual([
      'ada@example.com',
      'grace@example.com',
      'katherine@example.com',
      'missing_key',
      'unknown_column',
      'mary@example.com',
    ]);
    expect(results[3]).toMatchObject({ internalId: 'c4', ok: false, error: { kind: 'invalid' } });
    expect(h.sandbox.counters.byEndpoint()).toEqual({
      [E.batchGetValues]: 1,
      [E.batchUpdateValues]: 1,
      [E.appendValues]: 1,
    });
    expect(h.sandbox.spreadsheets.rows(ID, 'Contacts')).toEqual([
      { Email: 'ada@example.com', Name: 'Ada Lovelace', Company: 'Analytical', Score: 100 },
      { Email: 'grace@example.com', Name: 'Grace Hopper', Company: 'US Navy', Score: 88 },
      { Email: null, Name: 'No Key', Company: 'Nowhere', Score: null },
      { Email: 'alan@example.com', Name: 'Alan Turing', Company: 'Bletchley', Score: 91 },
      { Email: 'katherine@example.com', Name: 'Katherine Johnson', Company: null, Score: 99 },
      { Email: 'mary@example.com', Name: 'Mary Jackson', Company: null, Score: null },
    ]);
    // Upserting again updates in place: nothing is appended twice.
    await h.connector.upsertBatch(contacts, [
      { internalId: 'c3', externalId: null, fields: { Email: 'katherine@example.com', Score: 98 } },
    ]);
    expect(h.sandbox.spreadsheets.rows(ID, 'Contacts')).toHaveLength(6);
    expect(h.sandbox.counters.count(E.appendValues)).toBe(1);
  });

  it('strings stay strings (RAW): no formulas, no number parsing', async () => {
    await h.connector.upsertBatch(contacts, [
      { internalId: 'x', externalId: null, fields: { Email: 'x@example.com', Name: '=1+1', Company: '007' } },
    ]);
    expect(h.sandbox.spreadsheets.rows(ID, 'Contacts').at(-1)).toMatchObject({ Name: '=1+1', Company: '007' });
  });

  it('keeps every request under maxRequestBytes by splitting, never rejected by the sandbox', async () => {
    const connector = h.connect({ maxRequestBytes: 60_000 });
    const note = 'n'.repeat(10_000);
    const items: UpsertItem[] = Array.from({ length: 12 }, (_, i) => ({
      internalId: `big-${i}`,
      externalId: null,
      fields: { Email: `big${i}@example.com`, Name: note },
    }));
    items.push({ internalId: 'ada', externalId: 'ada@example.com', fields: { Name: note } });
    const results = await connector.upsertBatch(contacts, items);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(h.sandbox.counters.count(E.appendValues)).toBe(3);
    expect(h.sandbox.counters.count(E.batchUpdateValues)).toBe(1);
    expect(h.sandbox.spreadsheets.rows(ID, 'Contacts')).toHaveLength(4 + 12);
    // A row that could never fit fails alone.
    const [tooBig] = await connector.upsertBatch(contacts, [
      {
        internalId: 'huge',
        externalId: null,
        fields: { Email: 'h@example.com', Name: 'x'.repeat(45_000), Company: 'y'.repeat(45_000) },
      },
    ]);
    expect(tooBig).toMatchObject({ ok: false, error: { kind: 'invalid', code: 'row_too_large' } });
  });

  it('finds the key column again when it moves', async () => {
    await collect(h.connector.listChanges(contacts, null));
    await h.connector.findByKeys!(contacts, ['ada@example.com']); // learns: Email is column A
    const store = h.sandbox.spreadsheets;
    const rows = store.values(ID, 'Contacts');
    rows.forEach((row, index) =>
      store.setRow(ID, 'Contacts', index + 1, [row[1] ?? null, row[0] ?? null, row[2] ?? null, row[3] ?? null]),
    );
    h.sandbox.counters.reset();
    const results = await h.connector.upsertBatch(contacts, [
      { internalId: 'a', externalId: 'ada@example.com', fields: { Score: 1 } },
    ]);
    expect(results[0]).toMatchObject({ ok: true, externalId: 'ada@example.com' });
    expect(h.sandbox.counters.byEndpoint()).toEqual({
      [E.batchGetValues]: 1,
      [E.getValues]: 1,
      [E.batchUpdateValues]: 1,
    });
    expect(store.rows(ID, 'Contacts')[0]).toEqual({
      Name: 'Ada Lovelace',
      Email: 'ada@example.com',
      Company: 'Analytical',
      Score: 1,
    });
  });

  it('delete removes the rows in one spreadsheets.batchUpdate; rows already gone count as deleted', async () => {
    const connector = h.connect(); // fresh caches: no key column or tab remembered
    const results = await connector.deleteBatch(contacts, [
      { internalId: 'c1', externalId: 'ada@example.com' },
      { internalId: 'c4', externalId: 'alan@example.com' },
      { internalId: 'c9', externalId: 'gone@example.com' },
    ]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(h.sandbox.spreadsheets.rows(ID, 'Contacts').map((row) => row.Email)).toEqual(['grace@example.com', null]);
    expect(h.sandbox.counters.byEndpoint()).toEqual({
      [E.getSpreadsheet]: 1,
      [E.batchGetValues]: 1,
      [E.batchUpdate]: 1,
    });
    const [page] = await collect(connector.listChanges(contacts, null));
    expect(page?.records.map((record) => record.id)).toEqual(['grace@example.com']);
  });

  it('needs a key field', async () => {
    await expect(collect(h.connector.listChanges({ object: ID }, null))).rejects.toMatchObject({ kind: 'invalid' });
    expect(
      h.connector.verifyWebhook({ method: 'POST', url: '/', headers: {}, rawBody: Buffer.from('{}') }, 's'),
    ).toEqual({ ok: false, reason: 'malformed' });
    expect(h.connector.parseWebhook({ method: 'POST', url: '/', headers: {}, rawBody: Buffer.from('{}') })).toEqual([]);
  });
});
