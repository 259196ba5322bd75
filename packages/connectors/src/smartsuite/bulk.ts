// SmartSuite bulk writes (≤ 25 records per request) so that one bad record fails alone. A rejected
// bulk request (422) names the offending records by position (`{ items: [{}, { title: [...] }] }`):
// those fail, and the others are sent once more — at most one extra request per chunk, which keeps
// a batch's cost predictable against 5 requests per second.
import type { ConnectorError, ItemResult } from '../contract.ts';
import { blamedRecordIndexes, classifySmartSuiteError, errorBodyOf } from './errors.ts';

export interface PendingRecord<T> {
  internalId: string;
  input: T;
}

/** Sends one request; answers the written records' ids (and last_updated) in request order. */
export type BulkSend<T> = (inputs: T[]) => Promise<{ externalId: string; updatedAt?: string | null }[]>;

/**
 * One chunk. Invalid records come back as failures; retryable, rate-limit and auth failures are
 * thrown, so the caller can tell "nothing happened" from per-record problems.
 */
export async function sendChunk<T>(
  part: PendingRecord<T>[],
  send: BulkSend<T>,
  retriesLeft = 1,
): Promise<ItemResult[]> {
  if (part.length === 0) return [];
  try {
    const answered = await send(part.map((entry) => entry.input));
    return part.map((entry, i): ItemResult => {
      const answer = answered[i];
      return answer
        ? { internalId: entry.internalId, ok: true, externalId: answer.externalId, updatedAt: answer.updatedAt ?? null }
        : {
            internalId: entry.internalId,
            ok: false,
            error: { kind: 'retryable', message: 'no record for this item in the response' },
          };
    });
  } catch (error) {
    const failure = classifySmartSuiteError(error);
    if (failure.kind !== 'invalid') throw error;
    const blamed = blamedRecordIndexes(errorBodyOf(error));
    const usable = blamed.size > 0 && [...blamed.keys()].every((index) => index < part.length);
    if (!usable) return part.map((entry) => ({ internalId: entry.internalId, ok: false, error: failure }));
    const results = new Map<number, ItemResult>();
    const rest: { index: number; entry: PendingRecord<T> }[] = [];
    part.forEach((entry, index) => {
      const problem = blamed.get(index);
      if (problem === undefined) rest.push({ index, entry });
      else {
        const itemError: ConnectorError = {
          kind: 'invalid',
          status: failure.status,
          message: `HTTP ${failure.status ?? 422}: ${problem}`,
        };
        results.set(index, { internalId: entry.internalId, ok: false, error: itemError });
      }
    });
    if (rest.length > 0) {
      let again: ItemResult[];
      if (retriesLeft > 0) {
        try {
          again = await sendChunk(
            rest.map(({ entry }) => entry),
            send,
            retriesLeft - 1,
          );
        } catch (retryError) {
          const retryFailure = classifySmartSuiteError(retryError);
          again = rest.map(({ entry }) => ({ internalId: entry.internalId, ok: false, error: retryFailure }));
        }
      } else again = rest.map(({ entry }) => ({ internalId: entry.internalId, ok: false, error: failure }));
      rest.forEach(({ index }, i) => results.set(index, again[i] as ItemResult));
    }
    return part.map((_entry, index) => results.get(index) as ItemResult);
  }
}

/**
 * Chunks one after another. A chunk that throws before anything succeeded is rethrown (the engine
 * retries the batch as a unit); after a success the remaining records fail with the classified
 * error instead, so no success is lost.
 */
export async function sendChunksInOrder<T>(
  parts: PendingRecord<T>[][],
  send: (part: PendingRecord<T>[]) => Promise<ItemResult[]>,
): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const [position, part] of parts.entries()) {
    try {
      results.push(...(await send(part)));
    } catch (error) {
      if (!results.some((result) => result.ok)) throw error;
      const failure = classifySmartSuiteError(error);
      for (const entry of parts.slice(position).flat())
        results.push({ internalId: entry.internalId, ok: false, error: failure });
      break;
    }
  }
  return results;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
