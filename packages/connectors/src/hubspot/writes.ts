// upsertBatch / deleteBatch for HubSpot: batch create, update and archive, ≤ 100 inputs a request,
// one request at a time.
//
// HubSpot's batch writes are all-or-nothing for bad input: one invalid value fails the request with
// 400 VALIDATION_ERROR, one email that exists fails a create with 409 "Contact already exists.
// Existing ID: …". So that one bad record fails alone, a chunk answered with an `invalid` error is
// split in halves and re-sent until the bad records stand alone (log2(100) ≈ 7 extra requests per
// bad record). A lone create answered 409 whose existing record carries our internal id in
// `resource.keyField` is our own earlier create whose response was lost: it is adopted (and
// updated), so the result is the same as a successful create. Update ids HubSpot does not know
// come back in a 207's errors[] (OBJECT_NOT_FOUND, context.ids) and fail alone.
import type { ConnectorError, DeleteItem, ItemResult, ResourceRef, UpsertItem } from '../contract.ts';
import type { HubSpotApiClient, HubSpotBatchResponse, HubSpotObject } from './client.ts';
import { classifyHubSpotError, existingIdOf, fromBatchError, sdkErrorOf } from './errors.ts';
import { HUBSPOT_MAX_BATCH } from './limits.ts';
import { toHubSpotProperties } from './mappers.ts';
import { chunk } from '../bulk.ts';

interface Pending {
  position: number;
  internalId: string;
  externalId: string | null;
  properties: Record<string, string>;
}

const failed = (item: { internalId: string }, error: ConnectorError): ItemResult => ({
  internalId: item.internalId,
  ok: false,
  error,
});

/** Pairs batch results with the inputs by objectWriteTraceId (HubSpot does not promise input order), then by id. */
function pairResults(part: Pending[], response: HubSpotBatchResponse): ItemResult[] {
  const byTrace = new Map<string, HubSpotObject>();
  const byId = new Map<string, HubSpotObject>();
  for (const object of response.results) {
    if (object.objectWriteTraceId) byTrace.set(object.objectWriteTraceId, object);
    byId.set(String(object.id), object);
  }
  const errorFor = new Map<string, ConnectorError>();
  for (const error of response.errors ?? []) {
    for (const id of error.context?.ids ?? []) errorFor.set(id, fromBatchError(error));
  }
  return part.map((item) => {
    const object = byTrace.get(item.internalId) ?? (item.externalId ? byId.get(item.externalId) : undefined);
    if (object) {
      const updatedAt = object.updatedAt instanceof Date ? object.updatedAt.toISOString() : (object.updatedAt ?? null);
      return { internalId: item.internalId, ok: true, externalId: String(object.id), updatedAt };
    }
    const error =
      (item.externalId ? errorFor.get(item.externalId) : undefined) ??
      (response.errors?.[0]
        ? fromBatchError(response.errors[0])
        : { kind: 'retryable' as const, message: 'HubSpot answered without this record' });
    return failed(item, error);
  });
}

/** Errors a single record can cause (bad value, existing email); anything else is the whole request's. */
function isPerRecord(failure: ConnectorError): boolean {
  return (
    failure.kind === 'invalid' &&
    (failure.status === 409 || (failure.status === 400 && failure.code === 'VALIDATION_ERROR'))
  );
}

/** Property names a VALIDATION_ERROR blames on the schema rather than on one value. */
function schemaProblems(error: unknown): Set<string> {
  const body = sdkErrorOf(error)?.body;
  const details = typeof body === 'object' ? (body.errors ?? []) : [];
  const names = new Set<string>();
  for (const detail of details) {
    if (detail.code !== 'PROPERTY_DOESNT_EXIST' && detail.code !== 'READ_ONLY_VALUE') continue;
    const name = detail.context?.propertyName?.[0] ?? detail._in ?? detail.in;
    if (name) names.add(name);
  }
  return names;
}

export function createHubSpotWrites(deps: {
  client: HubSpotApiClient;
  objectTypeOf: (resource: ResourceRef) => string;
}) {
  const { client } = deps;

  /**
   * Sends a chunk; on an `invalid` answer splits it until the bad inputs stand alone. Other failures
   * are thrown while nothing in this chunk succeeded; once a half succeeded, the other half's
   * failure is reported per item so no success is lost.
   */
  async function sendSplitting(
    part: Pending[],
    send: (part: Pending[]) => Promise<ItemResult[]>,
    alone: (item: Pending, error: unknown) => Promise<ItemResult>,
  ): Promise<ItemResult[]> {
    try {
      return await send(part);
    } catch (error) {
      const failure = classifyHubSpotError(error);
      if (!isPerRecord(failure)) throw error;
      if (part.length === 1) return [await alone(part[0] as Pending, error)];
      // A property that does not exist (or is read-only) fails every input naming it: fail those at
      // once instead of splitting down to each of them.
      const names = schemaProblems(error);
      if (names.size > 0) {
        const bad = part.filter((item) => Object.keys(item.properties).some((name) => names.has(name)));
        if (bad.length > 0) {
          const rest = part.filter((item) => !bad.includes(item));
          const restResults = rest.length > 0 ? await sendSplitting(rest, send, alone) : [];
          return part.map((item) =>
            bad.includes(item) ? failed(item, failure) : (restResults[rest.indexOf(item)] as ItemResult),
          );
        }
      }
      const middle = Math.ceil(part.length / 2);
      const left = await sendSplitting(part.slice(0, middle), send, alone);
      try {
        return [...left, ...(await sendSplitting(part.slice(middle), send, alone))];
      } catch (rightError) {
        const failure = classifyHubSpotError(rightError);
        return [...left, ...part.slice(middle).map((item) => failed(item, failure))];
      }
    }
  }

  /** Runs chunks in order; a failure after some success fails the rest per item instead of throwing. */
  async function inOrder(parts: Pending[][], run: (part: Pending[]) => Promise<ItemResult[]>): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    for (const [index, part] of parts.entries()) {
      try {
        results.push(...(await run(part)));
      } catch (error) {
        if (results.length === 0) throw error;
        const failure = classifyHubSpotError(error);
        results.push(
          ...parts
            .slice(index)
            .flat()
            .map((item) => failed(item, failure)),
        );
        break;
      }
    }
    return results;
  }

  async function upsertBatch(resource: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]> {
    if (items.length === 0) return [];
    const objectType = deps.objectTypeOf(resource);
    const keyField = resource.keyField ?? null;
    const pending: Pending[] = items.map((item, position) => ({
      position,
      internalId: item.internalId,
      externalId: item.externalId,
      // Creates carry our id in the key property, so findByKeys can recover a lost create response.
      properties: {
        ...toHubSpotProperties(item.fields),
        ...(keyField && item.externalId === null ? { [keyField]: item.internalId } : {}),
      },
    }));
    const creates = pending.filter((item) => item.externalId === null);
    const updates = pending.filter((item) => item.externalId !== null);

    const update = async (part: Pending[]) =>
      pairResults(
        part,
        await client.batchUpdate(
          objectType,
          part.map((item) => ({
            id: item.externalId as string,
            properties: item.properties,
            objectWriteTraceId: item.internalId,
          })),
        ),
      );
    const create = async (part: Pending[]) =>
      pairResults(
        part,
        await client.batchCreate(
          objectType,
          part.map((item) => ({ properties: item.properties, objectWriteTraceId: item.internalId })),
        ),
      );

    /** A lone create answered 409: adopt the existing record when it is ours (same key). */
    const createAlone = async (item: Pending, error: unknown): Promise<ItemResult> => {
      const existingId = existingIdOf(error);
      if (existingId && keyField) {
        const read = await client.batchRead(objectType, [existingId], [keyField]);
        const existing = read.results[0];
        if (existing && existing.properties[keyField] === item.internalId) {
          const [adopted] = await sendSplitting([{ ...item, externalId: existingId }], update, async (_item, e) =>
            failed(item, classifyHubSpotError(e)),
          );
          return adopted ?? failed(item, classifyHubSpotError(error));
        }
      }
      return failed(item, classifyHubSpotError(error));
    };
    const updateAlone = async (item: Pending, error: unknown): Promise<ItemResult> =>
      failed(item, classifyHubSpotError(error));

    const parts = [...chunk(creates, HUBSPOT_MAX_BATCH), ...chunk(updates, HUBSPOT_MAX_BATCH)];
    const sent = await inOrder(parts, (part) =>
      part[0]?.externalId === null
        ? sendSplitting(part, create, createAlone)
        : sendSplitting(part, update, updateAlone),
    );
    const results: ItemResult[] = new Array<ItemResult>(items.length);
    const order = parts.flat();
    sent.forEach((result, index) => {
      results[(order[index] as Pending).position] = result;
    });
    return results;
  }

  async function deleteBatch(resource: ResourceRef, items: DeleteItem[]): Promise<ItemResult[]> {
    if (items.length === 0) return [];
    const objectType = deps.objectTypeOf(resource);
    const pending: Pending[] = items.map((item, position) => ({
      position,
      internalId: item.internalId,
      externalId: item.externalId,
      properties: {},
    }));
    // Batch archive answers 204 for ids already gone too: a retried delete counts as done.
    return inOrder(chunk(pending, HUBSPOT_MAX_BATCH), async (part) => {
      await client.batchArchive(
        objectType,
        part.map((item) => item.externalId as string),
      );
      return part.map((item): ItemResult => ({
        internalId: item.internalId,
        ok: true,
        externalId: item.externalId as string,
      }));
    });
  }

  return { upsertBatch, deleteBatch };
}
