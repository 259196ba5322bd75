import { describe, expect, it } from 'vitest';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { loadFixture } from '../fixtures/load.ts';
import { SheetsApiError } from './errors.ts';
import { SheetsOperations } from './operations.ts';
import { SpreadsheetStore } from './store.ts';

function setup() {
  const store = new SpreadsheetStore({ rng: seededRng(3) });
  const ops = new SheetsOperations(store);
  const { spreadsheetId } = store.create({
    spreadsheetId: 'sheet-1',
    title: 'Contacts export',
    sheets: [
      {
        title: 'Contacts',
        header: ['Email', 'Name', 'Score', 'Notes'],
        rows: [['a@x', 'Ada', 97], { Email: 'b@x', Name: 'Bob', Notes: 'n' }, [], ['c@x', '', 3]],
      },
      { title: 'My Tab', rowCount: 5, columnCount: 3 },
    ],
  });
  return { store, ops, spreadsheetId };
}

function apiError(run: () => unknown): SheetsApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof SheetsApiError) return error;
    throw error;
  }
  throw new Error('expected a SheetsApiError');
}

describe('SpreadsheetStore', () => {
  it('creates tabs from a header and rows, and reads them back like the API', () => {
    const { store, spreadsheetId } = setup();
    expect(store.values(spreadsheetId)).toEqual([
      ['Email', 'Name', 'Score', 'Notes'],
      ['a@x', 'Ada', 97],
      ['b@x', 'Bob', '', 'n'],
      [],
      ['c@x', '', 3],
    ]);
    expect(store.rows(spreadsheetId, 'Contacts')[1]).toEqual({ Email: 'b@x', Name: 'Bob', Score: null, Notes: 'n' });
    expect(store.sheet(spreadsheetId, 'my tab').grid).toMatchObject({ rowCount: 5, columnCount: 3 });
    expect(store.rowNumberOf(spreadsheetId, undefined, 'Email', 'c@x')).toBe(5);
  });

  it('edits rows directly, as a person in the sheet would', () => {
    const { store, spreadsheetId } = setup();
    store.updateRow(spreadsheetId, undefined, 2, { Name: 'Ada L.', Score: null });
    expect(store.appendRow(spreadsheetId, undefined, { Email: 'd@x' })).toBe(6);
    store.deleteRow(spreadsheetId, undefined, 3);
    expect(store.values(spreadsheetId).map((row) => row[0])).toEqual(['Email', 'a@x', undefined, 'c@x', 'd@x']);
    expect(store.rows(spreadsheetId)[0]).toMatchObject({ Name: 'Ada L.', Score: null });
  });
});

describe('values reads', () => {
  it('echoes the range clipped to the grid and trims trailing empties', () => {
    const { ops, spreadsheetId } = setup();
    expect(ops.getValues(spreadsheetId, null, 'Contacts', { valueRenderOption: 'UNFORMATTED_VALUE' })).toEqual({
      range: 'Contacts!A1:Z1000',
      majorDimension: 'ROWS',
      values: [['Email', 'Name', 'Score', 'Notes'], ['a@x', 'Ada', 97], ['b@x', 'Bob', '', 'n'], [], ['c@x', '', 3]],
    });
    // FORMATTED_VALUE (the default) renders everything as text.
    expect(ops.getValues(spreadsheetId, null, 'C1:C2', {}).values).toEqual([['Score'], ['97']]);
    expect(ops.getValues(spreadsheetId, null, "'My Tab'!A1:C5", {})).toEqual({
      range: "'My Tab'!A1:C5",
      majorDimension: 'ROWS',
    });
    expect(ops.getValues(spreadsheetId, null, 'Contacts!A2:B', { majorDimension: 'COLUMNS' }).values).toEqual([
      ['a@x', 'b@x', '', 'c@x'],
      ['Ada', 'Bob'],
    ]);
  });

  it('answers 400 for ranges it cannot parse or that leave the grid, 404 and 403 for spreadsheets', () => {
    const { store, ops, spreadsheetId } = setup();
    expect(apiError(() => ops.getValues(spreadsheetId, null, 'Nope!A1', {})).message).toBe(
      'Unable to parse range: Nope!A1',
    );
    expect(apiError(() => ops.getValues(spreadsheetId, null, "'My Tab'!A1:D2", {})).message).toBe(
      "Range ('My Tab'!A1:D2) exceeds grid limits. Max rows: 5, max columns: 3",
    );
    expect(apiError(() => ops.getValues(spreadsheetId, null, 'A1', { majorDimension: 'DIAGONAL' })).code).toBe(400);
    expect(apiError(() => ops.getValues('missing', null, 'A1', {})).toResponse()).toMatchObject({
      status: 404,
      body: { error: { status: 'NOT_FOUND' } },
    });
    store.create({ spreadsheetId: 'private', sharedWith: ['owner@x'] });
    expect(apiError(() => ops.getSpreadsheet('private', 'someone@x')).code).toBe(403);
    expect(ops.getSpreadsheet('private', 'owner@x').sheets[0]?.properties.title).toBe('Sheet1');
  });
});

describe('values writes', () => {
  it('batchUpdate: null skips a cell, "" clears it, USER_ENTERED parses like typing', () => {
    const { store, ops, spreadsheetId } = setup();
    const response = ops.batchUpdateValues(spreadsheetId, null, {
      valueInputOption: 'USER_ENTERED',
      data: [
        { range: 'Contacts!A2:D2', values: [[null, 'Ada L.', '42', '']] },
        { range: "'Contacts'!B3", values: [['TRUE', "'007"]] },
      ],
    });
    expect(response).toMatchObject({
      totalUpdatedRows: 2,
      totalUpdatedCells: 5,
      totalUpdatedSheets: 1,
      responses: [{ updatedRange: 'Contacts!A2:D2' }, { updatedRange: 'Contacts!B3:C3' }],
    });
    expect(store.values(spreadsheetId).slice(1, 3)).toEqual([
      ['a@x', 'Ada L.', 42],
      ['b@x', true, '007', 'n'],
    ]);
  });

  it('batchUpdate is all or nothing: one bad part, nothing written', () => {
    const { store, ops, spreadsheetId } = setup();
    const before = store.values(spreadsheetId);
    const error = apiError(() =>
      ops.batchUpdateValues(spreadsheetId, null, {
        valueInputOption: 'RAW',
        data: [
          { range: 'Contacts!A2', values: [['changed']] },
          { range: 'Nope!A1', values: [['x']] },
        ],
      }),
    );
    expect(error.message).toBe('Invalid data[1]: Unable to parse range: Nope!A1');
    expect(store.values(spreadsheetId)).toEqual(before);
    expect(
      apiError(() =>
        ops.batchUpdateValues(spreadsheetId, null, {
          valueInputOption: 'RAW',
          data: [{ range: 'A1:B1', values: [['1', '2', '3']] }],
        }),
      ).message,
    ).toBe('Invalid data[0]: Requested writing within range [A1:B1], but tried writing to column [C]');
    expect(apiError(() => ops.batchUpdateValues(spreadsheetId, null, { data: [] })).message).toBe(
      "'valueInputOption' is required but not specified",
    );
    expect(store.values(spreadsheetId)).toEqual(before);
  });

  it('append writes after the table, inserting or overwriting', () => {
    const { store, ops, spreadsheetId } = setup();
    // The table starting at A1 ends at the empty row 4: OVERWRITE fills row 4.
    expect(
      ops.append(spreadsheetId, null, 'Contacts!A1', { values: [['d@x', 'Dee']] }, { valueInputOption: 'RAW' }),
    ).toEqual({
      spreadsheetId,
      tableRange: 'Contacts!A1:D3',
      updates: { spreadsheetId, updatedRange: 'Contacts!A4:B4', updatedRows: 1, updatedColumns: 2, updatedCells: 2 },
    });
    // INSERT_ROWS shifts what lies below the table down.
    store.setRow(spreadsheetId, undefined, 8, ['z@x']);
    const inserted = ops.append(
      spreadsheetId,
      null,
      'Contacts!A1',
      { values: [['e@x'], ['f@x']] },
      { valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS' },
    );
    expect(inserted.updates.updatedRange).toBe('Contacts!A6:A7');
    expect(store.values(spreadsheetId).map((row) => row[0])).toEqual([
      'Email',
      'a@x',
      'b@x',
      'd@x',
      'c@x',
      'e@x',
      'f@x',
      undefined,
      undefined,
      'z@x',
    ]);
    expect(store.sheet(spreadsheetId).grid.rowCount).toBe(1002);
  });

  it('batchUpdate deleteDimension applies in order, validated first', () => {
    const { store, ops, spreadsheetId } = setup();
    const del = (startIndex: number, endIndex: number, sheetId = 0) => ({
      deleteDimension: { range: { sheetId, dimension: 'ROWS', startIndex, endIndex } },
    });
    expect(ops.batchUpdate(spreadsheetId, null, { requests: [del(3, 4), del(1, 2)] })).toEqual({
      spreadsheetId,
      replies: [{}, {}],
    });
    expect(store.values(spreadsheetId).map((row) => row[0])).toEqual(['Email', 'b@x', 'c@x']);
    const error = apiError(() => ops.batchUpdate(spreadsheetId, null, { requests: [del(1, 2), del(0, 1, 99)] }));
    expect(error.message).toBe('Invalid requests[1].deleteDimension: No grid with id: 99');
    expect(store.values(spreadsheetId).map((row) => row[0])).toEqual(['Email', 'b@x', 'c@x']);
    expect(apiError(() => ops.batchUpdate(spreadsheetId, null, { requests: [del(0, 998)] })).message).toMatch(
      /can't delete all the rows/,
    );
  });
});

describe('response shapes', () => {
  /** Keys of an object and of its nested objects (first element of arrays), for shape comparison. */
  function shape(value: unknown): unknown {
    if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
      );
    }
    return typeof value;
  }

  it("match the real API's payloads kept in fixtures/", () => {
    const { ops, spreadsheetId } = setup();
    expect(shape(ops.getSpreadsheet(spreadsheetId, null))).toEqual(shape(loadFixture('spreadsheet.json')));
    const update = ops.batchUpdateValues(spreadsheetId, null, {
      valueInputOption: 'RAW',
      data: [
        { range: 'Contacts!A2:B2', values: [['a@x', 'Ada']] },
        { range: 'Contacts!B3:C3', values: [['Bob', 1]] },
      ],
    });
    expect(shape(update)).toEqual(shape(loadFixture('batch-update-values-response.json')));
    const append = ops.append(
      spreadsheetId,
      null,
      'Contacts!A1',
      { values: [['d@x', 'Dee']] },
      { valueInputOption: 'RAW' },
    );
    expect(shape(append)).toEqual(shape(loadFixture('append-response.json')));
  });
});
