// Bulk writes to APIs whose bulk requests are all-or-nothing (SmartSuite, Webflow): one bad item
// must fail alone. A rejected request (classified `invalid`) that names the offending items by
// position fails those, and the rest is sent once more: at most one extra request per chunk, so a
// batch's cost stays predictable against the vendor's rate limit. Each connector supplies how its
// errors are classified and how a rejection names items.
import type { ConnectorError, ItemResult } from './contract.ts';

export interface Pending<T> {
  internalId: string;
  input: T;
}

export interface BulkOptions<T> {
  /** Sends one request; answers the external id (and updatedAt) of each input, in order. */
  send: (inputs: T[]) => Promise<{ externalId: string; updatedAt?: string | null }[]>;
  classify: (error: unknown) => ConnectorError;
  /** The items an `invalid` rejection names, by position, each with its own error (empty: none named). */
  blamed: (error: unknown, failure: ConnectorError) => Map<number, ConnectorError>;
  /** A blamed item whose error means it is already done (a delete of an item already gone). */
  blamedIsSuccess?: (error: ConnectorError) => boolean;
  externalIdOf?: (input: T) => string;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * One chunk. Invalid items come back as failures; retryable, rate-limit and auth failures are
 * thrown, so the caller can tell "nothing happened" from per-item problems.
 */
export async function sendChunk<T>(
  part: Pending<T>[],
  options: BulkOptions<T>,
  retriesLeft = 1,
): Promise<ItemResult[]> {
  if (part.length === 0) return [];
  try {
    const answered = await options.send(part.map((entry) => entry.input));
    return part.map((entry, i): ItemResult => {
      const answer = answered[i];
      return answer
        ? { internalId: entry.internalId, ok: true, externalId: answer.externalId, updatedAt: answer.updatedAt ?? null }
        : {
            internalId: entry.internalId,
            ok: false,
            error: { kind: 'retryable', message: 'no result for this item in the response' },
          };
    });
  } catch (error) {
    const failure = options.classify(error);
    if (failure.kind !== 'invalid') throw error;
    const blamed = options.blamed(error, failure);
    const usable = blamed.size > 0 && [...blamed.keys()].every((index) => index >= 0 && index < part.length);
    // Nothing (usable) names an item: every item gets the request's error.
    if (!usable) return part.map((entry) => ({ internalId: entry.internalId, ok: false, error: failure }));
    const results = new Map<number, ItemResult>();
    const rest: { index: number; entry: Pending<T> }[] = [];
    part.forEach((entry, index) => {
      const itemError = blamed.get(index);
      if (itemError === undefined) rest.push({ index, entry });
      else if (options.blamedIsSuccess?.(itemError) && options.externalIdOf)
        results.set(index, {
          internalId: entry.internalId,
          ok: true,
          externalId: options.externalIdOf(entry.input),
          updatedAt: null,
        });
      else results.set(index, { internalId: entry.internalId, ok: false, error: itemError });
    });
    if (rest.length > 0) {
      let again: ItemResult[];
      if (retriesLeft > 0) {
        try {
          again = await sendChunk(
            rest.map(({ entry }) => entry),
            options,
            retriesLeft - 1,
          );
        } catch (retryError) {
          const retryFailure = options.classify(retryError);
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
 * retries the batch as a unit); after a success the remaining items fail with the classified error
 * instead, so no success is lost.
 */
export async function sendChunksInOrder<T>(
  parts: Pending<T>[][],
  send: (part: Pending<T>[]) => Promise<ItemResult[]>,
  classify: (error: unknown) => ConnectorError,
): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const [position, part] of parts.entries()) {
    try {
      results.push(...(await send(part)));
    } catch (error) {
      if (!results.some((result) => result.ok)) throw error;
      const failure = classify(error);
      for (const entry of parts.slice(position).flat())
        results.push({ internalId: entry.internalId, ok: false, error: failure });
      break;
    }
  }
  return results;
}
