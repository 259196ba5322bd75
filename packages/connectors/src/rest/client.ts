// Thin typed client for the records API: one method per endpoint, responses validated with zod.
// Errors come out as ConnectorRequestError (classified by httpJson at the edge).
import type { z } from 'zod';
import { ConnectorRequestError } from '../contract.ts';
import { httpJson } from '../http.ts';
import {
  ZBatchResponse,
  ZFieldsResponse,
  ZListResponse,
  ZMeResponse,
  type TBatchInputItem,
  type TBatchResult,
  type TFieldInfo,
  type TListResponse,
} from './api-types.ts';

export interface RestClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

export interface ListRecordsQuery {
  updatedSince?: string | null;
  cursor?: string | null;
  limit?: number;
  keys?: string[];
  ids?: string[];
}

export class RestRecordsClient {
  private readonly baseUrl: string;
  private readonly options: RestClientOptions;

  constructor(options: RestClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  private async request<S extends z.ZodType>(
    schema: S,
    path: string,
    init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<z.infer<S>> {
    const response = await httpJson<unknown>(`${this.baseUrl}${path}`, {
      method: init.method,
      body: init.body,
      signal: init.signal,
      timeoutMs: this.options.timeoutMs,
      headers: { authorization: `Bearer ${this.options.token}` },
    });
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        status: response.status,
        message: `unexpected response from ${init.method ?? 'GET'} ${path}: ${parsed.error.issues[0]?.message ?? 'bad shape'}`,
      });
    }
    return parsed.data;
  }

  private static collectionPath(collection: string): string {
    return `/v1/collections/${encodeURIComponent(collection)}`;
  }

  me(signal?: AbortSignal): Promise<z.infer<typeof ZMeResponse>> {
    return this.request(ZMeResponse, '/v1/me', { signal });
  }

  listRecords(collection: string, query: ListRecordsQuery, signal?: AbortSignal): Promise<TListResponse> {
    const params = new URLSearchParams();
    if (query.updatedSince) params.set('updated_since', query.updatedSince);
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit) params.set('limit', String(query.limit));
    if (query.keys) params.set('key', query.keys.join(','));
    if (query.ids) params.set('ids', query.ids.join(','));
    const search = params.size > 0 ? `?${params}` : '';
    return this.request(ZListResponse, `${RestRecordsClient.collectionPath(collection)}/records${search}`, { signal });
  }

  async batchUpsert(collection: string, records: TBatchInputItem[]): Promise<TBatchResult[]> {
    const body = await this.request(ZBatchResponse, `${RestRecordsClient.collectionPath(collection)}/records/batch`, {
      method: 'POST',
      body: { records },
    });
    return RestRecordsClient.aligned(body.results, records.length);
  }

  async batchDelete(collection: string, ids: string[]): Promise<TBatchResult[]> {
    const body = await this.request(
      ZBatchResponse,
      `${RestRecordsClient.collectionPath(collection)}/records/batch_delete`,
      {
        method: 'POST',
        body: { ids },
      },
    );
    return RestRecordsClient.aligned(body.results, ids.length);
  }

  async fields(collection: string): Promise<TFieldInfo[]> {
    const body = await this.request(ZFieldsResponse, `${RestRecordsClient.collectionPath(collection)}/fields`);
    return body.fields;
  }

  /** Batch results are positional; a count mismatch would pair results with the wrong items. */
  private static aligned(results: TBatchResult[], expected: number): TBatchResult[] {
    if (results.length !== expected) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `batch answered ${results.length} results for ${expected} items`,
      });
    }
    return results;
  }
}
