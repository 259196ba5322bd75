// The googleapis Sheets v4 client, wired for the engine:
// - `rootUrl` points it at any host (the sandbox); googleapis rewrites every method's URL onto it.
// - Auth is a google-auth-library client: a fixed access token, an OAuth refresh token, or a
//   service account (JWT-bearer grant). Tokens come from `tokenUrl` (the sandbox's /token): the
//   refresh flow has an endpoint option for it; gtoken hard-codes Google's URL, so a request
//   interceptor on the auth client's transporter rewrites it.
// - Retries are off everywhere (googleapis retries GETs on 429/5xx by default, and token requests
//   too): the engine owns retries and rate limits, and needs every failure to come back at once.
// - The SDK is imported on first use (only Sheets' module, not all of googleapis), so loading the
//   connectors entry stays cheap.
import type * as SheetsApi from 'googleapis/build/src/apis/sheets/index.js';
import type { sheets_v4 } from 'googleapis/build/src/apis/sheets/index.js';
import { ConnectorRequestError } from '../contract.ts';
import { classifySheetsError } from './errors.ts';

type SheetsModule = typeof SheetsApi;
type AuthClient = InstanceType<SheetsModule['auth']['OAuth2']>;

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
export const SHEETS_ROOT_URL = 'https://sheets.googleapis.com/';

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
}

export type GoogleSheetsAuth =
  | { accessToken: string }
  | { refreshToken: string; clientId: string; clientSecret: string; tokenUrl?: string }
  | { serviceAccount: ServiceAccountKey; tokenUrl?: string; scopes?: string[]; subject?: string };

export interface SheetsClientOptions {
  /** Default https://sheets.googleapis.com/ (a path after the host is ignored by googleapis). */
  rootUrl?: string;
  auth: GoogleSheetsAuth;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Jitter source for quota backoff (tests). */
  random?: () => number;
}

export interface ValueRangeInput {
  range: string;
  values: (string | number | boolean | null)[][];
}

let sheetsModule: Promise<SheetsModule> | undefined;
const loadSheetsModule = () => (sheetsModule ??= import('googleapis/build/src/apis/sheets/index.js'));

function createAuthClient(mod: SheetsModule, auth: GoogleSheetsAuth): AuthClient {
  let client: AuthClient;
  let tokenUrl: string | undefined;
  if ('accessToken' in auth) {
    client = new mod.auth.OAuth2({});
    client.setCredentials({ access_token: auth.accessToken });
  } else if ('refreshToken' in auth) {
    tokenUrl = auth.tokenUrl;
    client = new mod.auth.OAuth2({
      clientId: auth.clientId,
      clientSecret: auth.clientSecret,
      ...(tokenUrl ? { endpoints: { oauth2TokenUrl: tokenUrl } } : {}),
    });
    client.setCredentials({ refresh_token: auth.refreshToken });
  } else {
    tokenUrl = auth.tokenUrl;
    // Scopes make the JWT client use the token endpoint (without them it would sign its own
    // self-signed JWT per request, which only Google's frontends accept).
    client = new mod.auth.JWT({
      email: auth.serviceAccount.client_email,
      key: auth.serviceAccount.private_key,
      scopes: auth.scopes ?? [SHEETS_SCOPE],
      subject: auth.subject,
    });
  }
  client.transporter.interceptors.request.add({
    resolved: async (options) => {
      if (tokenUrl && String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(tokenUrl);
      options.retry = false;
      delete options.retryConfig;
      return options;
    },
  });
  return client;
}

/** Sheets v4 methods the connector uses; every failure comes out as a ConnectorRequestError. */
export class SheetsClient {
  private api: Promise<{ sheets: sheets_v4.Sheets; auth: AuthClient }> | undefined;
  /** Quota errors in a row: the exponent of the next suggested backoff. */
  private quotaStreak = 0;

  private readonly options: SheetsClientOptions;

  constructor(options: SheetsClientOptions) {
    this.options = options;
  }

  private async setup() {
    const mod = await loadSheetsModule();
    const auth = createAuthClient(mod, this.options.auth);
    const sheets = mod.sheets({
      version: 'v4',
      rootUrl: this.options.rootUrl ?? SHEETS_ROOT_URL,
      auth,
      retry: false,
      timeout: this.options.timeoutMs ?? 30_000,
    });
    return { sheets, auth };
  }

  private fail(error: unknown, stage: 'token' | 'api'): ConnectorRequestError {
    const classified = classifySheetsError(error, {
      stage,
      quotaStreak: this.quotaStreak,
      random: this.options.random,
    });
    if (classified.kind === 'rate_limited') this.quotaStreak += 1;
    return new ConnectorRequestError(classified, { cause: error });
  }

  private async call<T>(run: (sheets: sheets_v4.Sheets) => Promise<{ data: T }>): Promise<T> {
    this.api ??= this.setup();
    const { sheets, auth } = await this.api;
    // Getting the token first tells credential failures (auth) from API failures apart.
    try {
      await auth.getAccessToken();
    } catch (error) {
      throw this.fail(error, 'token');
    }
    try {
      const response = await run(sheets);
      this.quotaStreak = 0;
      return response.data;
    } catch (error) {
      throw this.fail(error, 'api');
    }
  }

  spreadsheet(spreadsheetId: string, signal?: AbortSignal): Promise<sheets_v4.Schema$Spreadsheet> {
    return this.call((sheets) =>
      sheets.spreadsheets.get(
        { spreadsheetId, fields: 'spreadsheetId,properties.title,sheets.properties' },
        { signal },
      ),
    );
  }

  /** Values of one range, typed (numbers, booleans) with dates as formatted strings. */
  values(spreadsheetId: string, range: string, signal?: AbortSignal): Promise<sheets_v4.Schema$ValueRange> {
    return this.call((sheets) =>
      sheets.spreadsheets.values.get(
        {
          spreadsheetId,
          range,
          majorDimension: 'ROWS',
          valueRenderOption: 'UNFORMATTED_VALUE',
          dateTimeRenderOption: 'FORMATTED_STRING',
        },
        { signal },
      ),
    );
  }

  async batchValues(
    spreadsheetId: string,
    ranges: string[],
    signal?: AbortSignal,
  ): Promise<sheets_v4.Schema$ValueRange[]> {
    const data = await this.call((sheets) =>
      sheets.spreadsheets.values.batchGet(
        {
          spreadsheetId,
          ranges,
          majorDimension: 'ROWS',
          valueRenderOption: 'UNFORMATTED_VALUE',
          dateTimeRenderOption: 'FORMATTED_STRING',
        },
        { signal },
      ),
    );
    return data.valueRanges ?? [];
  }

  /** One values.batchUpdate: validated and applied atomically by the API; RAW input (no formulas). */
  batchUpdateValues(
    spreadsheetId: string,
    data: ValueRangeInput[],
  ): Promise<sheets_v4.Schema$BatchUpdateValuesResponse> {
    return this.call((sheets) =>
      sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } }),
    );
  }

  /** values.append after the table that starts at `range`, inserting rows (never overwriting). */
  append(
    spreadsheetId: string,
    range: string,
    rows: ValueRangeInput['values'],
  ): Promise<sheets_v4.Schema$AppendValuesResponse> {
    return this.call((sheets) =>
      sheets.spreadsheets.values.append({
        spreadsheetId,
        range,
        valueInputOption: 'RAW',
        insertDataOption: 'INSERT_ROWS',
        requestBody: { majorDimension: 'ROWS', values: rows },
      }),
    );
  }

  /** spreadsheets.batchUpdate with deleteDimension requests, applied in order. */
  deleteRows(spreadsheetId: string, sheetId: number, runs: { startIndex: number; endIndex: number }[]) {
    return this.call((sheets) =>
      sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: {
          requests: runs.map((run) => ({ deleteDimension: { range: { sheetId, dimension: 'ROWS', ...run } } })),
        },
      }),
    );
  }
}
