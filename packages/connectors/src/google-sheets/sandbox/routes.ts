// HTTP routes of the Sheets API v4 subset. Google's paths put verbs after a colon
// (`values:batchGet`, `{range}:append`), which Express route patterns would read as parameters, so
// the dispatch matches the raw path itself and counts requests under the discovery document's
// path templates (e.g. `GET /v4/spreadsheets/{spreadsheetId}/values/{range}`).
import type { RequestHandler } from 'express';
import { requestTime, type Clock } from '../../sandbox-kit/clock.ts';
import type { RequestCounter } from '../../sandbox-kit/counters.ts';
import { SheetsApiError } from './errors.ts';
import type { SheetsOperations } from './operations.ts';

export const SHEETS_ENDPOINTS = {
  getSpreadsheet: 'GET /v4/spreadsheets/{spreadsheetId}',
  batchUpdate: 'POST /v4/spreadsheets/{spreadsheetId}:batchUpdate',
  getValues: 'GET /v4/spreadsheets/{spreadsheetId}/values/{range}',
  updateValues: 'PUT /v4/spreadsheets/{spreadsheetId}/values/{range}',
  appendValues: 'POST /v4/spreadsheets/{spreadsheetId}/values/{range}:append',
  batchGetValues: 'GET /v4/spreadsheets/{spreadsheetId}/values:batchGet',
  batchUpdateValues: 'POST /v4/spreadsheets/{spreadsheetId}/values:batchUpdate',
  token: 'POST /token',
} as const;

type Endpoint = keyof typeof SHEETS_ENDPOINTS;

interface Match {
  endpoint: Endpoint;
  spreadsheetId: string;
  range?: string;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw SheetsApiError.invalid(`Invalid path segment: ${segment}`);
  }
}

/** Finds the method a request addresses, or null (404). */
export function matchSheetsRoute(method: string, path: string): Match | null {
  const spreadsheet = /^\/v4\/spreadsheets\/([^/]+)$/.exec(path);
  if (spreadsheet) {
    const [id = '', verb] = (spreadsheet[1] as string).split(':');
    if (method === 'GET' && verb === undefined) return { endpoint: 'getSpreadsheet', spreadsheetId: decode(id) };
    if (method === 'POST' && verb === 'batchUpdate') return { endpoint: 'batchUpdate', spreadsheetId: decode(id) };
    return null;
  }
  const batch = /^\/v4\/spreadsheets\/([^/:]+)\/values:(batchGet|batchUpdate)$/.exec(path);
  if (batch) {
    const spreadsheetId = decode(batch[1] as string);
    if (method === 'GET' && batch[2] === 'batchGet') return { endpoint: 'batchGetValues', spreadsheetId };
    if (method === 'POST' && batch[2] === 'batchUpdate') return { endpoint: 'batchUpdateValues', spreadsheetId };
    return null;
  }
  const values = /^\/v4\/spreadsheets\/([^/:]+)\/values\/([^/]+)$/.exec(path);
  if (values) {
    const spreadsheetId = decode(values[1] as string);
    const raw = values[2] as string;
    if (method === 'POST' && raw.endsWith(':append'))
      return { endpoint: 'appendValues', spreadsheetId, range: decode(raw.slice(0, -7)) };
    if (method === 'GET') return { endpoint: 'getValues', spreadsheetId, range: decode(raw) };
    if (method === 'PUT') return { endpoint: 'updateValues', spreadsheetId, range: decode(raw) };
  }
  return null;
}

export function createSheetsRoutes(options: {
  operations: SheetsOperations;
  counters: RequestCounter;
  clock: Clock;
}): RequestHandler {
  const { operations, counters, clock } = options;
  return (req, res, next) => {
    const match = matchSheetsRoute(req.method, req.path);
    if (!match) return next();
    counters.record(SHEETS_ENDPOINTS[match.endpoint], requestTime(res, clock));
    const query = new URL(req.originalUrl, 'http://sandbox.invalid').searchParams;
    const one = (name: string) => query.get(name) ?? undefined;
    const user = (res.locals as { user?: string }).user ?? null;
    const { spreadsheetId, range = '' } = match;
    const readOptions = { majorDimension: one('majorDimension'), valueRenderOption: one('valueRenderOption') };
    switch (match.endpoint) {
      case 'getSpreadsheet':
        res.json(operations.getSpreadsheet(spreadsheetId, user));
        return;
      case 'batchUpdate':
        res.json(operations.batchUpdate(spreadsheetId, user, req.body));
        return;
      case 'getValues':
        res.json(operations.getValues(spreadsheetId, user, range, readOptions));
        return;
      case 'batchGetValues':
        res.json(operations.batchGet(spreadsheetId, user, query.getAll('ranges'), readOptions));
        return;
      case 'updateValues':
        res.json(
          operations.update(spreadsheetId, user, range, req.body, { valueInputOption: one('valueInputOption') }),
        );
        return;
      case 'appendValues':
        res.json(
          operations.append(spreadsheetId, user, range, req.body, {
            valueInputOption: one('valueInputOption'),
            insertDataOption: one('insertDataOption'),
          }),
        );
        return;
      case 'batchUpdateValues':
        res.json(operations.batchUpdateValues(spreadsheetId, user, req.body));
        return;
      case 'token':
        return next();
    }
  };
}
