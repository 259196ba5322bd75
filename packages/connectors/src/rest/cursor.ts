// The connector's cursor: an opaque string (JSON) the engine stores after committing a page.
//   since: high-water updated_at of everything already delivered (null: nothing yet, full read)
//   page:  the API's page cursor within the current read (null: start a new read)
//   high:  largest updated_at seen so far in the current read (becomes `since` at its end)
// Resuming from any page's cursor repeats the same query from the same keyset position, so no
// change is lost and none delivered twice.
import { ConnectorRequestError } from '../contract.ts';

export interface RestCursorState {
  since: string | null;
  page: string | null;
  high: string | null;
}

export const START_CURSOR: RestCursorState = { since: null, page: null, high: null };

export function encodeRestCursor(state: RestCursorState): string {
  return JSON.stringify({ v: 1, since: state.since, page: state.page, high: state.high });
}

export function decodeRestCursor(cursor: string): RestCursorState {
  let value: unknown;
  try {
    value = JSON.parse(cursor);
  } catch {
    value = null;
  }
  const record = value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  const field = (name: string) => {
    const item = record?.[name];
    return typeof item === 'string' ? item : null;
  };
  if (!record || record.v !== 1) {
    throw new ConnectorRequestError({ kind: 'invalid', message: 'unrecognised cursor for the REST connector' });
  }
  return { since: field('since'), page: field('page'), high: field('high') };
}
