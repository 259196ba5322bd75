// Pure mappers between a tab's values grid and the contract's shapes. Row 1 is the header (field
// names); each later row is a record whose id is its key-column value, so identity survives rows
// moving (sorting, inserts, deletes) where a row number would not.
import {
  ConnectorRequestError,
  type ConnectorError,
  type ExternalRecord,
  type FieldValue,
  type Fields,
  type UpsertItem,
} from '../contract.ts';
import { SHEETS_MAX_CELL_CHARACTERS } from './limits.ts';

export * from './a1.ts';

/** What the API takes and gives for one cell (UNFORMATTED_VALUE). */
export type SheetCell = string | number | boolean;

export interface SheetHeader {
  /** Header text per column index ('' for a column without one). */
  names: string[];
  /** Field name → column index (the first column wins when a header repeats). */
  columns: Map<string, number>;
  /** Header texts seen more than once (later columns are ignored). */
  duplicates: string[];
}

export interface SheetReadWarning {
  /** 1-based row number in the tab. */
  row: number;
  reason: 'missing_key' | 'duplicate_key';
  key?: string;
}

export interface SheetRecords {
  header: SheetHeader;
  records: ExternalRecord[];
  /** Row number of each record, in the same order. */
  rowNumbers: number[];
  warnings: SheetReadWarning[];
}

export function toSheetHeader(row: readonly unknown[] | undefined): SheetHeader {
  const names = (row ?? []).map((cell) => (cell === null || cell === undefined ? '' : String(cell).trim()));
  const columns = new Map<string, number>();
  const duplicates: string[] = [];
  names.forEach((name, index) => {
    if (!name) return;
    if (columns.has(name)) duplicates.push(name);
    else columns.set(name, index);
  });
  return { names, columns, duplicates };
}

/** A cell (or an id) as a record key: trimmed text, numbers in plain form; empty → null. */
export function toKey(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** An empty cell reads as "" inside a row and is left out at the end of one: both become null. */
export function toFieldValue(cell: unknown): FieldValue {
  if (cell === undefined || cell === null || cell === '') return null;
  if (typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') return cell;
  return String(cell);
}

export function keyColumnMissing(keyField: string, header: SheetHeader, sheet: string): ConnectorRequestError {
  const known = [...header.columns.keys()].slice(0, 20).join(', ') || '(no header row)';
  return new ConnectorRequestError({
    kind: 'invalid',
    code: 'key_column_missing',
    message: `sheet "${sheet}" has no "${keyField}" column in row 1 (columns: ${known})`,
  });
}

/**
 * Records from a tab's values (row 1 first). Rows without a key are skipped, and so are later rows
 * repeating a key already seen; both are reported as warnings.
 */
export function toSheetRecords(
  values: readonly (readonly unknown[])[],
  keyField: string,
  sheet = 'sheet',
): SheetRecords {
  const header = toSheetHeader(values[0]);
  const keyColumn = header.columns.get(keyField);
  if (keyColumn === undefined) throw keyColumnMissing(keyField, header, sheet);
  const records: ExternalRecord[] = [];
  const rowNumbers: number[] = [];
  const warnings: SheetReadWarning[] = [];
  const seen = new Set<string>();
  for (let index = 1; index < values.length; index++) {
    const row = values[index] ?? [];
    if (row.length === 0) continue; // an empty row in the middle of the data
    const key = toKey(row[keyColumn]);
    if (key === null) {
      warnings.push({ row: index + 1, reason: 'missing_key' });
      continue;
    }
    if (seen.has(key)) {
      warnings.push({ row: index + 1, reason: 'duplicate_key', key });
      continue;
    }
    seen.add(key);
    const fields: Fields = {};
    for (const [name, column] of header.columns) fields[name] = toFieldValue(row[column]);
    records.push({ id: key, fields, updatedAt: null });
    rowNumbers.push(index + 1);
  }
  return { header, records, rowNumbers, warnings };
}

/** Key → every row number holding it, from the key column's values starting at `firstRow`. */
export function toRowsByKey(columnValues: readonly (readonly unknown[])[], firstRow = 2): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  columnValues.forEach((line, index) => {
    const key = toKey(line[0]);
    if (key === null) return;
    const list = rows.get(key);
    if (list) list.push(firstRow + index);
    else rows.set(key, [firstRow + index]);
  });
  return rows;
}

/** A field value as a cell: null clears it; lists and objects are written as JSON text. */
export function toSheetCell(value: FieldValue): SheetCell {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** One row's cells by header; null cells are left alone by the API (fields not given). */
export function toRowCells(fields: Fields, header: SheetHeader): { cells: (SheetCell | null)[]; unknown: string[] } {
  const cells: (SheetCell | null)[] = [];
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const column = header.columns.get(name);
    if (column === undefined) unknown.push(name);
    else cells[column] = toSheetCell(value);
  }
  return { cells: Array.from(cells, (cell) => cell ?? null), unknown };
}

export interface PlannedRow {
  /** Indexes of the items written into this row. */
  items: number[];
  key: string;
  cells: (SheetCell | null)[];
}

export interface SheetUpsertPlan {
  /** Items decided already (invalid ones). */
  failures: Map<number, ConnectorError>;
  /** Existing rows to change, by 1-based row number. */
  updates: (PlannedRow & { row: number })[];
  /** New rows, in item order. */
  appends: PlannedRow[];
}

function invalid(code: string, message: string): ConnectorError {
  return { kind: 'invalid', code, message };
}

function merge(target: (SheetCell | null)[], cells: (SheetCell | null)[]): void {
  cells.forEach((cell, column) => {
    if (cell !== null) target[column] = cell;
    else target[column] ??= null;
  });
}

/**
 * Decides where each item goes: the row holding its key (found through externalId first, then the
 * key in its fields) or a new row. Items for the same row are merged, later fields winning.
 */
export function planSheetUpsert(
  items: readonly UpsertItem[],
  header: SheetHeader,
  keyField: string,
  rowsByKey: ReadonlyMap<string, readonly number[]>,
): SheetUpsertPlan {
  const keyColumn = header.columns.get(keyField);
  if (keyColumn === undefined) throw keyColumnMissing(keyField, header, 'sheet');
  const failures = new Map<number, ConnectorError>();
  const updates = new Map<number, PlannedRow & { row: number }>();
  const appends = new Map<string, PlannedRow>();
  items.forEach((item, index) => {
    const previous = toKey(item.externalId);
    const key = (keyField in item.fields ? toKey(item.fields[keyField]) : null) ?? previous;
    if (key === null) return failures.set(index, invalid('missing_key', `no value for the key column "${keyField}"`));
    const { cells, unknown } = toRowCells(item.fields, header);
    if (unknown.length > 0) {
      return failures.set(
        index,
        invalid('unknown_column', `no column for ${unknown.map((name) => `"${name}"`).join(', ')} in the header row`),
      );
    }
    if (cells.some((cell) => typeof cell === 'string' && cell.length > SHEETS_MAX_CELL_CHARACTERS)) {
      return failures.set(
        index,
        invalid('cell_too_large', `a cell may hold at most ${SHEETS_MAX_CELL_CHARACTERS} characters`),
      );
    }
    cells[keyColumn] = key;
    const previousRow = previous === null ? undefined : rowsByKey.get(previous)?.[0];
    const keyRow = rowsByKey.get(key)?.[0];
    if (previousRow !== undefined && keyRow !== undefined && keyRow !== previousRow) {
      return failures.set(index, invalid('duplicate_key', `key "${key}" is already used by row ${keyRow}`));
    }
    const row = previousRow ?? keyRow;
    if (row !== undefined) {
      const planned = updates.get(row);
      if (planned) {
        planned.items.push(index);
        planned.key = key;
        merge(planned.cells, cells);
      } else updates.set(row, { row, key, items: [index], cells: [...cells] });
      return;
    }
    const pending = appends.get(key);
    if (pending) {
      pending.items.push(index);
      merge(pending.cells, cells);
    } else appends.set(key, { key, items: [index], cells: [...cells] });
  });
  return { failures, updates: [...updates.values()].sort((a, b) => a.row - b.row), appends: [...appends.values()] };
}

/** Groups entries into runs whose summed size stays within `budget` (an oversize entry goes alone). */
export function chunkBySize<T>(entries: readonly T[], sizeOf: (entry: T) => number, budget: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const entry of entries) {
    const size = sizeOf(entry);
    if (current.length > 0 && used + size > budget) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(entry);
    used += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Bytes an entry adds to a JSON request body (plus its separating comma). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value)) + 1;
}

/** Row numbers → contiguous [start, end) index runs, bottom-most first (safe to delete in order). */
export function rowRunsBottomUp(rowNumbers: Iterable<number>): { startIndex: number; endIndex: number }[] {
  const sorted = [...new Set(rowNumbers)].sort((a, b) => b - a);
  const runs: { startIndex: number; endIndex: number }[] = [];
  for (const row of sorted) {
    const last = runs.at(-1);
    if (last && last.startIndex === row) last.startIndex = row - 1;
    else runs.push({ startIndex: row - 1, endIndex: row });
  }
  return runs;
}
