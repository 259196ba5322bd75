// The API methods over the store: spreadsheets.get / batchUpdate (deleteDimension) and
// spreadsheets.values.get / batchGet / update / append / batchUpdate, with the API's validation
// and response shapes. Every multi-part write is validated completely before anything is applied,
// so a bad part fails the request with nothing changed (the API's "applied atomically").
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values
import { columnLetters, formatA1 } from '../a1.ts';
import { SheetsApiError } from './errors.ts';
import {
  deleteColumns,
  deleteRows,
  ensureSize,
  insertRows,
  isRowEmpty,
  matrixExtent,
  parseInputMatrix,
  readValues,
  writeMatrix,
  type BoundedRange,
  type CellValue,
  type InputCell,
  type MajorDimension,
  type ValueInputOption,
  type ValueRenderOption,
} from './grid.ts';
import type { SpreadsheetStore, StoredSheet, StoredSpreadsheet } from './store.ts';

export interface ReadOptions {
  majorDimension?: string;
  valueRenderOption?: string;
}

export interface ValueRangeOut {
  range: string;
  majorDimension: MajorDimension;
  values?: CellValue[][];
}

interface PlannedWrite {
  sheet: StoredSheet;
  row: number;
  column: number;
  matrix: InputCell[][];
  /** What the response calls updatedRange. */
  updatedRange: string;
}

function enumOption<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
  type: string,
  fallback?: T,
): T {
  if (value === undefined || value === null || value === '') {
    if (fallback !== undefined) return fallback;
    throw SheetsApiError.invalid(`'${field}' is required but not specified`);
  }
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw SheetsApiError.invalid(
    `Invalid value at '${field}' (type.googleapis.com/google.apps.sheets.v4.${type}), "${String(value)}"`,
  );
}

const DIMENSIONS = ['ROWS', 'COLUMNS'] as const;
const RENDER = ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'] as const;
const INPUT = ['RAW', 'USER_ENTERED'] as const;
const INSERT = ['OVERWRITE', 'INSERT_ROWS'] as const;

/** Proto3 JSON leaves out zero numbers; so does the API. */
function withoutZeros<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== 0)) as T;
}

function bodyOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export class SheetsOperations {
  private readonly store: SpreadsheetStore;

  constructor(store: SpreadsheetStore) {
    this.store = store;
  }

  getSpreadsheet(spreadsheetId: string, user: string | null) {
    const spreadsheet = this.store.access(spreadsheetId, user);
    return {
      spreadsheetId,
      properties: {
        title: spreadsheet.title,
        locale: spreadsheet.locale,
        autoRecalc: 'ON_CHANGE',
        timeZone: spreadsheet.timeZone,
      },
      sheets: spreadsheet.sheets.map((sheet, index) => ({
        properties: {
          sheetId: sheet.sheetId,
          title: sheet.title,
          index,
          sheetType: 'GRID',
          gridProperties: { rowCount: sheet.grid.rowCount, columnCount: sheet.grid.columnCount },
        },
      })),
      spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`,
    };
  }

  private read(spreadsheet: StoredSpreadsheet, text: string, options: ReadOptions): ValueRangeOut {
    const majorDimension = enumOption(options.majorDimension, DIMENSIONS, 'major_dimension', 'Dimension', 'ROWS');
    const render = enumOption<ValueRenderOption>(
      options.valueRenderOption,
      RENDER,
      'value_render_option',
      'ValueRenderOption',
      'FORMATTED_VALUE',
    );
    const resolved = this.store.resolve(spreadsheet, text);
    const bounded = this.store.bound(resolved, text);
    const values = readValues(resolved.sheet.grid, bounded, majorDimension, render);
    return { range: formatA1(resolved.sheet.title, bounded), majorDimension, ...(values ? { values } : {}) };
  }

  getValues(spreadsheetId: string, user: string | null, range: string, options: ReadOptions): ValueRangeOut {
    return this.read(this.store.access(spreadsheetId, user), range, options);
  }

  batchGet(spreadsheetId: string, user: string | null, ranges: string[], options: ReadOptions) {
    const spreadsheet = this.store.access(spreadsheetId, user);
    return { spreadsheetId, valueRanges: ranges.map((range) => this.read(spreadsheet, range, options)) };
  }

  /** Checks one ValueRange write without applying it. */
  private plan(
    spreadsheet: StoredSpreadsheet,
    text: unknown,
    input: Record<string, unknown>,
    option: ValueInputOption,
    where: string,
  ): PlannedWrite {
    if (typeof text !== 'string' || !text) throw SheetsApiError.invalid(`Invalid ${where}: range is required`);
    const majorDimension = enumOption(
      input.majorDimension,
      DIMENSIONS,
      `${where}.major_dimension`,
      'Dimension',
      'ROWS',
    );
    const matrix = parseInputMatrix(input.values, option, majorDimension, where);
    const resolved = this.store.resolve(spreadsheet, text);
    const bounded = this.store.bound(resolved, text);
    const { range } = resolved;
    const extent = matrixExtent(matrix);
    // A one-cell range is an anchor: the values may extend from it. A larger range must hold them.
    const anchor = range.endRow === range.startRow + 1 && range.endColumn === range.startColumn + 1;
    if (!anchor && extent.rows > bounded.endRow - bounded.startRow) {
      throw SheetsApiError.invalid(
        `Requested writing within range [${text}], but tried writing to row [${bounded.startRow + extent.rows}]`,
      );
    }
    if (!anchor && extent.columns > bounded.endColumn - bounded.startColumn) {
      const column = columnLetters(bounded.startColumn + extent.columns - 1);
      throw SheetsApiError.invalid(`Requested writing within range [${text}], but tried writing to column [${column}]`);
    }
    const { grid, title } = resolved.sheet;
    if (bounded.startRow + extent.rows > grid.rowCount || bounded.startColumn + extent.columns > grid.columnCount) {
      throw SheetsApiError.invalid(
        `Range ('${title}'!${text.slice(text.lastIndexOf('!') + 1)}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`,
      );
    }
    const written: BoundedRange =
      extent.rows > 0 && extent.columns > 0
        ? {
            startRow: bounded.startRow,
            endRow: bounded.startRow + extent.rows,
            startColumn: bounded.startColumn,
            endColumn: bounded.startColumn + extent.columns,
          }
        : bounded;
    return {
      sheet: resolved.sheet,
      row: bounded.startRow,
      column: bounded.startColumn,
      matrix,
      updatedRange: formatA1(title, written),
    };
  }

  private apply(spreadsheetId: string, plans: PlannedWrite[]) {
    const rows = new Set<string>();
    const columns = new Set<string>();
    const sheets = new Set<number>();
    let cells = 0;
    const responses = plans.map((plan) => {
      const result = writeMatrix(plan.sheet.grid, plan.row, plan.column, plan.matrix);
      for (const row of result.rowIndexes) rows.add(`${plan.sheet.sheetId}:${row}`);
      plan.matrix.forEach((line) => line.forEach((_, c) => columns.add(`${plan.sheet.sheetId}:${plan.column + c}`)));
      if (result.cells > 0) sheets.add(plan.sheet.sheetId);
      cells += result.cells;
      return withoutZeros({
        spreadsheetId,
        updatedRange: plan.updatedRange,
        updatedRows: result.rows,
        updatedColumns: result.columns,
        updatedCells: result.cells,
      });
    });
    return { responses, rows: rows.size, columns: columns.size, cells, sheets: sheets.size };
  }

  update(
    spreadsheetId: string,
    user: string | null,
    range: string,
    body: unknown,
    query: { valueInputOption?: string },
  ) {
    const spreadsheet = this.store.access(spreadsheetId, user);
    const option = enumOption<ValueInputOption>(query.valueInputOption, INPUT, 'valueInputOption', 'ValueInputOption');
    const input = bodyOf(body);
    if (typeof input.range === 'string' && input.range !== range) {
      throw SheetsApiError.invalid(`Requested range [${input.range}] does not match the range in the URL [${range}]`);
    }
    const applied = this.apply(spreadsheetId, [this.plan(spreadsheet, range, input, option, 'value_range')]);
    return applied.responses[0];
  }

  batchUpdateValues(spreadsheetId: string, user: string | null, body: unknown) {
    const spreadsheet = this.store.access(spreadsheetId, user);
    const input = bodyOf(body);
    const option = enumOption<ValueInputOption>(input.valueInputOption, INPUT, 'valueInputOption', 'ValueInputOption');
    if (input.data !== undefined && !Array.isArray(input.data))
      throw SheetsApiError.invalid('Invalid data: must be a list');
    const data = (input.data ?? []) as unknown[];
    // Validate every part first; one bad part fails the request and nothing is written.
    const plans = data.map((part, i) => {
      const item = bodyOf(part);
      try {
        return this.plan(spreadsheet, item.range, item, option, `data[${i}]`);
      } catch (error) {
        if (error instanceof SheetsApiError && !error.message.startsWith(`Invalid data[${i}]`)) {
          throw SheetsApiError.invalid(`Invalid data[${i}]: ${error.message}`);
        }
        throw error;
      }
    });
    const applied = this.apply(spreadsheetId, plans);
    return withoutZeros({
      spreadsheetId,
      totalUpdatedRows: applied.rows,
      totalUpdatedColumns: applied.columns,
      totalUpdatedCells: applied.cells,
      totalUpdatedSheets: applied.sheets,
      responses: applied.responses,
    });
  }

  /**
   * values.append: finds the "table" in the range (the first run of non-empty rows at or below the
   * range's first row) and writes after its last row, overwriting (OVERWRITE) or inserting new rows
   * (INSERT_ROWS). The grid grows as needed.
   */
  append(
    spreadsheetId: string,
    user: string | null,
    range: string,
    body: unknown,
    query: { valueInputOption?: string; insertDataOption?: string },
  ) {
    const spreadsheet = this.store.access(spreadsheetId, user);
    const option = enumOption<ValueInputOption>(query.valueInputOption, INPUT, 'valueInputOption', 'ValueInputOption');
    const insert = enumOption(query.insertDataOption, INSERT, 'insert_data_option', 'InsertDataOption', 'OVERWRITE');
    const input = bodyOf(body);
    const majorDimension = enumOption(
      input.majorDimension,
      DIMENSIONS,
      'value_range.major_dimension',
      'Dimension',
      'ROWS',
    );
    const matrix = parseInputMatrix(input.values, option, majorDimension, 'value_range');
    const resolved = this.store.resolve(spreadsheet, range);
    const bounded = this.store.bound(resolved, range);
    const { grid, title } = resolved.sheet;
    const single =
      resolved.range.endRow === resolved.range.startRow + 1 &&
      resolved.range.endColumn === resolved.range.startColumn + 1;
    const search = single ? { ...bounded, endRow: grid.rowCount, endColumn: grid.columnCount } : bounded;
    let tableStart = -1;
    let tableEnd = search.startRow;
    for (let row = search.startRow; row < search.endRow; row++) {
      const empty = isRowEmpty(grid, row, search.startColumn, search.endColumn);
      if (tableStart < 0 && !empty) tableStart = row;
      if (tableStart >= 0) {
        if (empty) break;
        tableEnd = row + 1;
      }
    }
    let tableWidth = 0;
    for (let row = Math.max(tableStart, 0); tableStart >= 0 && row < tableEnd; row++) {
      for (let column = search.endColumn - 1; column >= search.startColumn; column--) {
        if (!isRowEmpty(grid, row, column, column + 1)) {
          tableWidth = Math.max(tableWidth, column - search.startColumn + 1);
          break;
        }
      }
    }
    const extent = matrixExtent(matrix);
    const at = tableStart >= 0 ? tableEnd : search.startRow;
    if (insert === 'INSERT_ROWS') insertRows(grid, at, extent.rows);
    ensureSize(grid, at + extent.rows, search.startColumn + extent.columns);
    const result = writeMatrix(grid, at, search.startColumn, matrix);
    const written = {
      startRow: at,
      endRow: at + Math.max(1, extent.rows),
      startColumn: search.startColumn,
      endColumn: search.startColumn + Math.max(1, extent.columns),
    };
    return {
      spreadsheetId,
      ...(tableStart >= 0 && tableWidth > 0
        ? {
            tableRange: formatA1(title, {
              startRow: tableStart,
              endRow: tableEnd,
              startColumn: search.startColumn,
              endColumn: search.startColumn + tableWidth,
            }),
          }
        : {}),
      updates: withoutZeros({
        spreadsheetId,
        updatedRange: formatA1(title, written),
        updatedRows: result.rows,
        updatedColumns: result.columns,
        updatedCells: result.cells,
      }),
    };
  }

  /** spreadsheets.batchUpdate: the sandbox implements deleteDimension (rows or columns). */
  batchUpdate(spreadsheetId: string, user: string | null, body: unknown) {
    const spreadsheet = this.store.access(spreadsheetId, user);
    const input = bodyOf(body);
    if (!Array.isArray(input.requests)) throw SheetsApiError.invalid('Invalid requests: must be a list');
    // Requests apply in order and shift what follows; simulate the sizes to validate them all first.
    const sizes = new Map(
      spreadsheet.sheets.map((sheet) => [
        sheet.sheetId,
        { rows: sheet.grid.rowCount, columns: sheet.grid.columnCount },
      ]),
    );
    const deletes = input.requests.map((request, i) => {
      const kinds = Object.keys(bodyOf(request));
      if (kinds.length !== 1)
        throw SheetsApiError.invalid(
          `Invalid requests[${i}]: ${kinds.length === 0 ? 'No request set.' : 'Only one kind per request.'}`,
        );
      const where = `requests[${i}].${kinds[0]}`;
      if (kinds[0] !== 'deleteDimension')
        throw SheetsApiError.invalid(`Invalid ${where}: not supported by the sandbox (it implements deleteDimension)`);
      const range = bodyOf(bodyOf(bodyOf(request).deleteDimension).range);
      const sheetId = Number(range.sheetId ?? 0);
      const size = sizes.get(sheetId);
      if (!size) throw SheetsApiError.invalid(`Invalid ${where}: No grid with id: ${sheetId}`);
      const dimension = enumOption(range.dimension, DIMENSIONS, `${where}.range.dimension`, 'Dimension');
      const start = Number(range.startIndex ?? 0);
      const end =
        range.endIndex === undefined ? (dimension === 'ROWS' ? size.rows : size.columns) : Number(range.endIndex);
      const limit = dimension === 'ROWS' ? size.rows : size.columns;
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
        throw SheetsApiError.invalid(
          `Invalid ${where}: Invalid dimension range: startIndex must be less than endIndex`,
        );
      }
      if (end > limit)
        throw SheetsApiError.invalid(
          `Invalid ${where}: Range exceeds grid limits. Max ${dimension === 'ROWS' ? 'rows' : 'columns'}: ${limit}`,
        );
      if (end - start === limit)
        throw SheetsApiError.invalid(
          `Invalid ${where}: You can't delete all the ${dimension === 'ROWS' ? 'rows' : 'columns'} on the sheet.`,
        );
      if (dimension === 'ROWS') size.rows -= end - start;
      else size.columns -= end - start;
      return { sheetId, dimension, start, end };
    });
    for (const { sheetId, dimension, start, end } of deletes) {
      const sheet = spreadsheet.sheets.find((candidate) => candidate.sheetId === sheetId) as StoredSheet;
      if (dimension === 'ROWS') deleteRows(sheet.grid, start, end);
      else deleteColumns(sheet.grid, start, end);
    }
    return { spreadsheetId, replies: deletes.map(() => ({})) };
  }
}
