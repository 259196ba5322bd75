// SmartSuite connector over fetch (SmartSuite has no official Node SDK). A resource's `object` is the
// table (application) id; records are SmartSuite records keyed by field slug. Point `baseUrl` at
// the sandbox (`${sandbox.url}/api/v1`) in tests, benchmarks and the demo.
//
// Request cost: every upsertBatch / deleteBatch / getRecords / findByKeys call of ≤ 25 records is
// one request (two when a bulk 422 blames some records and the rest is sent again), so the
// engine's limiter, which counts calls, counts SmartSuite's requests. listChanges pages are not seen
// by the engine: the connector spaces them itself (requestsPerWindow per window, per connector)
// and waits out a 429's Retry-After (SmartSuite: 30 s) before asking for the page again.
import {
  type ChangePage,
  type Connector,
  ConnectorRequestError,
  type ExternalRecord,
  type ItemResult,
  type ListChangesOptions,
  type ResourceRef,
  type UpsertItem,
} from '../contract.ts';
import type { TSmartSuiteRecord, TSmartSuiteRecordList } from './api-types.ts';
import { chunk, sendChunk, sendChunksInOrder, type PendingRecord } from './bulk.ts';
import {
  SmartSuiteApiClient,
  type ListRecordsQuery,
  type SmartSuiteClientOptions,
  type SmartSuiteRecordInput,
} from './client.ts';
import { anyOfFilter, changedSinceFilter, decodeCursor, encodeCursor, later } from './cursor.ts';
import { classifySmartSuiteError } from './errors.ts';
import {
  SMARTSUITE_MAX_BULK,
  SMARTSUITE_MAX_PAGE_SIZE,
  SMARTSUITE_RATE_LIMIT_WAIT_MS,
  smartsuiteLimits,
} from './limits.ts';
import { isDeleted, toExternalRecord, toFieldDescriptors, toSmartSuiteRecord } from './mappers.ts';
import { parseSmartSuiteWebhook, verifySmartSuiteWebhook } from './webhooks.ts';
import { timedConnectionTest } from '../connection-test.ts';

export interface SmartSuiteConnectorOptions extends SmartSuiteClientOptions {
  /** 5 per 1000 ms by default (SmartSuite's limit per API key). */
  requestsPerWindow?: number;
  windowMs?: number;
  /** Records per List Records page (≤ 1000, default 1000). */
  pageSize?: number;
  /** Times listChanges asks for a page again after a 429 or a transient failure (default 2). */
  readRetries?: number;
  /** Longest Retry-After listChanges waits out in-run (default 30 s); longer ones fail the run. */
  maxRateLimitWaitMs?: number;
}

/** Ids per filtered read (getRecords, findByKeys): one request, short enough for any body limit. */
const IDS_PER_READ = 100;

function tableIdOf(resource: ResourceRef): string {
  const id = resource.object.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new ConnectorRequestError({ kind: 'invalid', message: `'${resource.object}' is not a SmartSuite table id` });
  }
  return id;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const written = (record: TSmartSuiteRecord) => ({ externalId: record.id, updatedAt: record.last_updated?.on ?? null });

export function createSmartSuiteConnector(options: SmartSuiteConnectorOptions): Connector {
  const client = new SmartSuiteApiClient(options);
  const limits = smartsuiteLimits(options);
  const pageSize = Math.min(SMARTSUITE_MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? SMARTSUITE_MAX_PAGE_SIZE));
  const readRetries = Math.max(0, options.readRetries ?? 2);
  const maxWait = options.maxRateLimitWaitMs ?? SMARTSUITE_RATE_LIMIT_WAIT_MS;
  const pageSpacingMs = Math.ceil(limits.windowMs / limits.requestsPerWindow);
  let lastPageAt = 0;

  /** One List Records page of a pull: spaced out, and asked again after a 429 or a transient failure. */
  async function readPage(
    tableId: string,
    query: ListRecordsQuery,
    signal?: AbortSignal,
  ): Promise<TSmartSuiteRecordList> {
    for (let attempt = 0; ; attempt++) {
      // Spaced from the previous page's answer, not its send: the previous request arrived before
      // its answer did and this one arrives after it is sent, so arrivals are at least the spacing
      // apart however late either travelled. Re-checked after the sleep (a timer may wake a
      // millisecond early by the wall clock).
      while (Date.now() < lastPageAt + pageSpacingMs) await sleep(lastPageAt + pageSpacingMs - Date.now(), signal);
      lastPageAt = Date.now();
      try {
        return await client.listRecords(tableId, query, signal);
      } catch (error) {
        const failure = classifySmartSuiteError(error);
        const transient = failure.kind === 'rate_limited' || failure.kind === 'retryable';
        const delay = failure.kind === 'rate_limited' ? (failure.retryAfterMs ?? maxWait) : 250 * 2 ** attempt;
        if (!transient || attempt >= readRetries || delay > maxWait || signal?.aborted) throw error;
        await sleep(delay, signal);
      } finally {
        lastPageAt = Math.max(lastPageAt, Date.now());
      }
    }
  }

  async function* listChanges(
    resource: ResourceRef,
    cursor: string | null,
    listOptions: ListChangesOptions = {},
  ): AsyncGenerator<ChangePage> {
    const tableId = tableIdOf(resource);
    const since = listOptions.full ? null : decodeCursor(cursor);
    // A full read lists live records in creation order and lets the engine infer deletions; an
    // incremental one asks for everything changed since the cursor's day, trash included, so that
    // deletions come back as records with a deleted_date.
    const query: ListRecordsQuery = since
      ? { all: true, filter: changedSinceFilter(since.since), sort: [{ field: 'last_updated', direction: 'asc' }] }
      : { sort: [{ field: 'first_created', direction: 'asc' }] };
    let newest: string | null = since?.since ?? null;
    let offset = 0;
    for (;;) {
      const page = await readPage(tableId, { ...query, offset, limit: pageSize }, listOptions.signal);
      offset += page.items.length;
      const last = page.items.length < pageSize || (page.total !== undefined && offset >= page.total);
      const records: ExternalRecord[] = [];
      const deletedIds: string[] = [];
      for (const record of page.items) {
        newest = later(newest, record.last_updated?.on);
        if (isDeleted(record)) deletedIds.push(record.id);
        else records.push(toExternalRecord(record));
      }
      const changes: ChangePage = {
        records,
        deletedIds,
        nextCursor: last ? encodeCursor(newest ?? new Date().toISOString()) : null,
      };
      if (last && !since) changes.fullReadComplete = true;
      yield changes;
      if (last) return;
    }
  }

  async function readWhere(tableId: string, field: string, values: string[]): Promise<TSmartSuiteRecord[]> {
    const found: TSmartSuiteRecord[] = [];
    for (const part of chunk([...new Set(values)], IDS_PER_READ)) {
      const page = await client.listRecords(tableId, {
        offset: 0,
        limit: SMARTSUITE_MAX_PAGE_SIZE,
        filter: anyOfFilter(field, part),
      });
      found.push(...page.items);
    }
    return found;
  }

  async function upsertBatch(resource: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]> {
    if (items.length === 0) return [];
    const tableId = tableIdOf(resource);
    type Input = SmartSuiteRecordInput & { id?: string };
    const creates: (PendingRecord<Input> & { position: number })[] = [];
    const updates: (PendingRecord<Input> & { position: number })[] = [];
    items.forEach((item, position) => {
      const record: Input = toSmartSuiteRecord(item, resource.keyField);
      if (item.externalId === null) creates.push({ position, internalId: item.internalId, input: record });
      else updates.push({ position, internalId: item.internalId, input: { ...record, id: item.externalId } });
    });
    const parts = [
      ...chunk(creates, SMARTSUITE_MAX_BULK).map((part) => ({ part, create: true })),
      ...chunk(updates, SMARTSUITE_MAX_BULK).map((part) => ({ part, create: false })),
    ];
    const creating = new Set<unknown>(parts.filter((entry) => entry.create).map((entry) => entry.part));
    const sent = await sendChunksInOrder(
      parts.map(({ part }) => part),
      (part) =>
        sendChunk(part, async (inputs) =>
          creating.has(part)
            ? (await client.bulkCreate(tableId, inputs)).map(written)
            : (await client.bulkUpdate(tableId, inputs as (Input & { id: string })[])).map(written),
        ),
    );
    const results = new Array<ItemResult>(items.length);
    const order = parts.flatMap(({ part }) => part);
    sent.forEach((result, i) => {
      results[(order[i] as (typeof order)[number]).position] = result;
    });
    return results;
  }

  return {
    type: 'SMARTSUITE',
    limits,

    testConnection: () =>
      timedConnectionTest(async () => {
        await client.listApplications();
        return { ok: true, apiVersion: 'v1' };
      }, classifySmartSuiteError),

    listChanges,

    async getRecords(resource, externalIds) {
      const records = await readWhere(tableIdOf(resource), 'id', externalIds);
      const wanted = new Set(externalIds);
      return records.filter((record) => wanted.has(record.id) && !isDeleted(record)).map(toExternalRecord);
    },

    async findByKeys(resource, internalIds) {
      const found = new Map<string, string>();
      const keyField = resource.keyField;
      if (!keyField || internalIds.length === 0) return found;
      const wanted = new Set(internalIds);
      for (const record of await readWhere(tableIdOf(resource), keyField, internalIds)) {
        const key = (record as Record<string, unknown>)[keyField];
        if (typeof key === 'string' && wanted.has(key) && !found.has(key)) found.set(key, record.id);
      }
      return found;
    },

    upsertBatch,

    async deleteBatch(resource, items) {
      if (items.length === 0) return [];
      const tableId = tableIdOf(resource);
      const pending = items.map((item) => ({ internalId: item.internalId, input: item.externalId }));
      // Ids missing from the answer were already gone (or in the trash): as deleted as it gets.
      return sendChunksInOrder(chunk(pending, SMARTSUITE_MAX_BULK), async (part) => {
        await client.bulkDelete(
          tableId,
          part.map((entry) => entry.input),
        );
        return part.map((entry): ItemResult => ({ internalId: entry.internalId, ok: true, externalId: entry.input }));
      });
    },

    async discoverFields(resource) {
      return toFieldDescriptors((await client.getApplication(tableIdOf(resource))).structure);
    },

    verifyWebhook: (request, secret) => verifySmartSuiteWebhook(request, secret),
    parseWebhook: (request) => parseSmartSuiteWebhook(request),
    classifyError: classifySmartSuiteError,
  };
}

export { classifySmartSuiteError } from './errors.ts';
export {
  parseSmartSuiteWebhook,
  signSmartSuiteWebhook,
  smartsuiteWebhookHeaders,
  verifySmartSuiteWebhook,
  SMARTSUITE_EVENT_KINDS,
  SMARTSUITE_WEBHOOK_HEADERS,
} from './webhooks.ts';
export type { SmartSuiteEventKind } from './webhooks.ts';
export {
  smartsuiteLimits,
  SMARTSUITE_MAX_BULK,
  SMARTSUITE_MAX_PAGE_SIZE,
  SMARTSUITE_REQUESTS_PER_WINDOW,
  SMARTSUITE_WINDOW_MS,
} from './limits.ts';
