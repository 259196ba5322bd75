import { describe, expect, it } from 'vitest';
import {
  columnIndex,
  columnLetters,
  columnRange,
  formatA1,
  formatSheetTitle,
  parseA1,
  parseCells,
  quoteSheetTitle,
  rowCellsRange,
  rowsRange,
} from './a1.ts';

describe('columns', () => {
  it('converts between letters and indexes both ways', () => {
    const pairs: [number, string][] = [
      [0, 'A'],
      [25, 'Z'],
      [26, 'AA'],
      [51, 'AZ'],
      [52, 'BA'],
      [701, 'ZZ'],
      [702, 'AAA'],
      [18277, 'ZZZ'],
    ];
    for (const [index, letters] of pairs) {
      expect(columnLetters(index)).toBe(letters);
      expect(columnIndex(letters)).toBe(index);
    }
    expect(columnIndex('ab')).toBe(27);
    expect(() => columnLetters(-1)).toThrow(RangeError);
    expect(() => columnIndex('A1')).toThrow(RangeError);
  });
});

describe('parseCells', () => {
  it('reads cells, bounded ranges and open ranges', () => {
    expect(parseCells('B3')).toEqual({ startRow: 2, endRow: 3, startColumn: 1, endColumn: 2 });
    expect(parseCells('A1:C10')).toEqual({ startRow: 0, endRow: 10, startColumn: 0, endColumn: 3 });
    expect(parseCells('C:C')).toEqual({ startRow: 0, endRow: null, startColumn: 2, endColumn: 3 });
    expect(parseCells('1:1')).toEqual({ startRow: 0, endRow: 1, startColumn: 0, endColumn: null });
    expect(parseCells('A2:Z')).toEqual({ startRow: 1, endRow: null, startColumn: 0, endColumn: 26 });
    expect(parseCells('b2:a1')).toEqual({ startRow: 0, endRow: 2, startColumn: 0, endColumn: 2 });
  });

  it('rejects what is not a cell range', () => {
    for (const text of ['', 'A', 'A0', 'Sheet1', 'A1:B2:C3', 'A:5', '1:B', 'ABCD1'])
      expect(parseCells(text)).toBeNull();
  });
});

describe('parseA1', () => {
  it('splits sheet and cells, with quoted titles', () => {
    expect(parseA1('Sheet1!A1:B2')).toMatchObject({
      sheet: 'Sheet1',
      bareName: null,
      cells: { startRow: 0, endRow: 2 },
    });
    expect(parseA1("'My ''quoted'' sheet'!A:A")).toMatchObject({
      sheet: "My 'quoted' sheet",
      cells: { startColumn: 0, endColumn: 1 },
    });
    expect(parseA1("'Contacts'")).toEqual({ sheet: 'Contacts', cells: null, bareName: null });
  });

  it('leaves a bare name to the caller: a sheet title or cells on the first sheet', () => {
    expect(parseA1('Contacts')).toEqual({ sheet: null, cells: null, bareName: 'Contacts' });
    expect(parseA1('A1')).toMatchObject({ sheet: null, bareName: 'A1', cells: { startRow: 0, endRow: 1 } });
  });

  it('rejects malformed ranges', () => {
    for (const text of ['', "'unterminated", "'T'A1", 'Sheet1!', 'Sheet1!nope', '!A1'])
      expect(parseA1(text)).toBeNull();
  });
});

describe('formatting', () => {
  it('quotes titles only where the API does', () => {
    expect(formatSheetTitle('Sheet1')).toBe('Sheet1');
    expect(formatSheetTitle('My Sheet')).toBe("'My Sheet'");
    expect(formatSheetTitle('A1')).toBe("'A1'");
    expect(formatSheetTitle("It's")).toBe("'It''s'");
    expect(quoteSheetTitle('Sheet1')).toBe("'Sheet1'");
  });

  it('builds the ranges the connector sends', () => {
    expect(formatA1('Contacts', { startRow: 0, endRow: 1000, startColumn: 0, endColumn: 26 })).toBe(
      'Contacts!A1:Z1000',
    );
    expect(formatA1('My Sheet', { startRow: 4, endRow: 5, startColumn: 2, endColumn: 3 })).toBe("'My Sheet'!C5");
    expect(rowsRange('Contacts', 1)).toBe("'Contacts'!1:1");
    expect(columnRange('Contacts', 2)).toBe("'Contacts'!C1:C");
    expect(rowCellsRange("Q1 'archive'", 7, 0, 5)).toBe("'Q1 ''archive'''!A7:F7");
    // What is built parses back to the same place.
    expect(parseA1(rowCellsRange("Q1 'archive'", 7, 0, 5))).toMatchObject({
      sheet: "Q1 'archive'",
      cells: { startRow: 6, endRow: 7, startColumn: 0, endColumn: 6 },
    });
  });
});
