// HubSpot CRM v3 connector on the official SDK (see ./client.ts for its quirks). A resource's
// `object` is the CRM object type ('contacts'); records are objects with their properties as fields.
// Point `basePath` at the sandbox (`server.url`) in tests, benchmarks and the demo.
import {
  ConnectorRequestError,
  type ChangePage,
  type Connector,
  type ExternalRecord,
  type ListChangesOptions,
  type ResourceRef,
} from '../contract.ts';
import { HubSpotApiClient, type HubSpotObject } from './client.ts';
import { decodeHubSpotCursor, encodeHubSpotCursor, type HubSpotCursor } from './cursor.ts';
import { classifyHubSpotError } from './errors.ts';
import {
  HUBSPOT_CURSOR_SAFETY_MARGIN_MS,
  HUBSPOT_MAX_BATCH,
  HUBSPOT_MAX_IN_VALUES,
  HUBSPOT_MAX_PAGE,
  hubspotLimits,
} from './limits.ts';
import { toExternalRecord, toFieldDescriptors, updatedAtMs } from './mappers.ts';
import { createHubSpotWrites } from './writes.ts';
import { parseHubSpotWebhook, verifyHubSpotWebhook } from './webhooks.ts';
import { chunk } from '../bulk.ts';
import { timedConnectionTest } from '../connection-test.ts';

export interface HubSpotConnectorOptions {
  /** Private app access token (or an OAuth access token). */
  accessToken: string;
  /** API origin (default https://api.hubapi.com); the sandbox's `server.url`. */
  basePath?: string;
  /** Limits reported to the engine (default 100 / 10 000 ms; 190 for Professional/Enterprise). */
  requestsPerWindow?: number;
  windowMs?: number;
  /** Per-request timeout: a socket silent this long is dropped (default 30 s). */
  timeoutMs?: number;
  /** Object type used when a resource's `object` is empty (default 'contacts'). */
  objectType?: string;
  /** How far before the last change seen an incremental read starts again (default 60 s). */
  cursorSafetyMarginMs?: number;
  /** Public origin of the webhook ingress (https://app.example.com): part of signature v3. */
  webhookPublicOrigin?: string;
  /** Clock for cursors (tests share one with the sandbox). */
  now?: () => number;
}

/** The "last modified" property search can filter and sort on. */
function modifiedProperty(objectType: string): string {
  return objectType === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

export function createHubSpotConnector(options: HubSpotConnectorOptions): Connector {
  const client = new HubSpotApiClient({
    accessToken: options.accessToken,
    basePath: options.basePath,
    timeoutMs: options.timeoutMs,
  });
  const now = options.now ?? Date.now;
  const margin = options.cursorSafetyMarginMs ?? HUBSPOT_CURSOR_SAFETY_MARGIN_MS;
  const propertyNames = new Map<string, Promise<string[]>>();

  const objectTypeOf = (resource: ResourceRef): string => {
    const type = (resource.object || options.objectType || 'contacts').trim();
    if (!/^[a-z0-9_-]+$/i.test(type)) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `'${resource.object}' is not a HubSpot object type`,
      });
    }
    return type;
  };

  /**
   * Properties to read: `resource.options.properties` when set, else every visible property (the
   * API returns only a few defaults unless asked), discovered once per object type.
   */
  async function propertiesFor(resource: ResourceRef, objectType: string): Promise<string[]> {
    const configured = resource.options?.properties;
    if (Array.isArray(configured) && configured.every((name) => typeof name === 'string')) {
      return [...new Set([...(configured as string[]), ...(resource.keyField ? [resource.keyField] : [])])];
    }
    let names = propertyNames.get(objectType);
    if (!names) {
      names = client
        .properties(objectType)
        .then(({ results }) => results.filter((property) => !property.hidden).map((property) => property.name));
      names.catch(() => propertyNames.delete(objectType));
      propertyNames.set(objectType, names);
    }
    return names;
  }

  const writes = createHubSpotWrites({ client, objectTypeOf });

  async function* fullRead(
    resource: ResourceRef,
    objectType: string,
    resume: HubSpotCursor | null,
    signal?: AbortSignal,
  ): AsyncGenerator<ChangePage> {
    const started = resume?.mode === 'full' ? resume.started : now();
    let after = resume?.mode === 'full' ? resume.after : undefined;
    const properties = await propertiesFor(resource, objectType);
    for (;;) {
      const page = await client.listPage(objectType, { limit: HUBSPOT_MAX_PAGE, after, properties }, signal);
      const next = page.paging?.next?.after;
      const records = page.results.map(toExternalRecord);
      if (next) {
        yield {
          records,
          deletedIds: [],
          nextCursor: encodeHubSpotCursor({ v: 1, mode: 'full', after: next, started }),
        };
        after = next;
        continue;
      }
      // Changes made while the read ran may sit on pages already read: the next incremental read
      // starts from the read's start (minus the margin), not from the newest record seen.
      const done: ChangePage = {
        records,
        deletedIds: [],
        nextCursor: encodeHubSpotCursor({ v: 1, mode: 'changes', since: started }),
      };
      // A resumed read did not see every record itself, so it cannot tell deletions.
      if (!resume) done.fullReadComplete = true;
      yield done;
      return;
    }
  }

  /**
   * Search with lastmodifieddate ≥ bound, oldest first. Each next page moves the bound up to the
   * last record's time (keyset), so a record changed during the read moves behind the bound and is
   * read again rather than shifting others past an offset; only records sharing one millisecond
   * page by offset. Repeats are fine (the engine's hashes skip them), losses are not.
   */
  async function* changesRead(
    resource: ResourceRef,
    objectType: string,
    cursor: Extract<HubSpotCursor, { mode: 'changes' }>,
    signal?: AbortSignal,
  ): AsyncGenerator<ChangePage> {
    const modified = modifiedProperty(objectType);
    const properties = await propertiesFor(resource, objectType);
    let bound = cursor.after ? cursor.since : cursor.since - margin;
    let after = cursor.after;
    let high = cursor.since;
    for (;;) {
      const page = await client.search(
        objectType,
        {
          filterGroups: [{ filters: [{ propertyName: modified, operator: 'GTE', value: String(bound) }] }],
          sorts: [{ propertyName: modified, direction: 'ASCENDING' }],
          properties,
          limit: HUBSPOT_MAX_PAGE,
          ...(after ? { after } : {}),
        },
        signal,
      );
      const stamps = page.results.map((object: HubSpotObject) => updatedAtMs(object) ?? bound);
      const last = stamps.length > 0 ? Math.max(...stamps) : bound;
      high = Math.max(high, last);
      const records = page.results.map(toExternalRecord);
      const next = page.paging?.next?.after;
      if (!next) {
        yield { records, deletedIds: [], nextCursor: encodeHubSpotCursor({ v: 1, mode: 'changes', since: high }) };
        return;
      }
      if (last > bound) {
        bound = last;
        after = undefined;
        yield { records, deletedIds: [], nextCursor: encodeHubSpotCursor({ v: 1, mode: 'changes', since: last }) };
      } else {
        after = next;
        yield {
          records,
          deletedIds: [],
          nextCursor: encodeHubSpotCursor({ v: 1, mode: 'changes', since: bound, after: next }),
        };
      }
    }
  }

  async function* listChanges(
    resource: ResourceRef,
    cursor: string | null,
    listOptions: ListChangesOptions = {},
  ): AsyncGenerator<ChangePage> {
    const objectType = objectTypeOf(resource);
    const decoded = cursor && !listOptions.full ? decodeHubSpotCursor(cursor) : null;
    if (!decoded || decoded.mode === 'full') yield* fullRead(resource, objectType, decoded, listOptions.signal);
    else yield* changesRead(resource, objectType, decoded, listOptions.signal);
  }

  async function getRecords(resource: ResourceRef, externalIds: string[]): Promise<ExternalRecord[]> {
    const objectType = objectTypeOf(resource);
    const properties = await propertiesFor(resource, objectType);
    const records: ExternalRecord[] = [];
    for (const part of chunk([...new Set(externalIds)], HUBSPOT_MAX_BATCH)) {
      // Ids that do not exist come back in a 207's errors[]: simply absent here.
      const response = await client.batchRead(objectType, part, properties);
      records.push(...response.results.map(toExternalRecord));
    }
    return records;
  }

  async function findByKeys(resource: ResourceRef, internalIds: string[]): Promise<Map<string, string>> {
    const keyField = resource.keyField;
    if (!keyField)
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: 'findByKeys needs resource.keyField (a HubSpot property)',
      });
    const objectType = objectTypeOf(resource);
    const found = new Map<string, string>();
    for (const part of chunk([...new Set(internalIds)], HUBSPOT_MAX_IN_VALUES)) {
      let after: string | undefined;
      do {
        const page = await client.search(objectType, {
          filterGroups: [{ filters: [{ propertyName: keyField, operator: 'IN', values: part }] }],
          sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
          properties: [keyField],
          limit: HUBSPOT_MAX_PAGE,
          ...(after ? { after } : {}),
        });
        for (const object of page.results) {
          const key = object.properties[keyField];
          const wanted = part.find((id) => id.toLowerCase() === key?.toLowerCase());
          if (wanted !== undefined && !found.has(wanted)) found.set(wanted, String(object.id));
        }
        after = page.paging?.next?.after;
      } while (after);
    }
    return found;
  }

  return {
    type: 'HUBSPOT',
    limits: hubspotLimits(options),

    testConnection: () =>
      timedConnectionTest(async () => {
        await client.listPage(options.objectType ?? 'contacts', { limit: 1 });
        return { ok: true, apiVersion: 'crm/v3' };
      }, classifyHubSpotError),

    listChanges,
    getRecords,
    findByKeys,
    upsertBatch: writes.upsertBatch,
    deleteBatch: writes.deleteBatch,

    async discoverFields(resource) {
      const objectType = objectTypeOf(resource);
      propertyNames.delete(objectType);
      return toFieldDescriptors((await client.properties(objectType)).results);
    },

    verifyWebhook: (request, secret) =>
      verifyHubSpotWebhook(request, secret, { publicOrigin: options.webhookPublicOrigin }),
    parseWebhook: parseHubSpotWebhook,
    classifyError: classifyHubSpotError,
  };
}

export { classifyHubSpotError } from './errors.ts';
export { hubspotLimits } from './limits.ts';
export { HUBSPOT_WEBHOOK_HEADERS, parseHubSpotWebhook, signHubSpotWebhook, verifyHubSpotWebhook } from './webhooks.ts';
