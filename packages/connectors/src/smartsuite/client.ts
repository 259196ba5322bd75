// SmartSuite REST API v1 over fetch (there is no official Node SDK): one method per endpoint the
// connector uses, `Authorization: Token <key>` + `Account-Id: <workspace>` on every request, answers
// validated with zod, failures turned into the engine's error classes at the edge (the body kept, so
// a bulk 422 can be read per record). Paths end in a slash, as the API's do.
// https://developers.smartsuite.com/docs/solution-data/records/list-records
import type { z } from 'zod';
import { ConnectorRequestError, type FieldValue } from '../contract.ts';
import { classifyNetworkError, kindForStatus, parseRetryAfter } from '../http.ts';
import {
  ZSmartSuiteApplication,
  ZSmartSuiteApplicationList,
  ZSmartSuiteDeleted,
  ZSmartSuiteRecord,
  ZSmartSuiteRecordArray,
  ZSmartSuiteRecordList,
  type TSmartSuiteApplication,
  type TSmartSuiteRecord,
  type TSmartSuiteRecordList,
} from './api-types.ts';
import { describeSmartSuiteError, SmartSuiteHttpError } from './errors.ts';
import { SMARTSUITE_DEFAULT_BASE_URL } from './limits.ts';

export interface SmartSuiteClientOptions {
  apiKey: string;
  /** The workspace id (the 8 characters after app.smartsuite.com/ in the app's URL). */
  accountId: string;
  /** API root with the version (default https://app.smartsuite.com/api/v1; a sandbox: `${url}/api/v1`). */
  baseUrl?: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

/** `{ operator, fields: [{ field, comparison, value }] }` — see the sort and filter reference. */
export interface SmartSuiteFilter {
  operator: 'and' | 'or';
  fields: ({ field: string; comparison: string; value: unknown } | SmartSuiteFilter)[];
}

export interface SmartSuiteSort {
  field: string;
  direction: 'asc' | 'desc';
}

export interface ListRecordsQuery {
  offset?: number;
  limit?: number;
  /** Include records in the trash (`deleted_date` set). */
  all?: boolean;
  filter?: SmartSuiteFilter;
  sort?: SmartSuiteSort[];
}

export type SmartSuiteRecordInput = Record<string, FieldValue>;

interface CallOptions {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

export class SmartSuiteApiClient {
  private readonly root: string;
  private readonly options: SmartSuiteClientOptions;

  constructor(options: SmartSuiteClientOptions) {
    this.options = options;
    this.root = (options.baseUrl ?? SMARTSUITE_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  private async call<S extends z.ZodType>(schema: S, what: string, call: CallOptions): Promise<z.infer<S>> {
    const url = new URL(`${this.root}${call.path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Token ${this.options.apiKey}`,
      'account-id': this.options.accountId,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      throw new ConnectorRequestError(classifyNetworkError(error), { cause: error });
    }
    let body: unknown = text;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!response.ok) {
      const detail = describeSmartSuiteError(body);
      throw new SmartSuiteHttpError(
        {
          kind: kindForStatus(response.status),
          status: response.status,
          message: `${what}: HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        },
        body,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `unexpected response from ${what}: ${parsed.error.issues[0]?.message ?? 'bad shape'}`,
      });
    }
    return parsed.data;
  }

  private static table(tableId: string): string {
    return `/applications/${encodeURIComponent(tableId)}`;
  }

  /** GET /applications/: every table the key can see (the cheapest authenticated read). */
  listApplications(signal?: AbortSignal): Promise<TSmartSuiteApplication[]> {
    return this.call(ZSmartSuiteApplicationList, 'List Tables', { method: 'GET', path: '/applications/', signal });
  }

  /** GET /applications/{tableId}/: the table and its field structure. */
  getApplication(tableId: string): Promise<TSmartSuiteApplication> {
    return this.call(ZSmartSuiteApplication, 'Get Table', {
      method: 'GET',
      path: `${SmartSuiteApiClient.table(tableId)}/`,
    });
  }

  /** POST /applications/{tableId}/records/list/?offset&limit[&all] with sort and filter in the body. */
  listRecords(tableId: string, query: ListRecordsQuery, signal?: AbortSignal): Promise<TSmartSuiteRecordList> {
    return this.call(ZSmartSuiteRecordList, 'List Records', {
      method: 'POST',
      path: `${SmartSuiteApiClient.table(tableId)}/records/list/`,
      query: { offset: query.offset, limit: query.limit, all: query.all ? 'true' : undefined },
      body: { filter: query.filter ?? {}, sort: query.sort ?? [] },
      signal,
    });
  }

  /** POST /applications/{tableId}/records/: one record (422 when a required field is missing). */
  createRecord(tableId: string, record: SmartSuiteRecordInput): Promise<TSmartSuiteRecord> {
    return this.call(ZSmartSuiteRecord, 'Create Record', {
      method: 'POST',
      path: `${SmartSuiteApiClient.table(tableId)}/records/`,
      body: record,
    });
  }

  /** POST /applications/{tableId}/records/bulk/ with `{ items }` (≤ 25). */
  bulkCreate(tableId: string, records: SmartSuiteRecordInput[]): Promise<TSmartSuiteRecord[]> {
    return this.call(ZSmartSuiteRecordArray, 'Bulk Add Records', {
      method: 'POST',
      path: `${SmartSuiteApiClient.table(tableId)}/records/bulk/`,
      body: { items: records },
    });
  }

  /** PATCH /applications/{tableId}/records/bulk/ with `{ items: [{ id, … }] }` (≤ 25; only given fields change). */
  bulkUpdate(tableId: string, records: (SmartSuiteRecordInput & { id: string })[]): Promise<TSmartSuiteRecord[]> {
    return this.call(ZSmartSuiteRecordArray, 'Bulk Update Records', {
      method: 'PATCH',
      path: `${SmartSuiteApiClient.table(tableId)}/records/bulk/`,
      body: { items: records },
    });
  }

  /** PATCH /applications/{tableId}/records/bulk_delete/?fields=id with `{ items: [id, …] }` (≤ 25). */
  async bulkDelete(tableId: string, ids: string[]): Promise<string[]> {
    const deleted = await this.call(ZSmartSuiteDeleted, 'Bulk Delete Records', {
      method: 'PATCH',
      path: `${SmartSuiteApiClient.table(tableId)}/records/bulk_delete/`,
      query: { fields: 'id' },
      body: { items: ids },
    });
    return deleted.map((entry) => entry.id);
  }
}
