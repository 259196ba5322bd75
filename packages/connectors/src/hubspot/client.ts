// Thin typed wrapper around the official `@hubspot/api-client` (CRM objects, batch, search and
// properties APIs): one method per call the connector makes; failures are classified by errors.ts.
//
// SDK quirks handled here:
// - Retries and its Bottleneck limiter are decorators installed by `new Client()` into a
//   process-wide singleton (ApiDecoratorService) and applied when an API group (`client.crm`) is
//   first touched. We pass numberOfApiCallRetries 0 and no limiterOptions (the engine owns retries
//   and the cross-process limit) and touch `client.crm.objects` / `client.crm.properties` at once,
//   so a client built elsewhere later, with retries on, cannot decorate ours.
// - Its transport (global fetch, or node:http when an agent is given) has no timeout and ignores
//   abort signals, and a per-call `httpApi` is ignored by the generated code. We pass an http(s)
//   Agent whose sockets are destroyed after `timeoutMs` without traffic, which makes a hung request
//   fail like a dropped connection, and race each call against the caller's AbortSignal.
// - Errors are `ApiException { code (HTTP status), body, headers }`, where `body` is re-built as the
//   SDK's Error model: only category/message/correlationId/subCategory/context/errors/links survive
//   (the 429's policyName and errorType are dropped), so classification reads status and headers.
// - 207 multi-status answers resolve (not reject) with `errors[]` next to `results`.
// - The SDK is imported on first use, so loading the connectors entry stays cheap.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import { ConnectorRequestError } from '../contract.ts';
import { classifyHubSpotError } from './errors.ts';

export const HUBSPOT_DEFAULT_BASE_PATH = 'https://api.hubapi.com';

export interface HubSpotClientOptions {
  accessToken: string;
  /** API origin without a path (default https://api.hubapi.com); the sandbox's `server.url`. */
  basePath?: string;
  timeoutMs?: number;
}

export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: Date | string;
  updatedAt?: Date | string;
  archived?: boolean;
  /** Echo of the input's objectWriteTraceId in batch write results. */
  objectWriteTraceId?: string;
}

export interface HubSpotBatchError {
  status?: string;
  category?: string;
  message?: string;
  context?: Record<string, string[]>;
  errors?: { message?: string; code?: string; in?: string; context?: Record<string, string[]> }[];
}

export interface HubSpotBatchResponse {
  status?: string;
  results: HubSpotObject[];
  errors?: HubSpotBatchError[];
}

export interface HubSpotPage {
  results: HubSpotObject[];
  total?: number;
  paging?: { next?: { after?: string } };
}

export interface HubSpotProperty {
  name: string;
  label?: string;
  type: string;
  fieldType?: string;
  hidden?: boolean;
  hasUniqueValue?: boolean;
  calculated?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
  options?: { value: string; hidden?: boolean }[];
}

export interface HubSpotSearchRequest {
  filterGroups: { filters: { propertyName: string; operator: string; value?: string; values?: string[] }[] }[];
  sorts?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
  properties?: string[];
  limit: number;
  after?: string;
}

type Method = (...args: unknown[]) => Promise<unknown>;

interface SdkApis {
  basic: { getPage: Method };
  batch: { create: Method; update: Method; archive: Method; read: Method };
  search: { doSearch: Method };
  properties: { getAll: Method };
}

/** An agent whose sockets die after `timeoutMs` without traffic (the SDK's transport has no timeout). */
function createTimeoutAgent(basePath: string, timeoutMs: number): HttpAgent {
  const agent = basePath.startsWith('https:')
    ? new HttpsAgent({ keepAlive: true, timeout: timeoutMs })
    : new HttpAgent({ keepAlive: true, timeout: timeoutMs });
  const createConnection = agent.createConnection.bind(agent) as (...args: unknown[]) => Socket;
  (agent as unknown as { createConnection: (...args: unknown[]) => unknown }).createConnection = (
    ...args: unknown[]
  ) => {
    const socket = createConnection(...args);
    socket.setTimeout(timeoutMs);
    socket.on('timeout', () => socket.destroy(new Error(`HubSpot request timed out after ${timeoutMs} ms`)));
    return socket;
  };
  return agent;
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class HubSpotApiClient {
  private sdk: Promise<SdkApis> | null = null;
  private readonly options: HubSpotClientOptions;

  constructor(options: HubSpotClientOptions) {
    this.options = options;
  }

  private apis(): Promise<SdkApis> {
    this.sdk ??= import('@hubspot/api-client').then(({ Client }) => {
      const basePath = (this.options.basePath ?? HUBSPOT_DEFAULT_BASE_PATH).replace(/\/+$/, '');
      const client = new Client({
        accessToken: this.options.accessToken,
        basePath,
        numberOfApiCallRetries: 0,
        httpAgent: createTimeoutAgent(basePath, this.options.timeoutMs ?? 30_000),
      });
      // Touch the API groups now: decorators are applied on first access (see above).
      const objects = client.crm.objects;
      return {
        basic: objects.basicApi as unknown as SdkApis['basic'],
        batch: objects.batchApi as unknown as SdkApis['batch'],
        search: objects.searchApi as unknown as SdkApis['search'],
        properties: client.crm.properties.coreApi as unknown as SdkApis['properties'],
      };
    });
    return this.sdk;
  }

  /** Runs one SDK call; failures become ConnectorRequestError (the SDK's error stays as `cause`). */
  private async call<T>(pick: (apis: SdkApis) => Promise<unknown>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const apis = await this.apis();
    try {
      return (await abortable(pick(apis), signal)) as T;
    } catch (error) {
      throw new ConnectorRequestError(classifyHubSpotError(error), { cause: error });
    }
  }

  /** GET /crm/v3/objects/{type}?limit&after&properties */
  listPage(objectType: string, query: { limit: number; after?: string; properties?: string[] }, signal?: AbortSignal) {
    return this.call<HubSpotPage>(
      (apis) => apis.basic.getPage(objectType, query.limit, query.after, query.properties, undefined, undefined, false),
      signal,
    );
  }

  /** POST /crm/v3/objects/{type}/search */
  search(objectType: string, request: HubSpotSearchRequest, signal?: AbortSignal) {
    return this.call<HubSpotPage>((apis) => apis.search.doSearch(objectType, request), signal);
  }

  batchCreate(
    objectType: string,
    inputs: { properties: Record<string, string | null>; objectWriteTraceId?: string }[],
  ) {
    return this.call<HubSpotBatchResponse>((apis) => apis.batch.create(objectType, { inputs }));
  }

  batchUpdate(
    objectType: string,
    inputs: { id: string; properties: Record<string, string | null>; objectWriteTraceId?: string }[],
  ) {
    return this.call<HubSpotBatchResponse>((apis) => apis.batch.update(objectType, { inputs }));
  }

  batchArchive(objectType: string, ids: string[]) {
    return this.call<void>((apis) => apis.batch.archive(objectType, { inputs: ids.map((id) => ({ id })) }));
  }

  batchRead(objectType: string, ids: string[], properties?: string[], idProperty?: string) {
    return this.call<HubSpotBatchResponse>((apis) =>
      apis.batch.read(
        objectType,
        {
          inputs: ids.map((id) => ({ id })),
          properties: properties ?? [],
          propertiesWithHistory: [],
          ...(idProperty ? { idProperty } : {}),
        },
        false,
      ),
    );
  }

  /** GET /crm/v3/properties/{type} */
  properties(objectType: string) {
    return this.call<{ results: HubSpotProperty[] }>((apis) => apis.properties.getAll(objectType, false));
  }
}
