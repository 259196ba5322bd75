// SmartSuite's side of the shared bulk sending (../bulk.ts), ≤ 25 records per request: a rejected
// bulk request (422) names the offending records by position (`{ items: [{}, { title: [...] }] }`).
import type { ConnectorError, ItemResult } from '../contract.ts';
import { sendChunk as sendBulkChunk, sendChunksInOrder as sendBulkChunksInOrder, type Pending } from '../bulk.ts';
import { blamedRecordIndexes, classifySmartSuiteError, errorBodyOf } from './errors.ts';

export { chunk } from '../bulk.ts';
export type PendingRecord<T> = Pending<T>;

/** Sends one request; answers the written records' ids (and last_updated) in request order. */
export type BulkSend<T> = (inputs: T[]) => Promise<{ externalId: string; updatedAt?: string | null }[]>;

function blamed(error: unknown, failure: ConnectorError): Map<number, ConnectorError> {
  const named = blamedRecordIndexes(errorBodyOf(error));
  return new Map(
    [...named].map(([index, problem]): [number, ConnectorError] => [
      index,
      { kind: 'invalid', status: failure.status, message: `HTTP ${failure.status ?? 422}: ${problem}` },
    ]),
  );
}

export function sendChunk<T>(part: Pending<T>[], send: BulkSend<T>): Promise<ItemResult[]> {
  return sendBulkChunk(part, { send, classify: classifySmartSuiteError, blamed });
}

export function sendChunksInOrder<T>(
  parts: Pending<T>[][],
  send: (part: Pending<T>[]) => Promise<ItemResult[]>,
): Promise<ItemResult[]> {
  return sendBulkChunksInOrder(parts, send, classifySmartSuiteError);
}
