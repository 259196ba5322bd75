// The pull cursor is the `rowsModifiedSince` of the next read: an ISO-8601 instant in whole seconds
// (row modifiedAt has whole seconds), set before the previous read began (see limits.ts).
import { ConnectorRequestError } from '../contract.ts';

export function encodeSmartsheetCursor(instantMs: number): string {
  return new Date(Math.floor(instantMs / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export function decodeSmartsheetCursor(cursor: string): string {
  const ms = Date.parse(cursor);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(cursor) || Number.isNaN(ms)) {
    throw new ConnectorRequestError({ kind: 'invalid', message: `not a Smartsheet cursor: '${cursor.slice(0, 40)}'` });
  }
  return encodeSmartsheetCursor(ms);
}
