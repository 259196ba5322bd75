// Connector for the generic REST records API (F025's generic system). Talks HTTP through fetch;
// point baseUrl at the sandbox (./sandbox) in tests, benchmarks and the demo.
import {
  ConnectorRequestError,
  type ChangePage,
  type Connector,
  type ConnectorError,
  type ExternalRecord,
  type ItemResult,
  type ListChangesOptions,
  type ResourceRef,
  type UpsertItem,
} from '../contract.ts';
import { classifyNetworkError } from '../http.ts';
import type { TApiRecord } from './api-types.ts';
import { RestRecordsClient } from './client.ts';
import { decodeRestCursor, encodeRestCursor, START_CURSOR, type RestCursorState } from './cursor.ts';
import { REST_DEFAULT_PAGE_SIZE, REST_LOOKUP_CHUNK, REST_MAX_PAGE_SIZE, restLimits } from './limits.ts';
import {
  toDeleteResult,
  toExternalRecord,
  toFieldDescriptors,
  toItemError,
  toRestRecordInput,
  toUpsertOutcome,
} from './mappers.ts';
import { parseRestWebhook, verifyRestWebhook } from './webhooks.ts';
import { chunk } from '../bulk.ts';
import { timedConnectionTest } from '../connection-test.ts';

export interface RestConnectorOptions {
  baseUrl: string;
  /** Bearer token. */
  token: string;
  requestsPerWindow?: number;
  windowMs?: number;
  maxBatchSize?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Records per page when pulling (default 100, at most 500). */
  pageSize?: number;
}

export function classifyRestError(error: unknown): ConnectorError {
  return error instanceof ConnectorRequestError ? error.toJSON() : classifyNetworkError(error);
}

export function createRestConnector(options: RestConnectorOptions): Connector {
  const client = new RestRecordsClient({
    baseUrl: options.baseUrl,
    token: options.token,
    timeoutMs: options.timeoutMs,
  });
  const limits = restLimits(options);
  const pageSize = Math.min(Math.max(1, options.pageSize ?? REST_DEFAULT_PAGE_SIZE), REST_MAX_PAGE_SIZE);

  /**
   * Sends items chunk by chunk. When a whole request fails before anything succeeded, the error is
   * thrown (the engine retries or pauses the batch as a unit); once a chunk has succeeded, its
   * results are kept and the items not yet sent fail with the error instead, so successes are
   * never lost.
   */
  async function inChunks<T extends { internalId: string }>(
    items: readonly T[],
    send: (chunk: T[]) => Promise<ItemResult[]>,
  ): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    for (const part of chunk(items, limits.maxBatchSize)) {
      try {
        results.push(...(await send(part)));
      } catch (error) {
        if (results.length === 0) throw error;
        const failure = classifyRestError(error);
        for (const item of items.slice(results.length))
          results.push({ internalId: item.internalId, ok: false, error: failure });
        break;
      }
    }
    return results;
  }

  async function upsertChunk(resource: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]> {
    const sent = await client.batchUpsert(
      resource.object,
      items.map((item) => toRestRecordInput(item, resource)),
    );
    const outcomes = sent.map((result, index) => toUpsertOutcome(items[index] as UpsertItem, result));
    // duplicate_key: the record was created earlier (a lost response, a retried job). Adopt the
    // existing record and apply this item's fields to it, so it ends up as if the create succeeded.
    const adopted = outcomes.flatMap((outcome, index) =>
      outcome.type === 'duplicate'
        ? [{ index, item: { ...(items[index] as UpsertItem), externalId: outcome.existingId } }]
        : [],
    );
    const adoptedResults = new Map<number, ItemResult>();
    if (adopted.length > 0) {
      try {
        const updated = await client.batchUpsert(
          resource.object,
          adopted.map(({ item }) => toRestRecordInput(item, resource)),
        );
        updated.forEach((result, position) => {
          const { index, item } = adopted[position] as (typeof adopted)[number];
          const outcome = toUpsertOutcome(item, result);
          // An update carries no key, so it cannot come back as a duplicate.
          if (outcome.type === 'done') adoptedResults.set(index, outcome.result);
        });
      } catch (error) {
        const failure = classifyRestError(error);
        for (const { index, item } of adopted)
          adoptedResults.set(index, { internalId: item.internalId, ok: false, error: failure });
      }
    }
    return outcomes.map((outcome, index) => {
      if (outcome.type === 'done') return outcome.result;
      return (
        adoptedResults.get(index) ?? {
          internalId: (items[index] as UpsertItem).internalId,
          ok: false,
          error: toItemError({ code: 'duplicate_key', message: `key already used by record ${outcome.existingId}` }),
        }
      );
    });
  }

  async function* listChanges(resource: ResourceRef, cursor: string | null, listOptions: ListChangesOptions = {}) {
    let state: RestCursorState = cursor && !listOptions.full ? decodeRestCursor(cursor) : START_CURSOR;
    // A full read from the very start covers the whole object: only then may deletes be inferred.
    const fromScratch = state.since === null && state.page === null;
    for (;;) {
      const page = await client.listRecords(
        resource.object,
        { updatedSince: state.since, cursor: state.page, limit: pageSize },
        listOptions.signal,
      );
      const records: ExternalRecord[] = [];
      const deletedIds: string[] = [];
      for (const record of page.records) {
        if (record.deleted) deletedIds.push(record.id);
        else records.push(toExternalRecord(record, resource.keyField));
      }
      // Pages come in (updated_at, id) order, so the last item carries the highest updated_at.
      const high = page.records.at(-1)?.updated_at ?? state.high;
      const done = page.next_cursor === null;
      state = done
        ? { since: high ?? state.since, page: null, high: null }
        : { since: state.since, page: page.next_cursor, high };
      const result: ChangePage = { records, deletedIds, nextCursor: encodeRestCursor(state) };
      if (done && fromScratch) result.fullReadComplete = true;
      yield result;
      if (done) return;
    }
  }

  /** Live records by id or by key, in chunks that keep URLs short. */
  async function lookup(collection: string, values: string[], by: 'ids' | 'keys'): Promise<TApiRecord[]> {
    const found: TApiRecord[] = [];
    for (const part of chunk([...new Set(values)], REST_LOOKUP_CHUNK)) {
      // One chunk never fills a page (100 < 500), but follow next_cursor anyway.
      let cursor: string | null = null;
      do {
        const page = await client.listRecords(collection, { [by]: part, cursor, limit: REST_MAX_PAGE_SIZE });
        found.push(...page.records.filter((record) => !record.deleted));
        cursor = page.next_cursor;
      } while (cursor);
    }
    return found;
  }

  return {
    type: 'GENERIC_REST',
    limits,

    testConnection: () =>
      timedConnectionTest(async () => {
        const me = await client.me();
        return { ok: me.ok, apiVersion: me.api_version };
      }, classifyRestError),

    listChanges,

    async getRecords(resource, externalIds) {
      const records = await lookup(resource.object, externalIds, 'ids');
      return records.map((record) => toExternalRecord(record, resource.keyField));
    },

    async findByKeys(resource, internalIds) {
      // Keys cannot contain commas (the API's list separator), so such ids cannot have been used.
      const keys = internalIds.filter((id) => id.length > 0 && !id.includes(','));
      const map = new Map<string, string>();
      for (const record of await lookup(resource.object, keys, 'keys')) if (record.key) map.set(record.key, record.id);
      return map;
    },

    upsertBatch: (resource, items) => inChunks(items, (part) => upsertChunk(resource, part)),

    deleteBatch: (resource, items) =>
      inChunks(items, async (part) => {
        const results = await client.batchDelete(
          resource.object,
          part.map((item) => item.externalId),
        );
        return results.map((result, index) => {
          const item = part[index] as (typeof part)[number];
          return toDeleteResult(item.internalId, item.externalId, result);
        });
      }),

    async discoverFields(resource) {
      return toFieldDescriptors(await client.fields(resource.object));
    },

    verifyWebhook: (request, secret) => verifyRestWebhook(request, secret),

    parseWebhook: (request) => parseRestWebhook(request),

    classifyError: classifyRestError,
  };
}
