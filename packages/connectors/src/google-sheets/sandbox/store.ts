// Spreadsheets held in memory, with no HTTP in sight: tabs of cells, range resolution as the API
// does it, and direct edits for tests (what a person typing into the sheet would do).
import { parseA1, type GridRange } from '../a1.ts';
import type { Rng } from '../../sandbox-kit/rng.ts';
import { SheetsApiError } from './errors.ts';
import {
  cellAt,
  deleteRows,
  ensureSize,
  readValues,
  usedRowCount,
  type BoundedRange,
  type CellValue,
  type SheetGrid,
} from './grid.ts';

export type CellInput = CellValue | null | undefined;
export type RowInput = CellInput[] | Record<string, CellInput>;

export interface SheetInput {
  title: string;
  sheetId?: number;
  /** Row 1. */
  header?: string[];
  /** Data rows (from row 2 when there is a header): cells in column order, or objects by header. */
  rows?: RowInput[];
  /** Grid size (default 1000 × 26, or larger when the data needs it). */
  rowCount?: number;
  columnCount?: number;
}

export interface CreateSpreadsheetInput {
  spreadsheetId?: string;
  title?: string;
  /** Default: one empty tab called Sheet1. */
  sheets?: SheetInput[];
  /** Users (token owners) allowed in; null or absent: everyone the sandbox authenticates. */
  sharedWith?: string[] | null;
  locale?: string;
  timeZone?: string;
}

export interface StoredSheet {
  sheetId: number;
  title: string;
  grid: SheetGrid;
}

export interface StoredSpreadsheet {
  spreadsheetId: string;
  title: string;
  locale: string;
  timeZone: string;
  sheets: StoredSheet[];
  sharedWith: string[] | null;
}

export interface ResolvedRange {
  sheet: StoredSheet;
  range: GridRange;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export class SpreadsheetStore {
  private readonly spreadsheets = new Map<string, StoredSpreadsheet>();
  private readonly rng: Rng;

  constructor(options: { rng: Rng }) {
    this.rng = options.rng;
  }

  private newSpreadsheetId(): string {
    // Real ids are 44 characters of [A-Za-z0-9-_].
    let id = '1';
    for (let i = 1; i < 44; i++) id += ID_ALPHABET[Math.floor(this.rng() * ID_ALPHABET.length)];
    return id;
  }

  private newSheet(input: SheetInput, index: number, taken: Set<number>): StoredSheet {
    let sheetId = input.sheetId ?? (index === 0 ? 0 : Math.floor(this.rng() * 2_000_000_000));
    while (taken.has(sheetId)) sheetId = Math.floor(this.rng() * 2_000_000_000);
    taken.add(sheetId);
    const grid: SheetGrid = { cells: [], rowCount: 0, columnCount: 0 };
    const sheet = { sheetId, title: input.title, grid };
    const header = input.header ?? [];
    if (header.length > 0) grid.cells.push([...header]);
    for (const row of input.rows ?? []) grid.cells.push(toCells(row, header));
    const width = grid.cells.reduce((widest, row) => Math.max(widest, row.length), 0);
    ensureSize(grid, Math.max(input.rowCount ?? 1000, grid.cells.length), Math.max(input.columnCount ?? 26, width));
    return sheet;
  }

  create(input: CreateSpreadsheetInput = {}): StoredSpreadsheet {
    const spreadsheetId = input.spreadsheetId ?? this.newSpreadsheetId();
    if (this.spreadsheets.has(spreadsheetId)) throw new Error(`spreadsheet ${spreadsheetId} already exists`);
    const inputs = input.sheets && input.sheets.length > 0 ? input.sheets : [{ title: 'Sheet1' }];
    const titles = new Set<string>();
    for (const sheet of inputs) {
      if (titles.has(sheet.title.toLowerCase())) throw new Error(`duplicate sheet title ${sheet.title}`);
      titles.add(sheet.title.toLowerCase());
    }
    const taken = new Set<number>();
    const spreadsheet: StoredSpreadsheet = {
      spreadsheetId,
      title: input.title ?? 'Untitled spreadsheet',
      locale: input.locale ?? 'en_US',
      timeZone: input.timeZone ?? 'Etc/GMT',
      sheets: inputs.map((sheet, index) => this.newSheet(sheet, index, taken)),
      sharedWith: input.sharedWith ?? null,
    };
    this.spreadsheets.set(spreadsheetId, spreadsheet);
    return spreadsheet;
  }

  get(spreadsheetId: string): StoredSpreadsheet | undefined {
    return this.spreadsheets.get(spreadsheetId);
  }

  delete(spreadsheetId: string): boolean {
    return this.spreadsheets.delete(spreadsheetId);
  }

  clear(): void {
    this.spreadsheets.clear();
  }

  /** The spreadsheet as the API sees it for `user`: 404 when missing, 403 when not shared. */
  access(spreadsheetId: string, user: string | null): StoredSpreadsheet {
    const spreadsheet = this.spreadsheets.get(spreadsheetId);
    if (!spreadsheet) throw SheetsApiError.notFound();
    if (spreadsheet.sharedWith && !(user && spreadsheet.sharedWith.includes(user)))
      throw SheetsApiError.permissionDenied();
    return spreadsheet;
  }

  /** A tab by title (case-insensitive, as ranges are), or the first tab. Throws for tests' typos. */
  sheet(spreadsheetId: string, title?: string): StoredSheet {
    const spreadsheet = this.spreadsheets.get(spreadsheetId);
    if (!spreadsheet) throw new Error(`no spreadsheet ${spreadsheetId}`);
    const sheet = title === undefined ? spreadsheet.sheets[0] : findSheet(spreadsheet, title);
    if (!sheet) throw new Error(`no sheet ${title ?? '(first)'} in ${spreadsheetId}`);
    return sheet;
  }

  /** Every value of a tab, trimmed like the API's UNFORMATTED_VALUE read of the whole sheet. */
  values(spreadsheetId: string, title?: string): CellValue[][] {
    const { grid } = this.sheet(spreadsheetId, title);
    return (
      readValues(
        grid,
        { startRow: 0, endRow: grid.rowCount, startColumn: 0, endColumn: grid.columnCount },
        'ROWS',
        'UNFORMATTED_VALUE',
      ) ?? []
    );
  }

  /** Data rows (row 2 on) as objects keyed by the header row; empty cells are null. */
  rows(spreadsheetId: string, title?: string): Record<string, CellValue | null>[] {
    const { grid } = this.sheet(spreadsheetId, title);
    const header = headerOf(grid);
    const rows: Record<string, CellValue | null>[] = [];
    for (let row = 1; row < usedRowCount(grid); row++) {
      rows.push(Object.fromEntries(header.map((name, column) => [name, cellAt(grid, row, column) ?? null])));
    }
    return rows;
  }

  /** 1-based number of the first row whose `column` (a header) holds `value`, or null. */
  rowNumberOf(spreadsheetId: string, title: string | undefined, column: string, value: CellValue): number | null {
    const { grid } = this.sheet(spreadsheetId, title);
    const index = headerOf(grid).indexOf(column);
    if (index < 0) throw new Error(`no column ${column}`);
    for (let row = 1; row < grid.cells.length; row++) if (cellAt(grid, row, index) === value) return row + 1;
    return null;
  }

  /** Replaces a row's cells (1-based row number). */
  setRow(spreadsheetId: string, title: string | undefined, rowNumber: number, row: RowInput): void {
    const { grid } = this.sheet(spreadsheetId, title);
    const cells = toCells(row, headerOf(grid));
    grid.cells[rowNumber - 1] = cells;
    ensureSize(grid, rowNumber, cells.length);
  }

  /** Changes some cells of a row, by header. */
  updateRow(
    spreadsheetId: string,
    title: string | undefined,
    rowNumber: number,
    patch: Record<string, CellInput>,
  ): void {
    const { grid } = this.sheet(spreadsheetId, title);
    const header = headerOf(grid);
    const cells = (grid.cells[rowNumber - 1] ??= []);
    for (const [name, value] of Object.entries(patch)) {
      const column = header.indexOf(name);
      if (column < 0) throw new Error(`no column ${name}`);
      cells[column] = value === null || value === '' ? undefined : value;
    }
  }

  /** Adds a row after the last used one; returns its 1-based number. */
  appendRow(spreadsheetId: string, title: string | undefined, row: RowInput): number {
    const { grid } = this.sheet(spreadsheetId, title);
    const at = usedRowCount(grid);
    const cells = toCells(row, headerOf(grid));
    grid.cells[at] = cells;
    ensureSize(grid, at + 1, cells.length);
    return at + 1;
  }

  /** Removes a row; the rows below move up (what "Delete row" does in the UI). */
  deleteRow(spreadsheetId: string, title: string | undefined, rowNumber: number): void {
    const { grid } = this.sheet(spreadsheetId, title);
    if (rowNumber - 1 < grid.cells.length) deleteRows(grid, rowNumber - 1, rowNumber);
    else grid.rowCount -= 1;
  }

  /**
   * Resolves an A1 range the way the API does: `Title!cells`, `Title` (the whole tab) or bare cells
   * (the first tab). 400 "Unable to parse range" for anything else.
   */
  resolve(spreadsheet: StoredSpreadsheet, text: string): ResolvedRange {
    const parsed = parseA1(text);
    const fail = () => SheetsApiError.invalid(`Unable to parse range: ${text}`);
    if (!parsed) throw fail();
    const whole: GridRange = { startRow: 0, endRow: null, startColumn: 0, endColumn: null };
    if (parsed.sheet !== null) {
      const sheet = findSheet(spreadsheet, parsed.sheet);
      if (!sheet) throw fail();
      return { sheet, range: parsed.cells ?? whole };
    }
    const named = parsed.bareName === null ? undefined : findSheet(spreadsheet, parsed.bareName);
    if (named) return { sheet: named, range: whole };
    const first = spreadsheet.sheets[0];
    if (parsed.cells && first) return { sheet: first, range: parsed.cells };
    throw fail();
  }

  /** Clips open ends to the grid; 400 when the range reaches outside it. */
  bound(resolved: ResolvedRange, text: string): BoundedRange {
    const { grid, title } = resolved.sheet;
    const { range } = resolved;
    const endRow = range.endRow ?? grid.rowCount;
    const endColumn = range.endColumn ?? grid.columnCount;
    if (
      endRow > grid.rowCount ||
      endColumn > grid.columnCount ||
      range.startRow >= grid.rowCount ||
      range.startColumn >= grid.columnCount
    ) {
      const cells = text.includes('!') ? text.slice(text.lastIndexOf('!') + 1) : text;
      throw SheetsApiError.invalid(
        `Range ('${title}'!${cells}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`,
      );
    }
    return { startRow: range.startRow, endRow, startColumn: range.startColumn, endColumn };
  }
}

export function findSheet(spreadsheet: StoredSpreadsheet, title: string): StoredSheet | undefined {
  const wanted = title.toLowerCase();
  return spreadsheet.sheets.find((sheet) => sheet.title.toLowerCase() === wanted);
}

/** Row 1 as strings (empty cells: ''). */
export function headerOf(grid: SheetGrid): string[] {
  return (grid.cells[0] ?? []).map((value) => (value === undefined ? '' : String(value)));
}

function toCells(row: RowInput, header: string[]): (CellValue | undefined)[] {
  const clean = (value: CellInput) => (value === null || value === undefined || value === '' ? undefined : value);
  if (Array.isArray(row)) return row.map(clean);
  const cells: (CellValue | undefined)[] = [];
  for (const [name, value] of Object.entries(row)) {
    const column = header.indexOf(name);
    if (column < 0) throw new Error(`no column ${name} in header [${header.join(', ')}]`);
    cells[column] = clean(value);
  }
  return Array.from(cells);
}
