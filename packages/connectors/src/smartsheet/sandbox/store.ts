// In-memory sheets behind the Smartsheet sandbox. No HTTP here: routes and tests both call it.
// Every write bumps the sheet's version, stamps rows' modifiedAt (whole seconds, like the API) and
// notifies listeners (the sandbox turns notifications into webhook callbacks).
import {
  formatTimestamp,
  parseCells,
  RowRejected,
  rowJson,
  wholeSeconds,
  type CellValidator,
  type CellValue,
  type ColumnSpec,
  type RowJson,
  type StoredColumn,
  type StoredRow,
} from './cells.ts';
import { apiErrors, rowFailures, SmartsheetApiError, type RowFailure } from './errors.ts';

interface StoredSheet {
  id: number;
  name: string;
  version: number;
  createdAtMs: number;
  modifiedAtMs: number;
  columns: StoredColumn[];
  rows: StoredRow[];
}

export interface RowChange {
  rowId: number;
  type: 'created' | 'updated' | 'deleted';
  /** Columns whose cells the write touched. */
  columnIds: number[];
}

export interface SheetChange {
  sheetId: number;
  changes: RowChange[];
  /** Smartsheet-Change-Agent of the request that made the change, if any. */
  changeAgent: string | null;
  at: number;
}

export interface BulkRowsResult {
  message: 'SUCCESS' | 'PARTIAL_SUCCESS';
  resultCode: 0 | 3;
  version: number;
  result: RowJson[];
  failedItems?: { index: number; rowId?: number; error: RowFailure & { refId: string } }[];
}

export interface SheetQuery {
  /** ISO-8601: rows whose modifiedAt (whole seconds) is at or after it. */
  rowsModifiedSince?: string;
  rowIds?: number[];
  columnIds?: number[];
}

export interface WriteOptions {
  allowPartialSuccess?: boolean;
  changeAgent?: string | null;
}

export interface SheetStoreOptions {
  clock: () => number;
  /** Unique 16-digit ids (see ids.ts). */
  nextId: () => number;
  refId: () => string;
  validate?: CellValidator;
  maxRowsPerRequest: () => number;
}

export class SheetStore {
  private readonly sheets = new Map<number, StoredSheet>();
  private readonly listeners: ((change: SheetChange) => void)[] = [];
  private readonly nextId: () => number;

  constructor(private readonly options: SheetStoreOptions) {
    this.nextId = options.nextId;
  }

  onChange(listener: (change: SheetChange) => void): void {
    this.listeners.push(listener);
  }

  /** Creates a sheet; plain strings are TEXT_NUMBER columns, the first column is primary unless one says so. */
  createSheet(spec: { name: string; columns: (string | ColumnSpec)[] }): {
    id: number;
    name: string;
    columns: StoredColumn[];
  } {
    const specs = spec.columns.map((column) => (typeof column === 'string' ? { title: column } : column));
    const titles = new Set(specs.map((column) => column.title));
    if (specs.length === 0 || titles.size !== specs.length) throw new Error('a sheet needs columns with unique titles');
    const primary = Math.max(
      0,
      specs.findIndex((column) => column.primary),
    );
    const now = this.options.clock();
    const columns = specs.map((column, index): StoredColumn => {
      const stored: StoredColumn = {
        id: this.nextId(),
        version: 0,
        index,
        title: column.title,
        type: column.type ?? 'TEXT_NUMBER',
        validation: false,
        width: 150,
      };
      if (index === primary) stored.primary = true;
      if (column.options) stored.options = [...column.options];
      return stored;
    });
    const sheet: StoredSheet = {
      id: this.nextId(),
      name: spec.name,
      version: 1,
      createdAtMs: now,
      modifiedAtMs: now,
      columns,
      rows: [],
    };
    this.sheets.set(sheet.id, sheet);
    return { id: sheet.id, name: sheet.name, columns };
  }

  sheet(sheetId: number): StoredSheet {
    const sheet = this.sheets.get(sheetId);
    if (!sheet) throw apiErrors.notFound();
    return sheet;
  }

  hasSheet(sheetId: number): boolean {
    return this.sheets.has(sheetId);
  }

  listSheets() {
    return [...this.sheets.values()].map((sheet) => ({
      id: sheet.id,
      name: sheet.name,
      accessLevel: 'OWNER',
      permalink: `https://app.smartsheet.com/sheets/${sheet.id}`,
      createdAt: formatTimestamp(sheet.createdAtMs),
      modifiedAt: formatTimestamp(sheet.modifiedAtMs),
    }));
  }

  columns(sheetId: number): StoredColumn[] {
    return this.sheet(sheetId).columns.map((column) => ({ ...column }));
  }

  /** GET /sheets/{id} body. */
  sheetJson(sheetId: number, query: SheetQuery = {}) {
    const sheet = this.sheet(sheetId);
    let columns = sheet.columns;
    if (query.columnIds) {
      for (const id of query.columnIds)
        if (!columns.some((column) => column.id === id)) throw apiErrors.invalidParameter(String(id), 'columnIds');
      columns = columns.filter((column) => query.columnIds?.includes(column.id));
    }
    let since: number | null = null;
    if (query.rowsModifiedSince !== undefined) {
      since = Date.parse(query.rowsModifiedSince);
      if (Number.isNaN(since)) throw apiErrors.invalidParameter(query.rowsModifiedSince, 'rowsModifiedSince');
    }
    const wanted = query.rowIds ? new Set(query.rowIds) : null;
    const rows = sheet.rows.flatMap((row, position) =>
      (since === null || wholeSeconds(row.modifiedAtMs) >= since) && (!wanted || wanted.has(row.id))
        ? [rowJson(sheet.id, row, position + 1, columns)]
        : [],
    );
    return {
      id: sheet.id,
      name: sheet.name,
      version: sheet.version,
      totalRowCount: sheet.rows.length,
      accessLevel: 'OWNER',
      permalink: `https://app.smartsheet.com/sheets/${sheet.id}`,
      createdAt: formatTimestamp(sheet.createdAtMs),
      modifiedAt: formatTimestamp(sheet.modifiedAtMs),
      columns: columns.map((column) => ({ ...column })),
      rows,
    };
  }

  private rowsOf(body: unknown): unknown[] {
    const rows = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : null;
    if (!rows) throw apiErrors.unparseable('the body must be a Row or an array of Rows');
    if (rows.length > this.options.maxRowsPerRequest()) throw apiErrors.tooManyRows(this.options.maxRowsPerRequest());
    return rows;
  }

  /**
   * Runs `apply` for each request row. All-or-nothing unless allowPartialSuccess: then failed rows
   * come back in failedItems (result code 3) and the others are written.
   */
  private bulkWrite(
    sheet: StoredSheet,
    rows: unknown[],
    options: WriteOptions,
    prepare: (raw: Record<string, unknown>) => { commit: (now: number) => RowChange },
  ): BulkRowsResult {
    const prepared: { index: number; commit: (now: number) => RowChange }[] = [];
    const failedItems: NonNullable<BulkRowsResult['failedItems']> = [];
    rows.forEach((raw, index) => {
      const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      try {
        prepared.push({ index, commit: prepare(input).commit });
      } catch (error) {
        if (!(error instanceof RowRejected)) throw error;
        const rowId = typeof input.id === 'number' ? input.id : undefined;
        if (!options.allowPartialSuccess) {
          const { errorCode, message } = error.failure;
          const detail = rowId === undefined ? { index } : { index, rowId };
          throw new SmartsheetApiError(errorCode === 1006 ? 404 : 400, errorCode, message, detail);
        }
        failedItems.push({
          index,
          ...(rowId === undefined ? {} : { rowId }),
          error: { ...error.failure, refId: this.options.refId() },
        });
      }
    });
    const now = this.options.clock();
    const changes = prepared.map((entry) => entry.commit(now));
    if (changes.length > 0) this.touch(sheet, now, changes, options.changeAgent ?? null);
    const result = changes.map((change) => {
      const position = sheet.rows.findIndex((row) => row.id === change.rowId);
      return rowJson(sheet.id, sheet.rows[position] as StoredRow, position + 1, sheet.columns);
    });
    const partial = failedItems.length > 0;
    const response: BulkRowsResult = {
      message: partial ? 'PARTIAL_SUCCESS' : 'SUCCESS',
      resultCode: partial ? 3 : 0,
      version: sheet.version,
      result,
    };
    if (partial) response.failedItems = failedItems;
    return response;
  }

  private touch(sheet: StoredSheet, now: number, changes: RowChange[], changeAgent: string | null): void {
    sheet.version += 1;
    sheet.modifiedAtMs = now;
    const change: SheetChange = { sheetId: sheet.id, changes, changeAgent, at: now };
    for (const listener of this.listeners) listener(change);
  }

  /** POST /sheets/{id}/rows. Rows go to the bottom unless `toTop: true`. */
  addRows(sheetId: number, body: unknown, options: WriteOptions = {}): BulkRowsResult {
    const sheet = this.sheet(sheetId);
    const byId = new Map(sheet.columns.map((column) => [column.id, column]));
    return this.bulkWrite(sheet, this.rowsOf(body), options, (input) => {
      const cells = parseCells(input.cells, byId, { sheetId, rowId: null, validate: this.options.validate });
      return {
        commit: (now) => {
          const row: StoredRow = { id: this.nextId(), createdAtMs: now, modifiedAtMs: now, cells: new Map() };
          for (const [columnId, value] of cells) if (value !== '') row.cells.set(columnId, value);
          if (input.toTop === true) sheet.rows.unshift(row);
          else sheet.rows.push(row);
          return { rowId: row.id, type: 'created', columnIds: [...row.cells.keys()] };
        },
      };
    });
  }

  /** PUT /sheets/{id}/rows: each row names its id; only the given cells change. */
  updateRows(sheetId: number, body: unknown, options: WriteOptions = {}): BulkRowsResult {
    const sheet = this.sheet(sheetId);
    const byId = new Map(sheet.columns.map((column) => [column.id, column]));
    const seen = new Set<number>();
    return this.bulkWrite(sheet, this.rowsOf(body), options, (input) => {
      if (typeof input.id !== 'number') throw new RowRejected(rowFailures.missingAttribute('row.id'));
      const row = sheet.rows.find((candidate) => candidate.id === input.id);
      if (!row) throw new RowRejected(rowFailures.invalidRowId());
      if (seen.has(row.id)) throw new RowRejected(rowFailures.duplicateRow());
      seen.add(row.id);
      const cells = parseCells(input.cells, byId, { sheetId, rowId: row.id, validate: this.options.validate });
      return {
        commit: (now) => {
          for (const [columnId, value] of cells) {
            if (value === '') row.cells.delete(columnId);
            else row.cells.set(columnId, value);
          }
          row.modifiedAtMs = now;
          return { rowId: row.id, type: 'updated', columnIds: [...cells.keys()] };
        },
      };
    });
  }

  /** DELETE /sheets/{id}/rows?ids=…: 404 for a missing id unless ignoreRowsNotFound. */
  deleteRows(
    sheetId: number,
    ids: number[],
    options: { ignoreRowsNotFound?: boolean; changeAgent?: string | null } = {},
  ) {
    const sheet = this.sheet(sheetId);
    const present = new Set(sheet.rows.map((row) => row.id));
    const missing = ids.filter((id) => !present.has(id));
    if (missing.length > 0 && !options.ignoreRowsNotFound) throw apiErrors.notFound();
    const doomed = new Set(ids.filter((id) => present.has(id)));
    sheet.rows = sheet.rows.filter((row) => !doomed.has(row.id));
    const deleted = [...doomed];
    if (deleted.length > 0) {
      const changes = deleted.map((rowId): RowChange => ({ rowId, type: 'deleted', columnIds: [] }));
      this.touch(sheet, this.options.clock(), changes, options.changeAgent ?? null);
    }
    return { message: 'SUCCESS' as const, resultCode: 0 as const, version: sheet.version, result: deleted };
  }

  private columnIdsByTitle(sheet: StoredSheet, values: Record<string, CellValue | null>) {
    return Object.entries(values).map(([title, value]) => {
      const column = sheet.columns.find((candidate) => candidate.title === title);
      if (!column) throw new Error(`sheet ${sheet.id} has no column '${title}'`);
      return { columnId: column.id, value: value ?? '' };
    });
  }

  /** Rows as `{ columnTitle: value }` (empty cells null), for tests and the demo. */
  readRows(
    sheetId: number,
  ): { id: number; rowNumber: number; modifiedAt: string; values: Record<string, CellValue | null> }[] {
    const sheet = this.sheet(sheetId);
    return sheet.rows.map((row, position) => ({
      id: row.id,
      rowNumber: position + 1,
      modifiedAt: formatTimestamp(row.modifiedAtMs),
      values: Object.fromEntries(sheet.columns.map((column) => [column.title, row.cells.get(column.id) ?? null])),
    }));
  }

  /** Adds rows by column title, as a person editing the sheet would (same checks; fires webhooks). */
  insertRows(
    sheetId: number,
    records: Record<string, CellValue | null>[],
    changeAgent: string | null = null,
  ): number[] {
    const sheet = this.sheet(sheetId);
    const body = records.map((values) => ({ toBottom: true, cells: this.columnIdsByTitle(sheet, values) }));
    return this.addRows(sheetId, body, { changeAgent }).result.map((row) => row.id);
  }

  /** Changes one row by column title (fires webhooks). */
  updateRowValues(
    sheetId: number,
    rowId: number,
    values: Record<string, CellValue | null>,
    changeAgent: string | null = null,
  ): void {
    const sheet = this.sheet(sheetId);
    this.updateRows(sheetId, [{ id: rowId, cells: this.columnIdsByTitle(sheet, values) }], { changeAgent });
  }

  removeRows(sheetId: number, rowIds: number[]): void {
    this.deleteRows(sheetId, rowIds, { ignoreRowsNotFound: true });
  }

  /** Empties a sheet without notifying anyone (test setup). */
  clearRows(sheetId: number): void {
    this.sheet(sheetId).rows = [];
  }
}
