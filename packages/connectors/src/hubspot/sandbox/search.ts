// POST /crm/v3/objects/{type}/search: filterGroups (OR of groups, AND inside a group), sorts, limit,
// after (an offset) and properties. https://developers.hubspot.com/docs/guides/api/crm/search
// Limits enforced as HubSpot does: 5 groups, 6 filters per group, 18 filters in all, 100 values per
// IN, 200 objects per page, and no paging beyond 10 000 results.
import { HUBSPOT_MAX_IN_VALUES, HUBSPOT_MAX_SEARCH_PAGE, HUBSPOT_MAX_SEARCH_RESULTS } from '../limits.ts';
import { apiErrors } from './errors.ts';
import type { PropertyDefinition } from './properties.ts';
import type { StoredObject } from './store.ts';

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
  highValue?: unknown;
}

export interface SearchRequest {
  filterGroups?: { filters?: SearchFilter[] }[];
  sorts?: (string | { propertyName?: string; direction?: string })[];
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string | number;
}

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);

type Comparable = number | string;

/** Dates and numbers compare as numbers (dates given as epoch ms or ISO-8601), the rest case-insensitively. */
function comparable(definition: PropertyDefinition | undefined, value: unknown): Comparable | null {
  if (value === null || value === undefined || value === '') return null;
  const text = String(value);
  if (definition?.type === 'datetime' || definition?.type === 'date') {
    const ms = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  if (definition?.type === 'number') return Number(text);
  return text.toLowerCase();
}

function matches(object: StoredObject, filter: SearchFilter, definitions: Map<string, PropertyDefinition>): boolean {
  const definition = definitions.get(filter.propertyName);
  const actual = comparable(definition, object.properties[filter.propertyName]);
  const wanted = comparable(definition, filter.value);
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return actual !== null;
    case 'NOT_HAS_PROPERTY':
      return actual === null;
    case 'IN':
    case 'NOT_IN': {
      const set = new Set((filter.values ?? []).map((value) => comparable(definition, value)));
      const inside = actual !== null && set.has(actual);
      return filter.operator === 'IN' ? inside : !inside;
    }
    case 'NEQ':
      return actual !== wanted;
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const token = String(filter.value ?? '')
        .toLowerCase()
        .replace(/\*/g, '');
      const inside = typeof actual === 'string' && actual.includes(token);
      return filter.operator === 'CONTAINS_TOKEN' ? inside : !inside;
    }
  }
  if (actual === null || wanted === null) return false;
  switch (filter.operator) {
    case 'EQ':
      return actual === wanted;
    case 'LT':
      return actual < wanted;
    case 'LTE':
      return actual <= wanted;
    case 'GT':
      return actual > wanted;
    case 'GTE':
      return actual >= wanted;
    case 'BETWEEN': {
      const high = comparable(definition, filter.highValue);
      return high !== null && actual >= wanted && actual <= high;
    }
    default:
      return false;
  }
}

function validate(request: SearchRequest, definitions: Map<string, PropertyDefinition>): void {
  const groups = request.filterGroups ?? [];
  if (groups.length > 5)
    throw apiErrors.invalidInput('filterGroups: at most 5 filter groups are allowed', 'filterGroups');
  let total = 0;
  for (const group of groups) {
    const filters = group.filters ?? [];
    total += filters.length;
    if (filters.length > 6) throw apiErrors.invalidInput('filters: at most 6 filters per group are allowed', 'filters');
    for (const filter of filters) {
      if (!OPERATORS.has(filter.operator))
        throw apiErrors.invalidInput(`Unknown operator: ${String(filter.operator)}`, 'operator');
      if (!definitions.has(filter.propertyName))
        throw apiErrors.invalidInput(`Property "${filter.propertyName}" does not exist`, 'propertyName');
      if ((filter.values?.length ?? 0) > HUBSPOT_MAX_IN_VALUES) {
        throw apiErrors.invalidInput(`values: at most ${HUBSPOT_MAX_IN_VALUES} values are allowed`, 'values');
      }
    }
  }
  if (total > 18) throw apiErrors.invalidInput('at most 18 filters are allowed', 'filterGroups');
}

export interface SearchResult {
  total: number;
  results: StoredObject[];
  nextAfter: string | null;
}

export function searchObjects(
  objects: StoredObject[],
  request: SearchRequest,
  definitions: Map<string, PropertyDefinition>,
): SearchResult {
  validate(request, definitions);
  const limit = Number(request.limit ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > HUBSPOT_MAX_SEARCH_PAGE) {
    throw apiErrors.invalidInput(`limit must be between 1 and ${HUBSPOT_MAX_SEARCH_PAGE}`, 'limit');
  }
  const offset = request.after === undefined || request.after === '' ? 0 : Number(request.after);
  if (!Number.isInteger(offset) || offset < 0)
    throw apiErrors.invalidInput(`after must be a non-negative integer`, 'after');
  if (offset + limit > HUBSPOT_MAX_SEARCH_RESULTS) throw apiErrors.searchTooDeep(HUBSPOT_MAX_SEARCH_RESULTS);
  const groups = request.filterGroups ?? [];
  const query = request.query?.trim().toLowerCase();
  let found = objects.filter(
    (object) =>
      (groups.length === 0 ||
        groups.some((group) => (group.filters ?? []).every((filter) => matches(object, filter, definitions)))) &&
      (!query ||
        ['email', 'firstname', 'lastname', 'phone', 'company'].some((name) =>
          object.properties[name]?.toLowerCase().includes(query),
        )),
  );
  const sort = request.sorts?.[0];
  if (sort !== undefined) {
    const name = typeof sort === 'string' ? sort.replace(/^-/, '') : (sort.propertyName ?? 'hs_object_id');
    const descending = typeof sort === 'string' ? sort.startsWith('-') : sort.direction === 'DESCENDING';
    const definition = definitions.get(name);
    found = [...found].sort((a, b) => {
      const left = comparable(definition, a.properties[name]);
      const right = comparable(definition, b.properties[name]);
      // Objects without a value sort last; ties fall back to the id.
      const order =
        left === right ? Number(a.id) - Number(b.id) : left === null ? 1 : right === null ? -1 : left < right ? -1 : 1;
      return descending && left !== right && left !== null && right !== null ? -order : order;
    });
  }
  const results = found.slice(offset, offset + limit);
  const next = offset + limit;
  return { total: found.length, results, nextAfter: next < found.length ? String(next) : null };
}
