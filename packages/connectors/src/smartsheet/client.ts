// Thin typed wrapper around the official `smartsheet` SDK: one method per endpoint the connector
// uses, responses validated with zod, failures turned into ConnectorRequestError at the edge.
//
// SDK quirks handled here:
// - `baseUrl` is concatenated with paths ("sheets/1/rows"), so it must end with "/".
// - It retries 4001–4004 for up to 15 s by itself (and re-sends bodies unreliably, SDK issue #108);
//   the engine owns retries, so `calcRetryBackoff` returns -1, which the SDK reads as "stop".
// - It falls back to SMARTSHEET_ACCESS_TOKEN / SMARTSHEET_API_HOST from the environment when no
//   token or base URL is given; we always pass both.
// - `client.sheets` is typed `any`; SheetsApi below is the subset we call.
// The SDK (with axios and winston) is imported on first use, so loading the connectors entry stays
// cheap for code that never talks to Smartsheet (CONVENTIONS: SDKs only where they are used).
import type { z } from 'zod';
import { ConnectorRequestError } from '../contract.ts';
import {
  ZColumnsPage,
  ZCurrentUser,
  ZDeleteRowsResult,
  ZRowsResult,
  ZSheet,
  type TColumn,
  type TRowInput,
  type TRowsResult,
  type TSheet,
} from './api-types.ts';
import { toConnectorRequestError } from './errors.ts';
import { createFetchRequest, handleSmartsheetResponse, withSignal } from './transport.ts';

export const SMARTSHEET_DEFAULT_BASE_URL = 'https://api.smartsheet.com/2.0/';

export interface SmartsheetClientOptions {
  accessToken: string;
  /** API root including the version, e.g. https://api.smartsheet.com/2.0 or `${sandbox.url}/2.0`. */
  baseUrl?: string;
  /** Sent as Smartsheet-Change-Agent on every write, so webhook echoes of our writes can be skipped. */
  changeAgent?: string;
  timeoutMs?: number;
  userAgent?: string;
}

interface SdkCall {
  sheetId?: number;
  queryParameters?: Record<string, unknown>;
  body?: unknown;
  customProperties?: Record<string, string>;
}

type SdkMethod = (options: SdkCall) => Promise<unknown>;

interface SheetsApi {
  getSheet: SdkMethod;
  getColumns: SdkMethod;
  addRows: SdkMethod;
  updateRow: SdkMethod;
  deleteRows: SdkMethod;
}

interface UsersApi {
  getCurrentUser: (options: SdkCall) => Promise<unknown>;
}

export interface GetSheetQuery {
  rowsModifiedSince?: string;
  rowIds?: number[];
  columnIds?: number[];
}

interface SdkApis {
  sheets: SheetsApi;
  users: UsersApi;
}

async function loadSdk(options: SmartsheetClientOptions): Promise<SdkApis> {
  const [{ createClient }, { create: createSdkRequestor }] = await Promise.all([
    import('smartsheet'),
    import('smartsheet/dist/lib/utils/httpRequestor.js'),
  ]);
  const requestor = createSdkRequestor({
    request: createFetchRequest(options.timeoutMs ?? 30_000),
    handleResponse: handleSmartsheetResponse,
    calcRetryBackoff: () => -1,
  });
  const client = createClient({
    accessToken: options.accessToken,
    baseUrl: `${(options.baseUrl ?? SMARTSHEET_DEFAULT_BASE_URL).replace(/\/+$/, '')}/`,
    userAgent: options.userAgent ?? 'syncbridge',
    requestor,
  });
  return { sheets: client.sheets as SheetsApi, users: client.users as unknown as UsersApi };
}

export class SmartsheetApiClient {
  private sdk: Promise<SdkApis> | null = null;
  private readonly options: SmartsheetClientOptions;
  private readonly writeHeaders: Record<string, string>;

  constructor(options: SmartsheetClientOptions) {
    this.options = options;
    this.writeHeaders = options.changeAgent ? { 'Smartsheet-Change-Agent': options.changeAgent } : {};
  }

  private async call<S extends z.ZodType>(
    schema: S,
    what: string,
    run: (sdk: SdkApis) => Promise<unknown>,
    signal?: AbortSignal,
  ): Promise<z.infer<S>> {
    this.sdk ??= loadSdk(this.options);
    const sdk = await this.sdk;
    let body: unknown;
    try {
      body = await withSignal(signal, () => run(sdk));
    } catch (error) {
      throw toConnectorRequestError(error);
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

  currentUser(signal?: AbortSignal): Promise<z.infer<typeof ZCurrentUser>> {
    return this.call(ZCurrentUser, 'Get Current User', (sdk) => sdk.users.getCurrentUser({}), signal);
  }

  /** GET /sheets/{id}; rowIds/columnIds narrow the rows and cells returned. */
  getSheet(sheetId: number, query: GetSheetQuery = {}, signal?: AbortSignal): Promise<TSheet> {
    const queryParameters: Record<string, unknown> = {};
    if (query.rowsModifiedSince) queryParameters.rowsModifiedSince = query.rowsModifiedSince;
    if (query.rowIds) queryParameters.rowIds = query.rowIds;
    if (query.columnIds) queryParameters.columnIds = query.columnIds;
    return this.call(ZSheet, 'Get Sheet', (sdk) => sdk.sheets.getSheet({ sheetId, queryParameters }), signal);
  }

  /** GET /sheets/{id}/columns?includeAll=true (sheets have at most a few hundred columns). */
  async getColumns(sheetId: number, signal?: AbortSignal): Promise<TColumn[]> {
    const page = await this.call(
      ZColumnsPage,
      'Get Columns',
      (sdk) => sdk.sheets.getColumns({ sheetId, queryParameters: { includeAll: true } }),
      signal,
    );
    return page.data;
  }

  /** POST /sheets/{id}/rows?allowPartialSuccess=true: failures come back per row. */
  addRows(sheetId: number, rows: TRowInput[]): Promise<TRowsResult> {
    return this.call(ZRowsResult, 'Add Rows', (sdk) =>
      sdk.sheets.addRows({
        sheetId,
        body: rows,
        queryParameters: { allowPartialSuccess: true },
        customProperties: this.writeHeaders,
      }),
    );
  }

  /** PUT /sheets/{id}/rows?allowPartialSuccess=true. */
  updateRows(sheetId: number, rows: TRowInput[]): Promise<TRowsResult> {
    return this.call(ZRowsResult, 'Update Rows', (sdk) =>
      sdk.sheets.updateRow({
        sheetId,
        body: rows,
        queryParameters: { allowPartialSuccess: true },
        customProperties: this.writeHeaders,
      }),
    );
  }

  /** DELETE /sheets/{id}/rows?ids=…&ignoreRowsNotFound=true → the ids actually deleted. */
  async deleteRows(sheetId: number, ids: number[]): Promise<number[]> {
    const result = await this.call(ZDeleteRowsResult, 'Delete Rows', (sdk) =>
      sdk.sheets.deleteRows({
        sheetId,
        queryParameters: { ids, ignoreRowsNotFound: true },
        customProperties: this.writeHeaders,
      }),
    );
    return result.result;
  }
}
