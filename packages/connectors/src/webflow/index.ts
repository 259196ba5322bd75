// Webflow CMS connector on the official `webflow-api` SDK (see ./client.ts for the SDK quirks). A
// resource's `object` is the collection id; records are items keyed by field slug (`fieldData`).
// Point `baseUrl` at the sandbox (`${sandbox.url}/v2`) in tests, benchmarks and the demo.
//
// Request cost (the engine's limiter counts calls, Webflow counts requests): upsertBatch sends one
// bulk create and/or one bulk update per 100 items and then, when `publish` is on (default), one
// Publish Items request per 100 written items — so a mixed batch of ≤ 100 costs up to 3 requests.
// A rejected bulk request costs one more (the valid items are sent again). listChanges, findByKeys
// and large getRecords read the whole collection, one request per 100 items.
import {
  ConnectorRequestError,
  type ChangePage,
  type Connector,
  type ExternalRecord,
  type FieldValue,
  type ItemResult,
  type ListChangesOptions,
  type ResourceRef,
  type UpsertItem,
} from '../contract.ts';
import type { TWebflowItem } from './api-types.ts';
import { chunk, sendChunk, sendChunksInOrder, type Pending } from './bulk.ts';
import { WebflowApiClient, type WebflowClientOptions, type WebflowItemInput } from './client.ts';
import { classifyWebflowError } from './errors.ts';
import { WEBFLOW_MAX_ITEMS_PER_REQUEST, WEBFLOW_MAX_PAGE_SIZE, webflowLimits } from './limits.ts';
import { toExternalRecord, toFieldDescriptors, webflowFieldDataForCreate } from './mappers.ts';
import { parseWebflowWebhook, verifyWebflowWebhook } from './webhooks.ts';
import { timedConnectionTest } from '../connection-test.ts';

export interface WebflowConnectorOptions {
  accessToken: string;
  /** API root with the version (default https://api.webflow.com/v2). */
  baseUrl?: string;
  /** 60 (Starter/Basic, default) or 120 (CMS/eCommerce/Business plans) per window. */
  requestsPerWindow?: number;
  windowMs?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Publish written items to the live site (one extra request per 100 items; default true). */
  publish?: boolean;
  /** getRecords reads the whole collection instead of one GET per id above this many ids (default 5). */
  getRecordsReadAllAbove?: number;
  /** Wraps every write request, publish included (a write cap; see client.ts). */
  aroundWrite?: WebflowClientOptions['aroundWrite'];
}

function collectionIdOf(resource: ResourceRef): string {
  const id = resource.object.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new ConnectorRequestError({
      kind: 'invalid',
      message: `'${resource.object}' is not a Webflow collection id`,
    });
  }
  return id;
}

const written = (item: TWebflowItem) => ({ externalId: item.id, updatedAt: item.lastUpdated ?? null });

export function createWebflowConnector(options: WebflowConnectorOptions): Connector {
  const client = new WebflowApiClient(options);
  const limits = webflowLimits(options);
  const publish = options.publish ?? true;
  const readAllAbove = options.getRecordsReadAllAbove ?? 5;
  // Items created but not yet published because Publish failed: reporting the create as failed
  // would make the engine create it again, so it stays a success and is published with the next
  // write to its collection (best effort, per process).
  const unpublished = new Map<string, Set<string>>();

  /** Every staged item, page by page (offset pagination, 100 per page). */
  async function* readAll(
    collectionId: string,
    signal?: AbortSignal,
  ): AsyncGenerator<{ items: TWebflowItem[]; last: boolean }> {
    let offset = 0;
    for (;;) {
      const page = await client.listItems(collectionId, offset, WEBFLOW_MAX_PAGE_SIZE, { abortSignal: signal });
      offset += page.items.length;
      const total = page.pagination?.total;
      const last = page.items.length < WEBFLOW_MAX_PAGE_SIZE || (total !== undefined && offset >= total);
      yield { items: page.items, last };
      if (last) return;
    }
  }

  /** Publishes written items; answers the ids whose publish failed, with why. */
  async function publishWritten(
    collectionId: string,
    ids: string[],
  ): Promise<Map<string, ReturnType<typeof classifyWebflowError>>> {
    const failed = new Map<string, ReturnType<typeof classifyWebflowError>>();
    const pending = unpublished.get(collectionId) ?? new Set<string>();
    const all = [...new Set([...ids, ...pending])];
    for (const part of chunk(all, WEBFLOW_MAX_ITEMS_PER_REQUEST)) {
      try {
        await client.publishItems(collectionId, part);
        for (const id of part) pending.delete(id);
      } catch (error) {
        const failure = classifyWebflowError(error);
        for (const id of part) failed.set(id, { ...failure, message: `written but not published: ${failure.message}` });
      }
    }
    if (pending.size === 0) unpublished.delete(collectionId);
    else unpublished.set(collectionId, pending);
    return failed;
  }

  async function upsertBatch(resource: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]> {
    if (items.length === 0) return [];
    const collectionId = collectionIdOf(resource);
    type Input = WebflowItemInput & { id?: string };
    const creates: (Pending<Input> & { position: number })[] = [];
    const updates: (Pending<Input> & { position: number })[] = [];
    const results: ItemResult[] = new Array<ItemResult>(items.length);
    items.forEach((item, position) => {
      if (item.externalId === null) {
        const fieldData = webflowFieldDataForCreate(item, resource.keyField);
        // Webflow requires both on every item, and the SDK refuses a bulk body without them (the
        // whole request, before sending): such an item fails alone here instead.
        const missing = ['name', 'slug'].filter((key) => typeof fieldData[key] !== 'string' || fieldData[key] === '');
        if (missing.length > 0) {
          results[position] = {
            internalId: item.internalId,
            ok: false,
            error: {
              kind: 'invalid',
              code: 'validation_error',
              message: `Webflow items need ${missing.join(' and ')} (a non-empty string)`,
            },
          };
          return;
        }
        creates.push({
          position,
          internalId: item.internalId,
          input: { fieldData, isDraft: false, isArchived: false },
        });
      } else {
        const fieldData: Record<string, FieldValue> = { ...item.fields };
        if (resource.keyField) fieldData[resource.keyField] = item.internalId;
        updates.push({ position, internalId: item.internalId, input: { id: item.externalId, fieldData } });
      }
    });
    const parts = [
      ...chunk(creates, WEBFLOW_MAX_ITEMS_PER_REQUEST).map((part) => ({ part, create: true })),
      ...chunk(updates, WEBFLOW_MAX_ITEMS_PER_REQUEST).map((part) => ({ part, create: false })),
    ];
    const creating = new Set(parts.filter((entry) => entry.create).map((entry) => entry.part));
    const sent =
      parts.length === 0
        ? []
        : await sendChunksInOrder(
            parts.map(({ part }) => part),
            (part) =>
              sendChunk(part, {
                send: async (inputs) =>
                  creating.has(part as (typeof parts)[number]['part'])
                    ? (await client.createItems(collectionId, inputs)).map(written)
                    : (await client.updateItems(collectionId, inputs as (Input & { id: string })[])).map(written),
              }),
          );
    const order = parts.flatMap(({ part }) => part);
    sent.forEach((result, i) => {
      results[(order[i] as (typeof order)[number]).position] = result;
    });
    if (!publish) return results;
    const ok = results.filter((result): result is Extract<ItemResult, { ok: true }> => result?.ok === true);
    if (ok.length === 0) return results;
    const failed = await publishWritten(
      collectionId,
      ok.map((result) => result.externalId),
    );
    if (failed.size === 0) return results;
    const created = new Set(creates.map((entry) => entry.internalId));
    const pending = unpublished.get(collectionId) ?? new Set<string>();
    return results.map((result) => {
      if (!result.ok || !failed.has(result.externalId)) return result;
      if (created.has(result.internalId)) {
        pending.add(result.externalId);
        unpublished.set(collectionId, pending);
        return result;
      }
      // An update is safe to repeat: report it failed so the engine retries write + publish.
      return {
        internalId: result.internalId,
        ok: false,
        error: failed.get(result.externalId) as ReturnType<typeof classifyWebflowError>,
      };
    });
  }

  async function* listChanges(
    resource: ResourceRef,
    _cursor: string | null,
    listOptions: ListChangesOptions = {},
  ): AsyncGenerator<ChangePage> {
    // Webflow has no change feed or modified-since filter: every read is a full read, and the
    // engine infers deletions from fullReadComplete. Offsets shift if items are deleted during
    // the read; the next full read repairs anything missed.
    const collectionId = collectionIdOf(resource);
    for await (const page of readAll(collectionId, listOptions.signal)) {
      const changes: ChangePage = { records: page.items.map(toExternalRecord), deletedIds: [], nextCursor: null };
      if (page.last) changes.fullReadComplete = true;
      yield changes;
    }
  }

  async function getRecords(resource: ResourceRef, externalIds: string[]): Promise<ExternalRecord[]> {
    const collectionId = collectionIdOf(resource);
    const wanted = new Set(externalIds);
    const records: ExternalRecord[] = [];
    if (wanted.size <= readAllAbove) {
      for (const id of wanted) {
        const item = await client.getItem(collectionId, id);
        if (item) records.push(toExternalRecord(item));
      }
      return records;
    }
    for await (const page of readAll(collectionId)) {
      for (const item of page.items) if (wanted.delete(item.id)) records.push(toExternalRecord(item));
      if (wanted.size === 0) break;
    }
    return records;
  }

  async function findByKeys(resource: ResourceRef, internalIds: string[]): Promise<Map<string, string>> {
    const keyField = resource.keyField;
    if (!keyField) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: 'findByKeys needs resource.keyField (a field slug)',
      });
    }
    // List Items filters only by name and slug: read the collection and match the key field here.
    const wanted = new Set(internalIds);
    const found = new Map<string, string>();
    for await (const page of readAll(collectionIdOf(resource))) {
      for (const item of page.items) {
        const value = item.fieldData[keyField];
        const key = typeof value === 'string' || typeof value === 'number' ? String(value) : null;
        if (key !== null && wanted.has(key) && !found.has(key)) found.set(key, item.id);
      }
      if (found.size === wanted.size) break;
    }
    return found;
  }

  return {
    type: 'WEBFLOW',
    limits,

    testConnection: () =>
      timedConnectionTest(async () => {
        await client.introspect();
        return { ok: true, apiVersion: 'v2' };
      }, classifyWebflowError),

    listChanges,
    getRecords,
    findByKeys,
    upsertBatch,

    async deleteBatch(resource, items) {
      if (items.length === 0) return [];
      const collectionId = collectionIdOf(resource);
      const pending = items.map((item) => ({ internalId: item.internalId, input: item.externalId }));
      // An item already gone (404 naming it) counts as deleted: deletes are retried after lost responses.
      return sendChunksInOrder(chunk(pending, WEBFLOW_MAX_ITEMS_PER_REQUEST), (part) =>
        sendChunk(part, {
          send: async (ids) => {
            await client.deleteItems(collectionId, ids);
            return ids.map((id) => ({ externalId: id }));
          },
          blamedIsSuccess: (error) => error.status === 404,
          externalIdOf: (id) => id,
        }),
      );
    },

    async discoverFields(resource) {
      return toFieldDescriptors((await client.getCollection(collectionIdOf(resource))).fields);
    },

    verifyWebhook: (request, secret) => verifyWebflowWebhook(request, secret),
    parseWebhook: (request) => parseWebflowWebhook(request),
    classifyError: classifyWebflowError,
  };
}

export { classifyWebflowError } from './errors.ts';
export {
  parseWebflowWebhook,
  signWebflowWebhook,
  verifyWebflowWebhook,
  webflowWebhookHeaders,
  WEBFLOW_WEBHOOK_HEADERS,
} from './webhooks.ts';
export type { WebflowItemTrigger } from './webhooks.ts';
export { webflowLimits, WEBFLOW_REQUESTS_PER_WINDOW, WEBFLOW_REQUESTS_PER_WINDOW_CMS_PLAN } from './limits.ts';
export { toWebflowSlug } from './mappers.ts';
export type { WebflowWriteOperation } from './client.ts';
