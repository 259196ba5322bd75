// The sort and filter bodies of List Records, evaluated over stored records.
// https://developers.smartsuite.com/docs/solution-data/records/sort-filter
// `{ filter: { operator: "and" | "or", fields: [{ field, comparison, value }, …] }, sort: [{ field,
// direction }] }`; groups nest. Date comparisons work by day (`{ date_mode: "exact_date",
// date_mode_value: "YYYY-MM-DD" }` or a date string), as SmartSuite's date filters do.
import { smartsuiteErrors } from './errors.ts';

/** A record's value for a filter or sort: system fields by slug (dates as their `on`), others as stored. */
export type ValueOf = (field: string) => unknown;

const COMPARISONS = new Set([
  'is',
  'is_not',
  'is_empty',
  'is_not_empty',
  'contains',
  'not_contains',
  'is_equal_to',
  'is_not_equal_to',
  'is_greater_than',
  'is_less_than',
  'is_on',
  'is_before',
  'is_after',
  'is_on_or_before',
  'is_on_or_after',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function bad(message: string): never {
  throw smartsuiteErrors.badRequest({ filter: [message] });
}

/** Checks a filter body once, before any record is looked at (a 400 names the problem). */
export function checkFilter(filter: unknown): void {
  if (filter === undefined || filter === null) return;
  if (!isObject(filter)) bad('Expected a filter object.');
  if (Object.keys(filter).length === 0) return;
  if (filter.operator !== 'and' && filter.operator !== 'or') bad('"operator" must be "and" or "or".');
  if (!Array.isArray(filter.fields)) bad('"fields" must be a list.');
  for (const entry of filter.fields) {
    if (isObject(entry) && 'operator' in entry) checkFilter(entry);
    else if (!isObject(entry) || typeof entry.field !== 'string' || typeof entry.comparison !== 'string') {
      bad('Each filter needs "field" and "comparison".');
    } else if (!COMPARISONS.has(entry.comparison)) bad(`Unknown comparison "${entry.comparison}".`);
  }
}

/** 'YYYY-MM-DD' (UTC) of a date value: an ISO string, `{ date }`, `{ on }` or a date-mode filter value. */
function dayOf(value: unknown): string | null {
  if (isObject(value)) {
    const inner = value.date_mode_value ?? value.date ?? value.on;
    return dayOf(inner);
  }
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString().slice(0, 10);
}

const empty = (value: unknown) =>
  value === null ||
  value === undefined ||
  value === '' ||
  value === false ||
  (Array.isArray(value) && value.length === 0);

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join(' ');
  if (isObject(value)) return JSON.stringify(value);
  return value === null || value === undefined ? '' : String(value);
}

function compare(comparison: string, actual: unknown, expected: unknown): boolean {
  switch (comparison) {
    case 'is':
    case 'is_equal_to':
      return Array.isArray(actual) ? actual.includes(expected) : text(actual) === text(expected);
    case 'is_not':
    case 'is_not_equal_to':
      return !compare('is', actual, expected);
    case 'is_empty':
      return empty(actual);
    case 'is_not_empty':
      return !empty(actual);
    case 'contains':
      return text(actual).toLowerCase().includes(text(expected).toLowerCase());
    case 'not_contains':
      return !compare('contains', actual, expected);
    case 'is_greater_than':
      return Number(actual) > Number(expected);
    case 'is_less_than':
      return Number(actual) < Number(expected);
    default: {
      const a = dayOf(actual);
      const b = dayOf(expected);
      if (a === null || b === null) return false;
      if (comparison === 'is_on') return a === b;
      if (comparison === 'is_before') return a < b;
      if (comparison === 'is_after') return a > b;
      if (comparison === 'is_on_or_before') return a <= b;
      return a >= b; // is_on_or_after
    }
  }
}

export function matchesFilter(filter: unknown, valueOf: ValueOf): boolean {
  if (!isObject(filter) || Object.keys(filter).length === 0) return true;
  const entries = filter.fields as Record<string, unknown>[];
  if (entries.length === 0) return true;
  const test = (entry: Record<string, unknown>) =>
    'operator' in entry
      ? matchesFilter(entry, valueOf)
      : compare(entry.comparison as string, valueOf(entry.field as string), entry.value);
  return filter.operator === 'or' ? entries.some(test) : entries.every(test);
}

export interface SortSpec {
  field: string;
  direction: 'asc' | 'desc';
}

export function parseSort(sort: unknown): SortSpec[] {
  if (sort === undefined || sort === null) return [];
  if (!Array.isArray(sort)) throw smartsuiteErrors.badRequest({ sort: ['Expected a list of sort objects.'] });
  return sort.map((entry) => {
    if (!isObject(entry) || typeof entry.field !== 'string') {
      throw smartsuiteErrors.badRequest({ sort: ['Each sort needs "field".'] });
    }
    return { field: entry.field, direction: entry.direction === 'desc' ? 'desc' : 'asc' };
  });
}

/** Orders by each sort key in turn (empty values last); ties keep creation order. */
export function compareBySort(sort: SortSpec[], a: ValueOf, b: ValueOf): number {
  for (const { field, direction } of sort) {
    const left = a(field);
    const right = b(field);
    if (empty(left) && empty(right)) continue;
    if (empty(left)) return 1;
    if (empty(right)) return -1;
    const l = isObject(left) ? text(left.on ?? left.date ?? left) : left;
    const r = isObject(right) ? text(right.on ?? right.date ?? right) : right;
    const order = typeof l === 'number' && typeof r === 'number' ? l - r : text(l).localeCompare(text(r));
    if (order !== 0) return direction === 'desc' ? -order : order;
  }
  return 0;
}
