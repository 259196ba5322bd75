// Sheet model pieces of the sandbox: columns, rows, cell validation and the JSON the API renders.
// No HTTP here.
import { rowFailures, type RowFailure } from './errors.ts';

export type CellValue = string | number | boolean;

export interface ColumnSpec {
  title: string;
  /** TEXT_NUMBER (default), DATE, DATETIME, CHECKBOX, PICKLIST, MULTI_PICKLIST, CONTACT_LIST, … */
  type?: string;
  primary?: boolean;
  options?: string[];
}

export interface StoredColumn {
  id: number;
  version: number;
  index: number;
  title: string;
  type: string;
  primary?: true;
  options?: string[];
  validation: boolean;
  width: number;
}

export interface StoredRow {
  id: number;
  createdAtMs: number;
  modifiedAtMs: number;
  cells: Map<number, CellValue>;
}

/**
 * Extra validation for one cell: return a failure (e.g. `{ errorCode: 1042, message }`) to reject
 * the row, or null. Runs after the built-in checks, for every value except "" (a clear).
 */
export type CellValidator = (cell: {
  sheetId: number;
  rowId: number | null;
  column: StoredColumn;
  value: CellValue;
}) => RowFailure | null;

/** Any cell holding this marker fails its row with a 1042, so tests can make one chosen row fail. */
export const INVALID_MARKER = '__invalid__';

/** API timestamps: ISO-8601 in whole seconds, like "2025-06-01T10:00:00Z". */
export function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export const wholeSeconds = (ms: number) => Math.floor(ms / 1000) * 1000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function conforms(column: StoredColumn, value: CellValue): boolean {
  if (value === '') return true; // clears the cell
  switch (column.type) {
    case 'CHECKBOX':
      return typeof value === 'boolean';
    case 'DATE':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value));
    case 'DATETIME':
    case 'ABSTRACT_DATETIME':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    default:
      return true;
  }
}

export class RowRejected extends Error {
  readonly failure: RowFailure;
  constructor(failure: RowFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

/**
 * Validates a request row's `cells` against the sheet's columns and returns the values to write
 * (an empty string clears a cell). Throws RowRejected with the API's code for the first problem.
 */
export function parseCells(
  raw: unknown,
  columns: ReadonlyMap<number, StoredColumn>,
  context: { sheetId: number; rowId: number | null; validate?: CellValidator },
): Map<number, CellValue> {
  const values = new Map<number, CellValue>();
  if (raw === undefined) return values;
  if (!Array.isArray(raw)) throw new RowRejected(rowFailures.missingAttribute('row.cells'));
  for (const cell of raw as unknown[]) {
    if (!cell || typeof cell !== 'object') throw new RowRejected(rowFailures.missingAttribute('cell.columnId'));
    const { columnId, value, strict } = cell as { columnId?: unknown; value?: unknown; strict?: unknown };
    if (typeof columnId !== 'number') throw new RowRejected(rowFailures.missingAttribute('cell.columnId'));
    const column = columns.get(columnId);
    if (!column) throw new RowRejected(rowFailures.invalidColumn(columnId));
    if (values.has(columnId)) throw new RowRejected(rowFailures.duplicateColumn(columnId));
    const cellValue: CellValue = value === null || value === undefined ? '' : (value as CellValue);
    if (!['string', 'number', 'boolean'].includes(typeof cellValue)) throw new RowRejected(rowFailures.invalidValue());
    if (cellValue === INVALID_MARKER || (strict !== false && !conforms(column, cellValue))) {
      throw new RowRejected(rowFailures.strictType(columnId, cellValue, column.type));
    }
    const custom =
      cellValue === ''
        ? null
        : context.validate?.({ sheetId: context.sheetId, rowId: context.rowId, column, value: cellValue });
    if (custom) throw new RowRejected(custom);
    values.set(columnId, cellValue);
  }
  return values;
}

export interface CellJson {
  columnId: number;
  value?: CellValue;
  displayValue?: string;
}

export interface RowJson {
  id: number;
  sheetId: number;
  rowNumber: number;
  expanded: boolean;
  locked: boolean;
  lockedForUser: boolean;
  createdAt: string;
  modifiedAt: string;
  cells: CellJson[];
}

/** A row as the API renders it: one cell per (selected) column, `{ columnId }` alone when empty. */
export function rowJson(sheetId: number, row: StoredRow, rowNumber: number, columns: readonly StoredColumn[]): RowJson {
  return {
    id: row.id,
    sheetId,
    rowNumber,
    expanded: true,
    locked: false,
    lockedForUser: false,
    createdAt: formatTimestamp(row.createdAtMs),
    modifiedAt: formatTimestamp(row.modifiedAtMs),
    cells: columns.map((column): CellJson => {
      const value = row.cells.get(column.id);
      if (value === undefined) return { columnId: column.id };
      return column.type === 'CHECKBOX'
        ? { columnId: column.id, value }
        : { columnId: column.id, value, displayValue: String(value) };
    }),
  };
}
