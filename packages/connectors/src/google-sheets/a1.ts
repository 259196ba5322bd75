// A1 notation, shared by the connector (building ranges) and the sandbox (parsing them).
// https://developers.google.com/workspace/sheets/api/guides/concepts#cell
//   Sheet1!A1:B2   'My Sheet'!A:A   Sheet1!1:2   Sheet1!A5:Z   Sheet1   A1:B2 (first visible sheet)
// Rows and columns are 0-based and end-exclusive here; `null` ends mean "to the edge of the grid".

export interface GridRange {
  startRow: number;
  /** Exclusive; null: to the last row of the grid. */
  endRow: number | null;
  startColumn: number;
  /** Exclusive; null: to the last column of the grid. */
  endColumn: number | null;
}

export interface ParsedA1 {
  /** Sheet title when the range named one (quoted or not); null when it did not. */
  sheet: string | null;
  /**
   * The cell part, or null when the text has no cell part: `Sheet1!` never parses, but a bare
   * `Sheet1` does (the whole sheet). A bare text that is also a valid cell reference (`A1`) comes
   * back with both `bareName` and `cells`: the caller decides, as the API does, by whether a sheet
   * with that title exists.
   */
  cells: GridRange | null;
  /** Set when the text had no `!` and no quotes: it may be a sheet title. */
  bareName: string | null;
}

const CELL = /^([A-Za-z]{0,3})([0-9]{0,7})$/;

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`column index must be >= 0, got ${index}`);
  let letters = '';
  let n = index + 1;
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A → 0, Z → 25, AA → 26 (case-insensitive). */
export function columnIndex(letters: string): number {
  if (!/^[A-Za-z]+$/.test(letters)) throw new RangeError(`not a column: ${letters}`);
  let n = 0;
  for (const char of letters.toUpperCase()) n = n * 26 + (char.charCodeAt(0) - 64);
  return n - 1;
}

/** Titles that need no quotes in A1 notation; the API quotes everything else (and titles like A1). */
function needsQuotes(title: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(title)) return true;
  return /^[A-Za-z]{1,3}[0-9]+$/.test(title) || /^R[0-9]*C[0-9]*$/i.test(title);
}

/** The sheet part of a range as the API writes it: quoted only when needed, quotes doubled. */
export function formatSheetTitle(title: string): string {
  return needsQuotes(title) ? quoteSheetTitle(title) : title;
}

/** Always-quoted sheet title: safe for any title in a request. */
export function quoteSheetTitle(title: string): string {
  return `'${title.replaceAll("'", "''")}'`;
}

interface CellRef {
  column: number | null;
  row: number | null;
}

function parseCell(text: string): CellRef | null {
  const match = CELL.exec(text);
  if (!match) return null;
  const [, letters = '', digits = ''] = match;
  if (!letters && !digits) return null;
  const row = digits ? Number(digits) : null;
  if (row === 0) return null;
  return { column: letters ? columnIndex(letters) : null, row: row === null ? null : row - 1 };
}

/** Parses the part after `!`: `A1`, `A1:B2`, `A:C`, `2:5`, `A2:Z`. Null when it is not a cell range. */
export function parseCells(text: string): GridRange | null {
  const parts = text.split(':');
  if (parts.length > 2) return null;
  const start = parseCell(parts[0] ?? '');
  if (!start) return null;
  if (parts.length === 1) {
    // A lone reference must name one cell.
    if (start.column === null || start.row === null) return null;
    return { startRow: start.row, endRow: start.row + 1, startColumn: start.column, endColumn: start.column + 1 };
  }
  const end = parseCell(parts[1] ?? '');
  if (!end) return null;
  // `A:B` and `1:2` need the same kind on both sides; `A2:Z` (open rows) and `A1:5` are allowed.
  if ((start.row === null) !== (end.row === null) && start.row === null) return null;
  if ((start.column === null) !== (end.column === null) && start.column === null) return null;
  let startRow = start.row ?? 0;
  let endRow = end.row === null ? null : end.row + 1;
  let startColumn = start.column ?? 0;
  let endColumn = end.column === null ? null : end.column + 1;
  // The API normalises reversed corners (B2:A1 is A1:B2).
  if (endRow !== null && endRow <= startRow) [startRow, endRow] = [endRow - 1, startRow + 1];
  if (endColumn !== null && endColumn <= startColumn) [startColumn, endColumn] = [endColumn - 1, startColumn + 1];
  return { startRow, endRow, startColumn, endColumn };
}

/** Splits `'It''s'!A1:B2` into sheet and cells. Null when the text cannot be a range at all. */
export function parseA1(text: string): ParsedA1 | null {
  const range = text.trim();
  if (!range) return null;
  if (range.startsWith("'")) {
    let title = '';
    let i = 1;
    for (; i < range.length; i++) {
      const char = range[i];
      if (char === "'") {
        if (range[i + 1] === "'") {
          title += "'";
          i++;
          continue;
        }
        break;
      }
      title += char;
    }
    if (i >= range.length || !title) return null;
    const rest = range.slice(i + 1);
    if (rest === '') return { sheet: title, cells: null, bareName: null };
    if (!rest.startsWith('!')) return null;
    const cells = parseCells(rest.slice(1));
    return cells ? { sheet: title, cells, bareName: null } : null;
  }
  const bang = range.indexOf('!');
  if (bang === -1) return { sheet: null, cells: parseCells(range), bareName: range };
  const sheet = range.slice(0, bang);
  const cells = parseCells(range.slice(bang + 1));
  return sheet && cells ? { sheet, cells, bareName: null } : null;
}

/** `Sheet1!A1:C10` for a bounded range (the shape the API echoes back). */
export function formatA1(
  sheetTitle: string,
  range: { startRow: number; endRow: number; startColumn: number; endColumn: number },
): string {
  const start = `${columnLetters(range.startColumn)}${range.startRow + 1}`;
  const end = `${columnLetters(range.endColumn - 1)}${range.endRow}`;
  return `${formatSheetTitle(sheetTitle)}!${start === end ? start : `${start}:${end}`}`;
}

/** Whole rows `from..to` (1-based, inclusive) of a sheet, e.g. `'Contacts'!1:1`. */
export function rowsRange(sheetTitle: string, from: number, to: number = from): string {
  return `${quoteSheetTitle(sheetTitle)}!${from}:${to}`;
}

/** One column from a row to the bottom, e.g. `'Contacts'!C2:C`. */
export function columnRange(sheetTitle: string, column: number, fromRow = 1): string {
  const letters = columnLetters(column);
  return `${quoteSheetTitle(sheetTitle)}!${letters}${fromRow}:${letters}`;
}

/** Cells of one row between two columns (0-based, inclusive), e.g. `'Contacts'!A5:F5`. */
export function rowCellsRange(sheetTitle: string, row: number, fromColumn: number, toColumn: number): string {
  return `${quoteSheetTitle(sheetTitle)}!${columnLetters(fromColumn)}${row}:${columnLetters(toColumn)}${row}`;
}

/** The whole sheet. */
export function sheetRange(sheetTitle: string): string {
  return quoteSheetTitle(sheetTitle);
}
