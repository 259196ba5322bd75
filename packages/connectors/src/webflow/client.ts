// Thin typed wrapper around the official `webflow-api` SDK (v3): one method per endpoint the
// connector uses, responses validated with zod, failures turned into ConnectorRequestError at the
// edge (the SDK error stays as `cause`, so bulk `details` can still be read).
//
// SDK quirks handled here:
// - It retries 408/429/5xx twice by default, sleeping on Retry-After (up to 60 s): the engine owns
//   retries and the shared rate limit, so `maxRetries: 0`. The wrapper's `createItem` override
//   ignores the client-level `maxRetries` and `timeoutInSeconds` (it reads only per-request
//   options), so both are passed on every call as request options too.
// - `baseUrl` replaces the environment's `https://api.webflow.com/v2` and paths are joined onto it,
//   so a sandbox is `${server.url}/v2`.
// - Its timeout is `timeoutInSeconds` (default 60) and it aborts with a plain string reason, which
//   surfaces as a WebflowError without status (classified retryable) rather than WebflowTimeoutError.
// - `createItem` (the wrapper's override, no `body:` key unlike the generated client) sends a single
//   item or `{ items: [...] }` (the bulk form, ≤ 100) to POST /items and is typed as returning one
//   item; the bulk answer is `{ items }`, parsed here. `createItems` is the multi-locale
//   POST /items/bulk, which the connector does not use.
// - The SDK is imported on first use, so loading the connectors entry stays cheap.
import type { WebflowClient } from 'webflow-api';
import type { z } from 'zod';
import { ConnectorRequestError, type FieldValue } from '../contract.ts';
import {
  ZWebflowCollection,
  ZWebflowCreated,
  ZWebflowItem,
  ZWebflowItemList,
  ZWebflowPublishResult,
  ZWebflowUpdated,
  type TWebflowCollection,
  type TWebflowItem,
  type TWebflowItemList,
} from './api-types.ts';
import { classifyWebflowError, toConnectorRequestError } from './errors.ts';

export const WEBFLOW_DEFAULT_BASE_URL = 'https://api.webflow.com/v2';

export type WebflowWriteOperation = 'create' | 'update' | 'delete' | 'publish';

export interface WebflowClientOptions {
  accessToken: string;
  /** API root including the version, e.g. https://api.webflow.com/v2 or `${sandbox.url}/v2`. */
  baseUrl?: string;
  timeoutMs?: number;
  /**
   * Wraps every write request (create, update, delete, publish), retries and re-sends included:
   * a per-integration write cap that takes a slot before the request and can hold it until the
   * answer is back. The engine's limiter counts connector calls, and one upsertBatch call makes up
   * to three requests (create, update, publish).
   */
  aroundWrite?: <T>(operation: WebflowWriteOperation, request: () => Promise<T>) => Promise<T>;
}

export interface WebflowItemInput {
  fieldData: Record<string, FieldValue>;
  isDraft?: boolean;
  isArchived?: boolean;
}

type Sdk = WebflowClient;

interface CallOptions {
  abortSignal?: AbortSignal;
}

interface RequestOptions {
  maxRetries: number;
  timeoutInSeconds: number;
  abortSignal?: AbortSignal;
}

const asItems = (answer: z.infer<typeof ZWebflowCreated>): TWebflowItem[] =>
  'items' in answer && Array.isArray(answer.items) ? answer.items : [answer as TWebflowItem];

export class WebflowApiClient {
  private sdk: Promise<Sdk> | null = null;
  private readonly options: WebflowClientOptions;
  private readonly request: RequestOptions;

  constructor(options: WebflowClientOptions) {
    this.options = options;
    this.request = { maxRetries: 0, timeoutInSeconds: (options.timeoutMs ?? 30_000) / 1000 };
  }

  private async load(): Promise<Sdk> {
    const { WebflowClient } = await import('webflow-api');
    return new WebflowClient({
      accessToken: this.options.accessToken,
      baseUrl: (this.options.baseUrl ?? WEBFLOW_DEFAULT_BASE_URL).replace(/\/+$/, ''),
      maxRetries: 0,
      timeoutInSeconds: (this.options.timeoutMs ?? 30_000) / 1000,
    });
  }

  /**
   * Runs one request on the loaded SDK; a write goes through the write cap, whose slot is taken
   * once the SDK is loaded, right before the request leaves: taken earlier (while the first import
   * runs), requests would reach Webflow later than the limiter that admitted them assumes.
   */
  private async send<T>(run: (sdk: Sdk) => Promise<T>, write?: WebflowWriteOperation): Promise<T> {
    this.sdk ??= this.load();
    const sdk = await this.sdk;
    const request = () => run(sdk);
    try {
      return write && this.options.aroundWrite ? await this.options.aroundWrite(write, request) : await request();
    } catch (error) {
      throw toConnectorRequestError(error);
    }
  }

  private async call<S extends z.ZodType>(
    schema: S,
    what: string,
    run: (sdk: Sdk) => Promise<unknown>,
    write?: WebflowWriteOperation,
  ): Promise<z.infer<S>> {
    const body: unknown = await this.send(run, write);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `unexpected response from ${what}: ${parsed.error.issues[0]?.message ?? 'bad shape'}`,
      });
    }
    return parsed.data;
  }

  /** GET /token/introspect: the cheapest authenticated call (testConnection). */
  async introspect(): Promise<void> {
    this.sdk ??= this.load();
    const sdk = await this.sdk;
    try {
      await sdk.token.introspect(this.request);
    } catch (error) {
      throw toConnectorRequestError(error);
    }
  }

  /** GET /collections/{id}: the schema (fields with slug, type, isRequired). */
  getCollection(collectionId: string): Promise<TWebflowCollection> {
    return this.call(ZWebflowCollection, 'Get Collection Details', (sdk) =>
      sdk.collections.get(collectionId, this.request),
    );
  }

  /** GET /collections/{id}/items?offset&limit (staged items, limit ≤ 100). */
  listItems(collectionId: string, offset: number, limit: number, options: CallOptions = {}): Promise<TWebflowItemList> {
    return this.call(ZWebflowItemList, 'List Items', (sdk) =>
      sdk.collections.items.listItems(
        collectionId,
        { offset, limit },
        { ...this.request, abortSignal: options.abortSignal },
      ),
    );
  }

  /** GET /collections/{id}/items/{itemId}; null when the item does not exist. */
  async getItem(collectionId: string, itemId: string): Promise<TWebflowItem | null> {
    try {
      return await this.call(ZWebflowItem, 'Get Item', (sdk) =>
        sdk.collections.items.getItem(collectionId, itemId, {}, this.request),
      );
    } catch (error) {
      if (classifyWebflowError(error).status === 404) return null;
      throw error;
    }
  }

  /** POST /collections/{id}/items with `{ items }` (≤ 100): all or nothing. */
  async createItems(collectionId: string, items: WebflowItemInput[]): Promise<TWebflowItem[]> {
    const answer = await this.call(
      ZWebflowCreated,
      'Create Items',
      (sdk) =>
        // The wrapper's createItem takes the body's fields at the top level (no `body:` key).
        sdk.collections.items.createItem(
          collectionId,
          { items } as Parameters<Sdk['collections']['items']['createItem']>[1],
          this.request,
        ),
      'create',
    );
    return asItems(answer);
  }

  /** PATCH /collections/{id}/items with `{ items: [{ id, fieldData }] }` (≤ 100): all or nothing. */
  async updateItems(collectionId: string, items: (WebflowItemInput & { id: string })[]): Promise<TWebflowItem[]> {
    const answer = await this.call(
      ZWebflowUpdated,
      'Update Items',
      (sdk) => sdk.collections.items.updateItems(collectionId, { items }, this.request),
      'update',
    );
    return asItems(answer);
  }

  /** DELETE /collections/{id}/items with `{ items: [{ id }] }` (≤ 100). */
  async deleteItems(collectionId: string, ids: string[]): Promise<void> {
    await this.send(
      (sdk) => sdk.collections.items.deleteItems(collectionId, { items: ids.map((id) => ({ id })) }, this.request),
      'delete',
    );
  }

  /** POST /collections/{id}/items/publish with `{ itemIds }` (≤ 100). */
  publishItems(collectionId: string, itemIds: string[]): Promise<z.infer<typeof ZWebflowPublishResult>> {
    return this.call(
      ZWebflowPublishResult,
      'Publish Items',
      (sdk) => sdk.collections.items.publishItem(collectionId, { itemIds }, this.request),
      'publish',
    );
  }
}
