import { beforeEach, describe, expect, it } from 'vitest';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { SmartsheetApiError } from './errors.ts';
import { createIdGenerator } from './ids.ts';
import { SheetStore, type SheetChange } from './store.ts';
import { SheetWriteLocks } from './write-lock.ts';

let now = Date.parse('2025-12-03T09:00:00.400Z');
let store: SheetStore;
let sheetId: number;
let col: Record<string, number>;
const changes: SheetChange[] = [];

beforeEach(() => {
  now = Date.parse('2025-12-03T09:00:00.400Z');
  changes.length = 0;
  store = new SheetStore({
    clock: () => now,
    nextId: createIdGenerator(seededRng(7)),
    refId: () => 'ref',
    maxRowsPerRequest: () => 3,
    validate: ({ column, value }) =>
      column.title === 'Email' && typeof value === 'string' && !value.includes('@')
        ? { errorCode: 1042, message: 'not an email' }
        : null,
  });
  store.onChange((change) => changes.push(change));
  const sheet = store.createSheet({
    name: 'S',
    columns: ['Name', 'Email', { title: 'Done', type: 'CHECKBOX' }, { title: 'Due', type: 'DATE' }],
  });
  sheetId = sheet.id;
  col = Object.fromEntries(sheet.columns.map((column) => [column.title, column.id]));
});

const cells = (values: Record<string, unknown>) =>
  Object.entries(values).map(([title, value]) => ({ columnId: col[title], value }));

function thrown(run: () => unknown): SmartsheetApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof SmartsheetApiError) return error;
    throw error;
  }
  throw new Error('expected an API error');
}

describe('SheetStore', () => {
  it('creates sheets with 16-digit ids and a primary first column', () => {
    expect(String(sheetId)).toMatch(/^\d{16}$/);
    expect(store.columns(sheetId).map((column) => [column.title, column.type, column.primary ?? false])).toEqual([
      ['Name', 'TEXT_NUMBER', true],
      ['Email', 'TEXT_NUMBER', false],
      ['Done', 'CHECKBOX', false],
      ['Due', 'DATE', false],
    ]);
    expect(() => store.createSheet({ name: 'dup', columns: ['A', 'A'] })).toThrow(/unique/);
  });

  it('writes valid rows and reports the others with partial success', () => {
    const result = store.addRows(
      sheetId,
      [{ cells: cells({ Name: 'a' }) }, { cells: cells({ Done: 'yes' }) }, { cells: cells({ Email: 'nope' }) }],
      {
        allowPartialSuccess: true,
        changeAgent: 'me',
      },
    );
    expect(result).toMatchObject({ message: 'PARTIAL_SUCCESS', resultCode: 3, version: 2, result: [{ rowNumber: 1 }] });
    expect(result.failedItems?.map((item) => [item.index, item.error.errorCode])).toEqual([
      [1, 1042],
      [2, 1042],
    ]);
    expect(changes).toEqual([
      {
        sheetId,
        at: now,
        changeAgent: 'me',
        changes: [{ rowId: result.result[0]!.id, type: 'created', columnIds: [col.Name] }],
      },
    ]);
  });

  it('is all-or-nothing without allowPartialSuccess, with the failing index in detail', () => {
    const error = thrown(() =>
      store.addRows(sheetId, [{ cells: cells({ Name: 'a' }) }, { cells: [{ columnId: 1, value: 'x' }] }]),
    );
    expect([error.status, error.errorCode, error.detail]).toEqual([400, 1036, { index: 1 }]);
    expect(thrown(() => store.updateRows(sheetId, [{ id: 5, cells: [] }]))).toMatchObject({
      status: 404,
      errorCode: 1006,
      detail: { index: 0, rowId: 5 },
    });
    expect(thrown(() => store.addRows(sheetId, [{}, {}, {}, {}]))).toMatchObject({ status: 400, errorCode: 1061 });
    expect(store.readRows(sheetId)).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('rejects duplicate columns and rows, and non-scalar values', () => {
    const [id] = store.insertRows(sheetId, [{ Name: 'a' }]) as [number];
    const twice = [...cells({ Name: 'x' }), ...cells({ Name: 'y' })];
    expect(thrown(() => store.updateRows(sheetId, [{ id, cells: twice }])).errorCode).toBe(1037);
    expect(
      thrown(() =>
        store.updateRows(sheetId, [
          { id, cells: [] },
          { id, cells: [] },
        ]),
      ).errorCode,
    ).toBe(1137);
    expect(thrown(() => store.updateRows(sheetId, [{ id, cells: cells({ Name: { a: 1 } }) }])).errorCode).toBe(1038);
    expect(thrown(() => store.updateRows(sheetId, [{ cells: [] }])).errorCode).toBe(1012);
  });

  it('updates only the given cells; "" clears one', () => {
    const [id] = store.insertRows(sheetId, [{ Name: 'a', Email: 'a@x.io', Due: '2025-12-24' }]) as [number];
    now += 5_000;
    store.updateRows(sheetId, [{ id, cells: cells({ Email: '', Done: true }) }]);
    expect(store.readRows(sheetId)).toEqual([
      {
        id,
        rowNumber: 1,
        modifiedAt: '2025-12-03T09:00:05Z',
        values: { Name: 'a', Email: null, Done: true, Due: '2025-12-24' },
      },
    ]);
    expect(changes.at(-1)!.changes).toEqual([{ rowId: id, type: 'updated', columnIds: [col.Email, col.Done] }]);
  });

  it('filters by rowsModifiedSince on whole-second modifiedAt, and by rowIds and columnIds', () => {
    const [a, b] = store.insertRows(sheetId, [{ Name: 'a' }, { Name: 'b' }]) as [number, number];
    now += 2_000; // 09:00:02.400
    store.updateRowValues(sheetId, b, { Name: 'B' });
    const since = (iso: string) => store.sheetJson(sheetId, { rowsModifiedSince: iso }).rows.map((row) => row.id);
    expect(since('2025-12-03T09:00:00Z')).toEqual([a, b]);
    expect(since('2025-12-03T09:00:02Z')).toEqual([b]);
    expect(since('2025-12-03T09:00:02.100Z')).toEqual([]); // stamped 09:00:02, earlier than .100
    const narrow = store.sheetJson(sheetId, { rowIds: [a], columnIds: [col.Name!] });
    expect(narrow.rows).toEqual([
      expect.objectContaining({ id: a, cells: [{ columnId: col.Name, value: 'a', displayValue: 'a' }] }),
    ]);
    expect(thrown(() => store.sheetJson(sheetId, { rowsModifiedSince: 'soon' })).errorCode).toBe(1018);
  });

  it('deletes rows, 404 for missing ids unless ignoreRowsNotFound', () => {
    const [a, b] = store.insertRows(sheetId, [{ Name: 'a' }, { Name: 'b' }]) as [number, number];
    expect(thrown(() => store.deleteRows(sheetId, [a, 42])).status).toBe(404);
    expect(store.deleteRows(sheetId, [a, 42], { ignoreRowsNotFound: true })).toMatchObject({ result: [a] });
    expect(store.readRows(sheetId).map((row) => row.id)).toEqual([b]);
    expect(changes.at(-1)!.changes).toEqual([{ rowId: a, type: 'deleted', columnIds: [] }]);
  });
});

describe('SheetWriteLocks', () => {
  it('lets one write per sheet in at a time and answers the overlap with 4004', async () => {
    const locks = new SheetWriteLocks();
    const hold = locks.holdNextWrite(1);
    const first = locks.run(1, () => 'first');
    await hold.arrived;
    await expect(locks.run(1, () => 'second')).rejects.toMatchObject({ status: 500, errorCode: 4004 });
    await expect(locks.run(2, () => 'other sheet')).resolves.toBe('other sheet');
    hold.release();
    await expect(first).resolves.toBe('first');
    await expect(locks.run(1, () => 'after')).resolves.toBe('after');
  });
});
