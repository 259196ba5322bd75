import { describe, expect, it } from 'vitest';
import { ZCallback, ZColumnsPage, ZRowsResult, ZSheet } from './api-types.ts';
import { decodeSmartsheetCursor, encodeSmartsheetCursor } from './cursor.ts';
import { loadFixture } from './fixtures/load.ts';
import {
  findColumn,
  parseRowId,
  smartsheetRowFromRecord,
  toCellValue,
  toColumnIndex,
  toExternalRecord,
  toFieldDescriptors,
  toRowResults,
  toWebhookChanges,
} from './mappers.ts';

const sheet = ZSheet.parse(loadFixture('get-sheet.json'));
const index = toColumnIndex(sheet.columns);
const column = (title: string) => findColumn(index, title)!;

describe('toExternalRecord', () => {
  it('names cells by column title, with null for empty cells', () => {
    expect(sheet.rows.map((row) => toExternalRecord(row, index))).toEqual([
      {
        id: '2361756178769796',
        updatedAt: '2025-12-03T09:30:02Z',
        fields: {
          'User ID': 'user-001',
          'Full Name': 'Ada Lovelace',
          Role: 'faculty',
          'Registration Date': '2025-12-01',
          'Messaging Enabled': true,
          Capacity: 40,
        },
      },
      {
        id: '6865355806140292',
        updatedAt: '2025-12-03T08:16:10Z',
        fields: {
          'User ID': 'user-002',
          'Full Name': 'Grace Hopper',
          Role: null,
          'Registration Date': null,
          'Messaging Enabled': false,
          Capacity: null,
        },
      },
    ]);
  });

  it('accepts numeric dates', () => {
    const row = { ...sheet.rows[0]!, modifiedAt: Date.parse('2025-12-03T09:30:02Z') };
    expect(toExternalRecord(row, index).updatedAt).toBe('2025-12-03T09:30:02.000Z');
  });
});

describe('columns and cell values', () => {
  it('finds columns by exact title, then ignoring case and spaces', () => {
    expect(column('Full Name').id).toBe(642523719853956);
    expect(findColumn(index, ' full name ')?.id).toBe(642523719853956);
    expect(findColumn(index, 'Fullname')).toBeUndefined();
  });

  it('clears with "", trims timestamps for DATE columns and sends structures as JSON', () => {
    expect(toCellValue(null, column('Full Name'))).toBe('');
    expect(toCellValue('2025-12-01T10:00:00.000Z', column('Registration Date'))).toBe('2025-12-01');
    expect(toCellValue('2025-12-01T10:00:00.000Z', column('Full Name'))).toBe('2025-12-01T10:00:00.000Z');
    expect(toCellValue(true, column('Messaging Enabled'))).toBe(true);
    expect(toCellValue(12.5, column('Capacity'))).toBe(12.5);
    expect(toCellValue(['a', 'b'], column('Full Name'))).toBe('["a","b"]');
  });

  it('parses row ids', () => {
    expect(parseRowId('2361756178769796')).toBe(2361756178769796);
    expect(parseRowId('9999999999999999')).toBeNull(); // above 2^53
    expect(parseRowId('rec_1')).toBeNull();
  });
});

describe('smartsheetRowFromRecord', () => {
  const resource = { object: '4583173393803140', keyField: 'User ID' };

  it('creates at the bottom with the internal id in the key column', () => {
    const outcome = smartsheetRowFromRecord(
      { internalId: 'user-009', externalId: null, fields: { 'Full Name': 'Lin', Capacity: 3 } },
      index,
      resource,
    );
    expect(outcome).toEqual({
      ok: true,
      row: {
        toBottom: true,
        cells: [
          { columnId: 642523719853956, value: 'Lin' },
          { columnId: 1768423626696580, value: 3 },
          { columnId: 7960873114331012, value: 'user-009' },
        ],
      },
    });
  });

  it('updates by row id and leaves the key column alone', () => {
    const outcome = smartsheetRowFromRecord(
      { internalId: 'user-001', externalId: '2361756178769796', fields: { role: 'staff' } },
      index,
      resource,
    );
    expect(outcome).toEqual({
      ok: true,
      row: { id: 2361756178769796, cells: [{ columnId: 5146123347224452, value: 'staff' }] },
    });
  });

  it('fails naming missing columns, and ids that cannot be rows', () => {
    expect(
      smartsheetRowFromRecord({ internalId: 'a', externalId: null, fields: { Nickname: 'x' } }, index, resource),
    ).toMatchObject({
      ok: false,
      error: { kind: 'invalid', message: "sheet 4583173393803140 has no column titled 'Nickname'" },
    });
    expect(
      smartsheetRowFromRecord({ internalId: 'a', externalId: 'rec_1', fields: {} }, index, resource),
    ).toMatchObject({
      ok: false,
      error: { kind: 'invalid' },
    });
  });
});

describe('toRowResults', () => {
  const items = (count: number) => Array.from({ length: count }, (_, i) => ({ internalId: `i${i}` }));

  it('pairs successes with the rows that did not fail, in order', () => {
    const results = toRowResults(items(3), ZRowsResult.parse(loadFixture('add-rows-partial.json')));
    expect(results).toEqual([
      { internalId: 'i0', ok: true, externalId: '7670198317672324', updatedAt: '2025-12-03T09:31:00Z' },
      {
        internalId: 'i1',
        ok: false,
        error: { kind: 'invalid', code: 1042, message: expect.stringContaining('type DATE') },
      },
      { internalId: 'i2', ok: true, externalId: '2040698783459204', updatedAt: '2025-12-03T09:31:00Z' },
    ]);
  });

  it('maps update failures by index', () => {
    const results = toRowResults(items(3), ZRowsResult.parse(loadFixture('update-rows-partial.json')));
    expect(results.map((result) => (result.ok ? result.externalId : result.error.code))).toEqual([
      1006,
      '2361756178769796',
      1042,
    ]);
  });

  it('never invents a success the API did not report', () => {
    const results = toRowResults(items(2), { message: 'SUCCESS', resultCode: 0, result: [] });
    expect(results.every((result) => !result.ok && result.error.kind === 'retryable')).toBe(true);
  });
});

describe('toFieldDescriptors', () => {
  it('maps column types, in column order, with picklist options', () => {
    const { data } = ZColumnsPage.parse(loadFixture('columns.json'));
    expect(toFieldDescriptors(data)).toEqual([
      { name: 'Session ID', type: 'string', required: true },
      { name: 'Track', type: 'enum', options: ['AI/ML', 'Cybersecurity', 'Space'] },
      { name: 'Session Date', type: 'date' },
      { name: 'Start Time', type: 'datetime' },
      { name: 'Published', type: 'boolean' },
      { name: 'Tags', type: 'array', options: ['keynote', 'workshop'] },
      { name: 'Modified', type: 'datetime' },
      { name: 'Gantt', type: 'unknown' },
    ]);
  });
});

describe('toWebhookChanges', () => {
  const callback = ZCallback.parse(loadFixture('webhook-callback.json'));

  it('folds row and cell events into one skinny change per row', () => {
    expect(toWebhookChanges(callback)).toEqual([
      {
        object: '4583173393803140',
        externalId: '3987537850460036',
        action: 'created',
        occurredAt: '2025-12-03T09:34:23.000+00:00',
      },
      {
        object: '4583173393803140',
        externalId: '2361756178769796',
        action: 'updated',
        occurredAt: '2025-12-03T09:34:22.000+00:00',
      },
      {
        object: '4583173393803140',
        externalId: '6865355806140292',
        action: 'deleted',
        occurredAt: '2025-12-03T09:34:21.000+00:00',
      },
      {
        object: '4583173393803140',
        externalId: '7670198317672324',
        action: 'updated',
        occurredAt: '2025-12-03T09:34:20.000+00:00',
      },
    ]);
  });

  it('skips events made with our own change agent', () => {
    expect(toWebhookChanges(callback, 'syncbridge').map((change) => change.externalId)).toEqual([
      '3987537850460036',
      '2361756178769796',
      '6865355806140292',
    ]);
  });
});

describe('cursor', () => {
  it('is an ISO instant in whole seconds', () => {
    expect(encodeSmartsheetCursor(Date.parse('2025-12-03T09:30:02.999Z'))).toBe('2025-12-03T09:30:02Z');
    expect(decodeSmartsheetCursor('2025-12-03T09:30:02.500Z')).toBe('2025-12-03T09:30:02Z');
    expect(() => decodeSmartsheetCursor('{"v":1}')).toThrow(/not a Smartsheet cursor/);
  });
});
