// Sending Webflow's all-or-nothing bulk requests so that one bad item fails alone. A rejected bulk
// request names the offending items in `details` (`items[3].fieldData.slug`): those fail (or, for a
// delete of items already gone, succeed) and the rest is sent again once — at most one extra request
// per chunk, so a batch costs predictably against a 60-per-minute limit.
import { ConnectorRequestError, type ConnectorError, type ItemResult } from '../contract.ts';
import { blamedItemIndexes, classifyWebflowError, webflowErrorBody } from './errors.ts';

export interface Pending<T> {
  internalId: string;
  input: T;
}

function causeBody(error: unknown): unknown {
  return error instanceof ConnectorRequestError && error.cause && typeof error.cause === 'object'
    ? (error.cause as { body?: unknown }).body
    : undefined;
}

export interface ChunkOptions<T> {
  /** Sends one request; answers the external id (and updatedAt) of each input, in order. */
  send: (inputs: T[]) => Promise<{ externalId: string; updatedAt?: string | null }[]>;
  /** A blamed item whose error means it is already done (a delete of an item already gone). */
  blamedIsSuccess?: (error: ConnectorError) => boolean;
  externalIdOf?: (input: T) => string;
}

/**
 * One chunk (≤ 100 items). Invalid items come back as failures; retryable, rate-limit and auth
 * failures are thrown, so the caller can tell "nothing happened" from per-item problems.
 */
export async function sendChunk<T>(
  part: Pending<T>[],
  options: ChunkOptions<T>,
  retriesLeft = 1,
): Promise<ItemResult[]> {
  if (part.length === 0) return [];
  try {
    const answered = await options.send(part.map((entry) => entry.input));
    return part.map((entry, i): ItemResult => {
      const answer = answered[i];
      if (!answer) {
        return {
          internalId: entry.internalId,
          ok: false,
          error: { kind: 'retryable', message: 'no result for this item in the response' },
        };
      }
      return {
        internalId: entry.internalId,
        ok: true,
        externalId: answer.externalId,
        updatedAt: answer.updatedAt ?? null,
      };
    });
  } catch (error) {
    const failure = classifyWebflowError(error);
    if (failure.kind !== 'invalid') throw error;
    const blamed = blamedItemIndexes(causeBody(error));
    const whole = webflowErrorBody(causeBody(error));
    const itemError = (index: number): ConnectorError => ({
      kind: 'invalid',
      status: failure.status,
      code: whole?.code ?? failure.code,
      message: `${failure.message} — ${blamed.get(index)}`,
    });
    const usable = [...blamed.keys()].every((index) => index >= 0 && index < part.length);
    if (blamed.size === 0 || !usable) {
      // Nothing names an item: every item gets the request's error.
      return part.map((entry) => ({ internalId: entry.internalId, ok: false, error: failure }));
    }
    const results = new Map<number, ItemResult>();
    const rest: { index: number; entry: Pending<T> }[] = [];
    part.forEach((entry, index) => {
      if (!blamed.has(index)) return rest.push({ index, entry });
      const error = itemError(index);
      results.set(
        index,
        options.blamedIsSuccess?.(error) && options.externalIdOf
          ? { internalId: entry.internalId, ok: true, externalId: options.externalIdOf(entry.input), updatedAt: null }
          : { internalId: entry.internalId, ok: false, error },
      );
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
          const retryFailure = classifyWebflowError(retryError);
          again = rest.map(({ entry }) => ({ internalId: entry.internalId, ok: false, error: retryFailure }));
        }
      } else {
        again = rest.map(({ entry }) => ({ internalId: entry.internalId, ok: false, error: failure }));
      }
      rest.forEach(({ index }, i) => results.set(index, again[i] as ItemResult));
    }
    return part.map((_entry, index) => results.get(index) as ItemResult);
  }
}

/**
 * Chunks one after another. A chunk that throws before anything succeeded is rethrown (the engine
 * retries the batch as a unit); after a success, the remaining items fail with the classified error
 * instead, so no success is lost.
 */
export async function sendChunksInOrder<T>(
  parts: Pending<T>[][],
  send: (part: Pending<T>[]) => Promise<ItemResult[]>,
): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const [position, part] of parts.entries()) {
    try {
      results.push(...(await send(part)));
    } catch (error) {
      if (!results.some((result) => result.ok)) throw error;
      const failure = classifyWebflowError(error);
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
