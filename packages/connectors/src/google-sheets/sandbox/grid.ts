// One sheet's cells and the rules the values API applies to them: how input is parsed
// (RAW / USER_ENTERED), how output is rendered and trimmed, inserting and deleting rows.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values
import { SheetsApiError } from './errors.ts';

export type CellValue = string | number | boolean;

export interface SheetGrid {
  /** Sparse rows; a missing row or cell (or '') is an empty cell. */
  cells: (CellValue | undefined)[][];
  rowCount: number;
  columnCount: number;
}

export interface BoundedRange {
  startRow: number;
  endRow: number;
  startColumn: number;
  endColumn: number;
}

export type ValueInputOption = 'RAW' | 'USER_ENTERED';
export type ValueRenderOption = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
export type MajorDimension = 'ROWS' | 'COLUMNS';

/** The most characters one cell may hold. */
export const MAX_CELL_CHARACTERS = 50_000;

/** Written as null in the request: leave the cell as it is. */
export const SKIP = Symbol('skip');
export type InputCell = CellValue | undefined | typeof SKIP;

export function cellAt(grid: SheetGrid, row: number, column: number): CellValue | undefined {
  const value = grid.cells[row]?.[column];
  return value === '' ? undefined : value;
}

function setCell(grid: SheetGrid, row: number, column: number, value: CellValue | undefined): void {
  const cells = (grid.cells[row] ??= []);
  cells[column] = value === '' ? undefined : value;
}

/** Exclusive index of the last row holding any value (0 when the sheet is empty). */
export function usedRowCount(grid: SheetGrid): number {
  for (let row = grid.cells.length - 1; row >= 0; row--) {
    if ((grid.cells[row] ?? []).some((value) => value !== undefined && value !== '')) return row + 1;
  }
  return 0;
}

export function isRowEmpty(grid: SheetGrid, row: number, fromColumn: number, toColumn: number): boolean {
  for (let column = fromColumn; column < toColumn; column++) if (cellAt(grid, row, column) !== undefined) return false;
  return true;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * One input value, as the API takes it: bool, string or number; null skips the cell; '' clears it.
 * USER_ENTERED parses strings as if typed into the UI (numbers, TRUE/FALSE, a leading apostrophe
 * forces text). Formulas are stored as text: the sandbox does not evaluate them.
 */
export function parseInputCell(value: unknown, option: ValueInputOption, where: string): InputCell {
  if (value === null || value === undefined) return SKIP;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw SheetsApiError.invalid(`Invalid ${where}: number must be finite`);
    return value;
  }
  if (typeof value !== 'string') {
    const kind = Array.isArray(value) ? 'list_value' : 'struct_value';
    throw SheetsApiError.invalid(`Invalid ${where}: ${kind}`);
  }
  if (value.length > MAX_CELL_CHARACTERS) {
    throw SheetsApiError.invalid(
      `Your input contains more than the maximum of ${MAX_CELL_CHARACTERS} characters in a single cell.`,
    );
  }
  if (value === '') return undefined;
  if (option === 'RAW') return value;
  if (value.startsWith("'")) return value.slice(1);
  const trimmed = value.trim();
  if (NUMBER.test(trimmed)) return Number(trimmed);
  if (/^(true|false)$/i.test(trimmed)) return trimmed.toUpperCase() === 'TRUE';
  return value;
}

/** Parses a request's 2-D values (ROWS or COLUMNS major) into rows of input cells. */
export function parseInputMatrix(
  values: unknown,
  option: ValueInputOption,
  majorDimension: MajorDimension,
  where: string,
): InputCell[][] {
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) throw SheetsApiError.invalid(`Invalid ${where}: values must be a list of lists`);
  const major = values.map((line, i) => {
    if (!Array.isArray(line)) throw SheetsApiError.invalid(`Invalid ${where}.values[${i}]: must be a list`);
    return line.map((value, j) => parseInputCell(value, option, `${where}.values[${i}][${j}]`));
  });
  if (majorDimension === 'ROWS') return major;
  // COLUMNS: value [c][r] goes to row r, column c; cells a shorter column does not reach are skipped.
  const height = major.reduce((tallest, column) => Math.max(tallest, column.length), 0);
  const rows: InputCell[][] = [];
  for (let r = 0; r < height; r++) {
    let width = 0;
    major.forEach((column, c) => {
      if (r < column.length) width = c + 1;
    });
    rows.push(
      Array.from({ length: width }, (_, c) => (r < (major[c]?.length ?? 0) ? (major[c]?.[r] as InputCell) : SKIP)),
    );
  }
  return rows;
}

/** Size of what a matrix writes: rows, and the widest row. */
export function matrixExtent(matrix: InputCell[][]): { rows: number; columns: number } {
  return { rows: matrix.length, columns: matrix.reduce((widest, row) => Math.max(widest, row.length), 0) };
}

/** Writes a parsed matrix with its top-left at (row, column); returns rows/columns/cells updated. */
export function writeMatrix(grid: SheetGrid, row: number, column: number, matrix: InputCell[][]) {
  let cells = 0;
  const touchedRows = new Set<number>();
  const touchedColumns = new Set<number>();
  matrix.forEach((line, r) =>
    line.forEach((value, c) => {
      if (value === SKIP) return;
      setCell(grid, row + r, column + c, value);
      cells++;
      touchedRows.add(row + r);
      touchedColumns.add(column + c);
    }),
  );
  return { rows: touchedRows.size, columns: touchedColumns.size, cells, rowIndexes: touchedRows };
}

function render(value: CellValue | undefined, option: ValueRenderOption): CellValue | undefined {
  if (value === undefined || option !== 'FORMATTED_VALUE') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/**
 * The `values` of a ValueRange: trailing empty rows and trailing empty cells of each row are left
 * out (empty cells inside a row come back as ""); undefined when the range holds nothing.
 */
export function readValues(
  grid: SheetGrid,
  range: BoundedRange,
  majorDimension: MajorDimension,
  renderOption: ValueRenderOption,
): CellValue[][] | undefined {
  const outer = majorDimension === 'ROWS' ? range.endRow - range.startRow : range.endColumn - range.startColumn;
  const inner = majorDimension === 'ROWS' ? range.endColumn - range.startColumn : range.endRow - range.startRow;
  const lines: CellValue[][] = [];
  let lastNonEmpty = -1;
  // Only rows that exist can hold values: stop scanning at the last stored row.
  const scanOuter =
    majorDimension === 'ROWS' ? Math.min(outer, Math.max(0, grid.cells.length - range.startRow)) : outer;
  for (let i = 0; i < scanOuter; i++) {
    const line: CellValue[] = [];
    let width = 0;
    for (let j = 0; j < inner; j++) {
      const [row, column] =
        majorDimension === 'ROWS'
          ? [range.startRow + i, range.startColumn + j]
          : [range.startRow + j, range.startColumn + i];
      const value = render(cellAt(grid, row, column), renderOption);
      line.push(value ?? '');
      if (value !== undefined) width = j + 1;
    }
    line.length = width;
    lines.push(line);
    if (width > 0) lastNonEmpty = i;
  }
  return lastNonEmpty < 0 ? undefined : lines.slice(0, lastNonEmpty + 1);
}

export function insertRows(grid: SheetGrid, at: number, count: number): void {
  if (count <= 0) return;
  if (at < grid.cells.length) grid.cells.splice(at, 0, ...Array.from({ length: count }, () => []));
  grid.rowCount += count;
}

export function deleteRows(grid: SheetGrid, start: number, end: number): void {
  grid.cells.splice(start, end - start);
  grid.rowCount -= end - start;
}

export function deleteColumns(grid: SheetGrid, start: number, end: number): void {
  for (const row of grid.cells) row?.splice(start, end - start);
  grid.columnCount -= end - start;
}

/** Grows the grid so that (rows, columns) fit, as an append past the last row does. */
export function ensureSize(grid: SheetGrid, rows: number, columns: number): void {
  grid.rowCount = Math.max(grid.rowCount, rows);
  grid.columnCount = Math.max(grid.columnCount, columns);
}
