// Webflow's side of the shared bulk sending (../bulk.ts), ≤ 100 items per request: a rejected bulk
// request names the offending items in `details` (`items[3].fieldData.slug`); for a delete of items
// already gone, the caller can count those as done (`blamedIsSuccess`).
import { ConnectorRequestError, type ConnectorError, type ItemResult } from '../contract.ts';
import {
  sendChunk as sendBulkChunk,
  sendChunksInOrder as sendBulkChunksInOrder,
  type BulkOptions,
  type Pending,
} from '../bulk.ts';
import { blamedItemIndexes, classifyWebflowError, webflowErrorBody } from './errors.ts';

export { chunk, type Pending } from '../bulk.ts';

function causeBody(error: unknown): unknown {
  return error instanceof ConnectorRequestError && error.cause && typeof error.cause === 'object'
    ? (error.cause as { body?: unknown }).body
    : undefined;
}

function blamed(error: unknown, failure: ConnectorError): Map<number, ConnectorError> {
  const named = blamedItemIndexes(causeBody(error));
  const whole = webflowErrorBody(causeBody(error));
  return new Map(
    [...named].map(([index, problem]): [number, ConnectorError] => [
      index,
      {
        kind: 'invalid',
        status: failure.status,
        code: whole?.code ?? failure.code,
        message: `${failure.message} — ${problem}`,
      },
    ]),
  );
}

export type ChunkOptions<T> = Pick<BulkOptions<T>, 'send' | 'blamedIsSuccess' | 'externalIdOf'>;

export function sendChunk<T>(part: Pending<T>[], options: ChunkOptions<T>): Promise<ItemResult[]> {
  return sendBulkChunk(part, { ...options, classify: classifyWebflowError, blamed });
}

export function sendChunksInOrder<T>(
  parts: Pending<T>[][],
  send: (part: Pending<T>[]) => Promise<ItemResult[]>,
): Promise<ItemResult[]> {
  return sendBulkChunksInOrder(parts, send, classifyWebflowError);
}
