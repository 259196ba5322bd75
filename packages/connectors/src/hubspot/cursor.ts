// The pull cursor, opaque to the engine (JSON):
//   { v: 1, mode: 'full', after, started }  part-way through a full read (list paging `after`)
//   { v: 1, mode: 'changes', since, after? } `since` = the latest updatedAt (ms) already delivered;
//     without `after` the next read searches from since minus the safety margin, with `after` it
//     resumes an offset page inside the records stamped exactly `since`.
import { ConnectorRequestError } from '../contract.ts';

export type HubSpotCursor =
  { v: 1; mode: 'full'; after: string; started: number } | { v: 1; mode: 'changes'; since: number; after?: string };

export function encodeHubSpotCursor(cursor: HubSpotCursor): string {
  return JSON.stringify(cursor);
}

export function decodeHubSpotCursor(text: string): HubSpotCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const cursor = parsed as
    Partial<{ v: number; mode: string; after: unknown; started: unknown; since: unknown }> | undefined;
  if (
    cursor?.v === 1 &&
    cursor.mode === 'full' &&
    typeof cursor.after === 'string' &&
    typeof cursor.started === 'number'
  ) {
    return { v: 1, mode: 'full', after: cursor.after, started: cursor.started };
  }
  if (
    cursor?.v === 1 &&
    cursor.mode === 'changes' &&
    typeof cursor.since === 'number' &&
    Number.isFinite(cursor.since)
  ) {
    return typeof cursor.after === 'string'
      ? { v: 1, mode: 'changes', since: cursor.since, after: cursor.after }
      : { v: 1, mode: 'changes', since: cursor.since };
  }
  throw new ConnectorRequestError({ kind: 'invalid', message: `not a HubSpot cursor: '${text.slice(0, 60)}'` });
}
