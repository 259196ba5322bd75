// The pull cursor, opaque to the engine (JSON):
//   { v: 1, mode: 'full', offset, started }            part-way through a full read
//   { v: 1, mode: 'changes', since }                    the next read asks for modified_since =
//                                                       since minus the safety margin
//   { v: 1, mode: 'changes', since, offset, started }  part-way through such a read (the offset
//                                                       token belongs to that exact query)
// `started` is the server's clock (Date header) when the read began: changes made while a read
// runs may sit on pages already read, so the next read starts from there, not from the newest
// record seen.
import { ConnectorRequestError } from '../contract.ts';

export type AsanaCursor =
  | { v: 1; mode: 'full'; offset: string; started: number }
  | { v: 1; mode: 'changes'; since: number; offset?: string; started?: number };

export function encodeAsanaCursor(cursor: AsanaCursor): string {
  return JSON.stringify(cursor);
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function decodeAsanaCursor(text: string): AsanaCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const cursor = parsed as Partial<Record<'v' | 'mode' | 'offset' | 'started' | 'since', unknown>> | undefined;
  if (cursor?.v === 1 && cursor.mode === 'full' && typeof cursor.offset === 'string' && finite(cursor.started)) {
    return { v: 1, mode: 'full', offset: cursor.offset, started: cursor.started };
  }
  if (cursor?.v === 1 && cursor.mode === 'changes' && finite(cursor.since)) {
    if (typeof cursor.offset === 'string' && finite(cursor.started)) {
      return { v: 1, mode: 'changes', since: cursor.since, offset: cursor.offset, started: cursor.started };
    }
    return { v: 1, mode: 'changes', since: cursor.since };
  }
  throw new ConnectorRequestError({ kind: 'invalid', message: `not an Asana cursor: '${text.slice(0, 60)}'` });
}
