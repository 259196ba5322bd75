// The logs viewer's filters live in the address bar (so a filtered view can be shared and
// reloaded). One function reads them; the list query and the CSV link are both built from its
// result, so the export always holds exactly the rows the table pages through.
import type { RouterInputs } from '../../trpc.ts';

type ListInput = Exclude<RouterInputs['logs']['list'], void | undefined>;
export type LogStatus = Extract<NonNullable<ListInput['status']>, string>;
export type LogOperation = NonNullable<ListInput['operation']>;

export const LOG_STATUSES = [
  'SUCCESS',
  'PARTIAL_SUCCESS',
  'FAILED',
  'RETRYING',
  'SKIPPED',
  'CONFLICT_PENDING',
  'CONFLICT_RESOLVED',
] as const satisfies readonly LogStatus[];

export const LOG_OPERATIONS = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'BULK_SYNC',
  'WEBHOOK_RECEIVED',
] as const satisfies readonly LogOperation[];

export const LOGS_EXPORT_URL = '/api/logs/export.csv';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters as the page shows them: dates are whole UTC days, `to` included. */
export interface LogSearch {
  status: LogStatus[];
  from: string | null;
  to: string | null;
  operation: LogOperation | null;
  resourceType: string | null;
  integrationId: string | null;
  recordId: string | null;
}

export const EMPTY_LOG_SEARCH: LogSearch = {
  status: [],
  from: null,
  to: null,
  operation: null,
  resourceType: null,
  integrationId: null,
  recordId: null,
};

function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function text(value: string | null, max: number): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed && trimmed.length <= max ? trimmed : null;
}

/**
 * Reads the filters from a query string. A value that is not valid is left out and named in
 * `problems` (the page says so), instead of failing the whole page.
 */
export function parseLogSearch(params: URLSearchParams): { search: LogSearch; problems: string[] } {
  const problems: string[] = [];
  const statuses = params
    .getAll('status')
    .flatMap((value) => value.split(','))
    .filter(Boolean);
  const status = [
    ...new Set(statuses.filter((value): value is LogStatus => LOG_STATUSES.includes(value as LogStatus))),
  ];
  if (status.length !== new Set(statuses).size) problems.push('an unknown status');

  const day = (name: 'from' | 'to') => {
    const value = params.get(name)?.trim();
    if (!value) return null;
    if (isDay(value)) return value;
    problems.push(`the ${name === 'from' ? 'start' : 'end'} date (use YYYY-MM-DD)`);
    return null;
  };
  let from = day('from');
  let to = day('to');
  if (from && to && from > to) {
    problems.push('the date range (the start is after the end)');
    from = null;
    to = null;
  }

  const operationValue = params.get('operation');
  const operation = LOG_OPERATIONS.includes(operationValue as LogOperation) ? (operationValue as LogOperation) : null;
  if (operationValue && !operation) problems.push('an unknown operation');

  const integrationValue = params.get('integrationId');
  const integrationId = integrationValue && UUID.test(integrationValue) ? integrationValue.toLowerCase() : null;
  if (integrationValue && !integrationId) problems.push('the integration');

  const resourceType = text(params.get('resourceType'), 100);
  const recordId = text(params.get('recordId'), 255);
  return { search: { status, from, to, operation, resourceType, integrationId, recordId }, problems };
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

export type LogFilterInput = Omit<ListInput, 'limit' | 'cursor' | 'offset'>;

/** logs.list's filter fields (the end date becomes the exclusive start of the next day). */
export function logFilterOf(search: LogSearch): LogFilterInput {
  const filter: LogFilterInput = {};
  if (search.status.length) filter.status = search.status;
  if (search.from) filter.from = search.from;
  if (search.to) filter.to = nextDay(search.to);
  if (search.operation) filter.operation = search.operation;
  if (search.resourceType) filter.resourceType = search.resourceType;
  if (search.integrationId) filter.integrationId = search.integrationId;
  if (search.recordId) filter.recordId = search.recordId;
  return filter;
}

/** GET /api/logs/export.csv with the same filters as the list (the endpoint takes logs.list's names). */
export function exportHref(filter: LogFilterInput): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) query.append(name, String(item));
    else query.append(name, value instanceof Date ? value.toISOString() : String(value));
  }
  const encoded = query.toString();
  return encoded ? `${LOGS_EXPORT_URL}?${encoded}` : LOGS_EXPORT_URL;
}

/** The page's own query string for a search (only what is set), plus an optional page cursor. */
export function searchQuery(search: LogSearch, cursor?: string | null): string {
  const query = new URLSearchParams();
  for (const status of search.status) query.append('status', status);
  const single: (keyof Omit<LogSearch, 'status'>)[] = [
    'from',
    'to',
    'operation',
    'resourceType',
    'integrationId',
    'recordId',
  ];
  for (const name of single) {
    const value = search[name];
    if (value) query.set(name, value);
  }
  if (cursor) query.set('cursor', cursor);
  const encoded = query.toString();
  return encoded ? `?${encoded}` : '';
}

/** True when any filter is set. */
export function isFiltered(search: LogSearch): boolean {
  return searchQuery(search) !== '';
}
