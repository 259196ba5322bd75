// Google Sheets API v4 (the subset the connector uses) as an in-process sandbox: spreadsheets with
// tabs of cells, bearer-token auth with an OAuth token endpoint for google-auth-library, per-minute
// read/write quotas per project and per user, Google-shaped errors, fault injection and per-endpoint
// request counters. googleapis talks to it with `rootUrl` set to the sandbox's URL.
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { requestTime, systemClock, type Clock } from '../../sandbox-kit/clock.ts';
import { createRequestCounter, type RequestCounter } from '../../sandbox-kit/counters.ts';
import { createFaultInjector, type FaultConfig, type FaultInjector } from '../../sandbox-kit/faults.ts';
import { sendVendorResponse } from '../../sandbox-kit/responses.ts';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { startSandbox, type SandboxServer } from '../../sandbox-kit/server.ts';
import {
  MISSING_CREDENTIALS_MESSAGE,
  SheetsApiError,
  UNAUTHENTICATED_MESSAGE,
  googleErrorBody,
  quotaExceededResponse,
  serverErrorResponse,
} from './errors.ts';
import { createSandboxOAuth, type SandboxOAuth, type SandboxOAuthOptions } from './oauth.ts';
import { SheetsOperations } from './operations.ts';
import { createSheetsQuota, type SheetsQuota, type SheetsQuotaConfig } from './quota.ts';
import { SHEETS_ENDPOINTS, createSheetsRoutes } from './routes.ts';
import { SpreadsheetStore, type CreateSpreadsheetInput } from './store.ts';

export interface GoogleSheetsSandboxOptions extends Omit<SandboxOAuthOptions, 'clock'> {
  /** Per-minute quotas (defaults 300 per project, 60 per user, for reads and for writes). */
  quota?: Partial<SheetsQuotaConfig>;
  /** Add Retry-After to quota 429s (the real API does not). */
  quotaRetryAfter?: boolean;
  projectNumber?: string;
  /**
   * Largest request body in bytes (default 2 MiB, Google's payload guidance; the real hard limit is
   * 10 MB). Beyond it: 400 "Request payload size exceeds the limit".
   */
  maxRequestBytes?: number;
  /** Seed for faults and generated ids (default 1). */
  seed?: number;
  faults?: Partial<FaultConfig>;
  clock?: Clock;
  /** Spreadsheets to create at start. */
  spreadsheets?: CreateSpreadsheetInput[];
}

export interface GoogleSheetsSandbox {
  app: Express;
  /** Direct reads and edits, as a person in the sheet would make them. */
  spreadsheets: SpreadsheetStore;
  operations: SheetsOperations;
  oauth: SandboxOAuth;
  faults: FaultInjector;
  counters: RequestCounter;
  /** The read/write quotas. */
  limiter: SheetsQuota;
  readonly maxRequestBytes: number;
  /** Serves the app on 127.0.0.1 (port 0: any free port). Point googleapis' rootUrl at `${url}/`. */
  start(port?: number): Promise<SandboxServer>;
}

export const DEFAULT_SANDBOX_ACCESS_TOKEN = 'sandbox-token';
export const DEFAULT_MAX_REQUEST_BYTES = 2 * 1024 * 1024;

export function createGoogleSheetsSandbox(options: GoogleSheetsSandboxOptions = {}): GoogleSheetsSandbox {
  const clock = options.clock ?? systemClock;
  const rng = seededRng(options.seed ?? 1);
  const projectNumber = options.projectNumber ?? '123456789012';
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const spreadsheets = new SpreadsheetStore({ rng });
  const operations = new SheetsOperations(spreadsheets);
  const counters = createRequestCounter({ clock });
  const oauth = createSandboxOAuth({
    ...options,
    accessTokens: options.accessTokens ?? [DEFAULT_SANDBOX_ACCESS_TOKEN],
    clock,
  });
  const limiter = createSheetsQuota({
    config: options.quota,
    clock,
    projectNumber,
    retryAfter: options.quotaRetryAfter,
  });
  const faults = createFaultInjector({
    rng,
    config: options.faults,
    errorResponse: serverErrorResponse,
    rateLimitResponse: () =>
      quotaExceededResponse({
        kind: 'read',
        scope: 'user',
        limit: limiter.config.readsPerUserPerWindow,
        projectNumber,
        retryAfterMs: options.quotaRetryAfter ? limiter.config.windowMs : undefined,
      }),
  });
  for (const spreadsheet of options.spreadsheets ?? []) spreadsheets.create(spreadsheet);

  const authenticate: RequestHandler = (req, res, next) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const grant = token ? oauth.lookup(token) : null;
    if (!grant) {
      sendVendorResponse(
        res,
        new SheetsApiError(
          401,
          token ? UNAUTHENTICATED_MESSAGE : MISSING_CREDENTIALS_MESSAGE,
          'UNAUTHENTICATED',
        ).toResponse(),
      );
      return;
    }
    if (!oauth.allows(grant, req.method === 'GET' ? 'read' : 'write')) {
      res.status(403).json(
        googleErrorBody(403, 'Request had insufficient authentication scopes.', 'PERMISSION_DENIED', {
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
              domain: 'googleapis.com',
            },
          ],
        }),
      );
      return;
    }
    (res.locals as { user?: string }).user = grant.user;
    next();
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.post(
    '/token',
    (_req, res, next) => {
      counters.record(SHEETS_ENDPOINTS.token, requestTime(res, clock));
      next();
    },
    express.urlencoded({ extended: false, limit: '64kb' }),
    oauth.tokenHandler,
  );
  app.use('/v4', faults.middleware, authenticate, limiter.middleware, express.json({ limit: maxRequestBytes }));
  app.use(createSheetsRoutes({ operations, counters, clock }));
  app.use((req, res) => {
    res.status(404).json(googleErrorBody(404, `Method not found: ${req.method} ${req.path}`, 'NOT_FOUND'));
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (error instanceof SheetsApiError) return sendVendorResponse(res, error.toResponse());
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      res
        .status(400)
        .json(
          googleErrorBody(400, `Request payload size exceeds the limit: ${maxRequestBytes} bytes.`, 'INVALID_ARGUMENT'),
        );
    } else if (type === 'entity.parse.failed') {
      res
        .status(400)
        .json(googleErrorBody(400, 'Invalid JSON payload received. Unexpected token.', 'INVALID_ARGUMENT'));
    } else {
      res.status(500).json(googleErrorBody(500, 'Internal error encountered.', 'INTERNAL'));
    }
  };
  app.use(onError);

  return {
    app,
    spreadsheets,
    operations,
    oauth,
    faults,
    counters,
    limiter,
    maxRequestBytes,
    start: (port) => startSandbox(app, { port }),
  };
}

export { SHEETS_ENDPOINTS, matchSheetsRoute } from './routes.ts';
export { SpreadsheetStore, findSheet, headerOf } from './store.ts';
export type {
  CellInput,
  CreateSpreadsheetInput,
  RowInput,
  SheetInput,
  StoredSheet,
  StoredSpreadsheet,
} from './store.ts';
export { SheetsOperations } from './operations.ts';
export { SheetsApiError, googleErrorBody, quotaExceededResponse } from './errors.ts';
export { createSandboxOAuth, GOOGLE_TOKEN_AUDIENCE, SPREADSHEETS_SCOPE } from './oauth.ts';
export type {
  AccessTokenConfig,
  OAuthClientConfig,
  RefreshTokenConfig,
  SandboxOAuth,
  ServiceAccountConfig,
} from './oauth.ts';
export { createSheetsQuota, DEFAULT_SHEETS_QUOTA } from './quota.ts';
export type { SheetsQuota, SheetsQuotaConfig } from './quota.ts';
export type { CellValue } from './grid.ts';
