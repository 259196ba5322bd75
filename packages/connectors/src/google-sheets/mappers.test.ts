import { describe, expect, it } from 'vitest';
import type { UpsertItem } from '../contract.ts';
import { inferColumnType, toSheetFieldDescriptors } from './discovery.ts';
import { loadFixture } from './fixtures/load.ts';
import {
  chunkBySize,
  planSheetUpsert,
  rowRunsBottomUp,
  toFieldValue,
  toKey,
  toRowCells,
  toRowsByKey,
  toSheetCell,
  toSheetHeader,
  toSheetRecords,
} from './mappers.ts';

const contacts = loadFixture<{ values: unknown[][] }>('values-contacts.json');

describe('toSheetRecords', () => {
  const read = toSheetRecords(contacts.values, 'Email', 'Contacts');

  it('keys records by the key column, not the row number', () => {
    expect(read.records.map((record) => record.id)).toEqual([
      'ada@example.com',
      'grace@example.com',
      'alan@example.com',
      '12345',
    ]);
    expect(read.rowNumbers).toEqual([2, 3, 6, 8]);
  });

  it('maps every named column; empty and trimmed-away cells are null alike', () => {
    expect(read.records[1]).toEqual({
      id: 'grace@example.com',
      updatedAt: null,
      fields: {
        Email: 'grace@example.com',
        Name: 'Grace Hopper',
        Company: null,
        Score: 88,
        Active: false,
        'Signed up': '2024-03-02',
        Notes: 'prefers email',
      },
    });
    expect(read.records[0]!.fields.Notes).toBeNull();
    expect(read.records[3]!.fields).toMatchObject({ Email: 12345, Name: 'Numeric key', Company: null });
  });

  it('skips rows without a key and later rows repeating one, as warnings', () => {
    expect(read.warnings).toEqual([
      { row: 4, reason: 'missing_key' },
      { row: 7, reason: 'duplicate_key', key: 'ada@example.com' },
    ]);
  });

  it('refuses a tab without the key column rather than reading it as empty', () => {
    expect(() => toSheetRecords(contacts.values, 'E-mail', 'Contacts')).toThrow(/no "E-mail" column/);
    expect(() => toSheetRecords([], 'Email')).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'key_column_missing' }),
    );
  });
});

describe('cells', () => {
  it('normalises keys and values', () => {
    expect([toKey(' a@x '), toKey(42), toKey(true), toKey(''), toKey(null), toKey('  ')]).toEqual([
      'a@x',
      '42',
      'TRUE',
      null,
      null,
      null,
    ]);
    expect([toFieldValue(''), toFieldValue(undefined), toFieldValue(0), toFieldValue(false)]).toEqual([
      null,
      null,
      0,
      false,
    ]);
    expect([toSheetCell(null), toSheetCell(3), toSheetCell(['a', 1]), toSheetCell({ a: true })]).toEqual([
      '',
      3,
      '["a",1]',
      '{"a":true}',
    ]);
  });

  it('places fields by header and reports unknown ones; missing fields stay null (untouched)', () => {
    const header = toSheetHeader(contacts.values[0]);
    expect(header.columns.get('Notes')).toBe(7);
    expect(toRowCells({ Notes: 'n', Email: 'e', Extra: 1 }, header)).toEqual({
      cells: ['e', null, null, null, null, null, null, 'n'],
      unknown: ['Extra'],
    });
    expect(toSheetHeader(['A', ' B ', 'A', null]).duplicates).toEqual(['A']);
  });

  it('indexes the key column by row number', () => {
    expect(toRowsByKey([['a'], [], ['b'], ['a']])).toEqual(
      new Map([
        ['a', [2, 5]],
        ['b', [4]],
      ]),
    );
  });
});

describe('planSheetUpsert', () => {
  const header = toSheetHeader(['Email', 'Name', 'Score']);
  const rows = new Map([
    ['a@x', [2]],
    ['b@x', [3]],
  ]);
  const item = (internalId: string, externalId: string | null, fields: UpsertItem['fields']): UpsertItem => ({
    internalId,
    externalId,
    fields,
  });

  it('updates rows found by key or external id, appends the rest, fails bad items alone', () => {
    const plan = planSheetUpsert(
      [
        item('1', null, { Email: 'a@x', Score: 1 }),
        item('2', 'b@x', { Name: 'B' }),
        item('3', null, { Email: 'new@x', Name: 'New' }),
        item('4', null, { Name: 'no key' }),
        item('5', null, { Email: 'c@x', Unknown: 1 }),
        item('6', 'a@x', { Email: 'b@x' }),
        item('7', null, { Email: 'new@x', Score: 7 }),
        item('8', 'gone@x', { Name: 'recreated' }),
      ],
      header,
      'Email',
      rows,
    );
    expect(plan.updates).toEqual([
      { row: 2, key: 'a@x', items: [0], cells: ['a@x', null, 1] },
      { row: 3, key: 'b@x', items: [1], cells: ['b@x', 'B'] },
    ]);
    expect(plan.appends).toEqual([
      { key: 'new@x', items: [2, 6], cells: ['new@x', 'New', 7] },
      { key: 'gone@x', items: [7], cells: ['gone@x', 'recreated'] },
    ]);
    expect([...plan.failures].map(([index, error]) => [index, error.code])).toEqual([
      [3, 'missing_key'],
      [4, 'unknown_column'],
      [5, 'duplicate_key'],
    ]);
  });

  it('fails cells longer than Sheets allows', () => {
    const plan = planSheetUpsert([item('1', null, { Email: 'a@x', Name: 'x'.repeat(50_001) })], header, 'Email', rows);
    expect(plan.failures.get(0)).toMatchObject({ kind: 'invalid', code: 'cell_too_large' });
  });
});

describe('chunking and deletes', () => {
  it('keeps each chunk within the budget', () => {
    expect(chunkBySize([3, 3, 3, 5, 1], (n) => n, 6)).toEqual([[3, 3], [3], [5, 1]]);
    expect(chunkBySize([9, 1], (n) => n, 6)).toEqual([[9], [1]]);
    expect(chunkBySize([], (n: number) => n, 6)).toEqual([]);
  });

  it('turns row numbers into bottom-up runs of 0-based indexes', () => {
    expect(rowRunsBottomUp([5, 2, 3, 9, 3])).toEqual([
      { startIndex: 8, endIndex: 9 },
      { startIndex: 4, endIndex: 5 },
      { startIndex: 1, endIndex: 3 },
    ]);
  });
});

describe('discovery', () => {
  it('infers column types from the values', () => {
    expect(toSheetFieldDescriptors(contacts.values, 'Email')).toEqual([
      { name: 'Email', type: 'string', required: true },
      { name: 'Name', type: 'string' },
      { name: 'Company', type: 'string' },
      { name: 'Score', type: 'number' },
      { name: 'Active', type: 'boolean' },
      { name: 'Signed up', type: 'datetime' },
      { name: 'Notes', type: 'string' },
    ]);
    expect(inferColumnType(['2024-01-01', '3/4/2024'])).toBe('date');
    expect(inferColumnType(['', null, undefined])).toBe('unknown');
  });
});
