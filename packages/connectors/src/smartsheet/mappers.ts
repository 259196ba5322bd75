// Pure translations between Smartsheet API JSON and the connector contract. Cells refer to columns
// by id; records use column titles, the names people see and mappings use.
import type {
  ConnectorError,
  ExternalRecord,
  FieldDescriptor,
  FieldValue,
  Fields,
  ItemResult,
  ResourceRef,
  UpsertItem,
  WebhookChange,
} from '../contract.ts';
import type { TCallback, TCellValue, TColumn, TRow, TRowInput, TRowsResult } from './api-types.ts';
import { fromRowError } from './errors.ts';

export interface ColumnIndex {
  columns: TColumn[];
  byId: Map<number, TColumn>;
  byTitle: Map<string, TColumn>;
}

const normaliseTitle = (title: string) => title.trim().toLowerCase();

export function toColumnIndex(columns: readonly TColumn[]): ColumnIndex {
  const byTitle = new Map<string, TColumn>();
  for (const column of columns) if (!byTitle.has(column.title)) byTitle.set(column.title, column);
  return { columns: [...columns], byId: new Map(columns.map((column) => [column.id, column])), byTitle };
}

/** Exact title first, then ignoring case and surrounding spaces ("Email " still finds "Email"). */
export function findColumn(index: ColumnIndex, title: string): TColumn | undefined {
  const exact = index.byTitle.get(title);
  if (exact) return exact;
  const wanted = normaliseTitle(title);
  return index.columns.find((column) => normaliseTitle(column.title) === wanted);
}

/** ISO-8601, whether the API sent a string or epoch milliseconds. */
export function toIsoTimestamp(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return new Date(value).toISOString();
  return value;
}

/** Row ids are integers below 2^53; anything else cannot name a row. */
export function parseRowId(externalId: string): number | null {
  if (!/^\d{1,16}$/.test(externalId)) return null;
  const id = Number(externalId);
  return Number.isSafeInteger(id) ? id : null;
}

/** Row → record: every column's title, null for empty cells, so hashes see a stable shape. */
export function toExternalRecord(row: TRow, index: ColumnIndex): ExternalRecord {
  const fields: Fields = {};
  for (const column of index.columns) fields[column.title] = null;
  for (const cell of row.cells) {
    const column = index.byId.get(cell.columnId);
    if (column) fields[column.title] = cell.value ?? null;
  }
  return { id: String(row.id), fields, updatedAt: toIsoTimestamp(row.modifiedAt) };
}

const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Field value → cell value. Null clears the cell (Smartsheet clears with ""); DATE columns take
 * YYYY-MM-DD, so a full ISO timestamp keeps its date part; structures are sent as JSON text.
 */
export function toCellValue(value: FieldValue, column: TColumn): TCellValue {
  if (value === null) return '';
  if (typeof value === 'string') {
    const datetime = column.type === 'DATE' ? ISO_DATETIME.exec(value) : null;
    return datetime?.[1] ?? value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

export type RowInputOutcome = { ok: true; row: TRowInput } | { ok: false; error: ConnectorError };

/**
 * UpsertItem → Add Rows / Update Rows body row. Creates go to the bottom and carry the internal id
 * in the resource's key column (so findByKeys can recover a create whose response was lost);
 * updates name the row by id. A field whose column does not exist fails the item, naming it.
 */
export function smartsheetRowFromRecord(item: UpsertItem, index: ColumnIndex, resource: ResourceRef): RowInputOutcome {
  const fields: Fields = { ...item.fields };
  if (item.externalId === null && resource.keyField) fields[resource.keyField] = item.internalId;
  const cells: TRowInput['cells'] = [];
  const missing: string[] = [];
  const seen = new Set<number>();
  for (const [title, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const column = findColumn(index, title);
    if (!column) missing.push(title);
    else if (!seen.has(column.id)) {
      seen.add(column.id);
      cells.push({ columnId: column.id, value: toCellValue(value, column) });
    }
  }
  if (missing.length > 0) {
    const names = missing.map((title) => `'${title}'`).join(', ');
    return {
      ok: false,
      error: { kind: 'invalid', message: `sheet ${resource.object} has no column titled ${names}` },
    };
  }
  if (item.externalId === null) return { ok: true, row: { toBottom: true, cells } };
  const id = parseRowId(item.externalId);
  if (id === null) {
    return { ok: false, error: { kind: 'invalid', message: `'${item.externalId}' is not a Smartsheet row id` } };
  }
  return { ok: true, row: { id, cells } };
}

/**
 * Bulk result → one ItemResult per request row, in request order. `failedItems[].index` names the
 * failed rows; `result` lists the rows that succeeded, in request order.
 */
export function toRowResults(items: readonly { internalId: string }[], response: TRowsResult): ItemResult[] {
  const failures = new Map<number, ConnectorError>();
  for (const failed of response.failedItems ?? []) {
    if (failed.index !== undefined) failures.set(failed.index, fromRowError(failed.error));
  }
  const saved = [...response.result];
  return items.map((item, index): ItemResult => {
    const failure = failures.get(index);
    if (failure) return { internalId: item.internalId, ok: false, error: failure };
    const row = saved.shift();
    if (!row) {
      return {
        internalId: item.internalId,
        ok: false,
        error: { kind: 'retryable', message: 'Smartsheet answered without this row; its outcome is unknown' },
      };
    }
    return {
      internalId: item.internalId,
      ok: true,
      externalId: String(row.id),
      updatedAt: toIsoTimestamp(row.modifiedAt),
    };
  });
}

const FIELD_TYPES: Record<string, FieldDescriptor['type']> = {
  TEXT_NUMBER: 'string',
  CONTACT_LIST: 'string',
  DURATION: 'string',
  DATE: 'date',
  DATETIME: 'datetime',
  ABSTRACT_DATETIME: 'datetime',
  CHECKBOX: 'boolean',
  PICKLIST: 'enum',
  MULTI_PICKLIST: 'array',
  MULTI_CONTACT_LIST: 'array',
  PREDECESSOR: 'json',
};

export function toFieldDescriptors(columns: readonly TColumn[]): FieldDescriptor[] {
  return [...columns]
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
    .map((column) => {
      const descriptor: FieldDescriptor = { name: column.title, type: FIELD_TYPES[column.type] ?? 'unknown' };
      if (column.primary) descriptor.required = true;
      if (column.options && (column.type === 'PICKLIST' || column.type === 'MULTI_PICKLIST')) {
        descriptor.options = [...column.options];
      }
      return descriptor;
    });
}

const RANK: Record<WebhookChange['action'], number> = { updated: 0, created: 1, deleted: 2 };

/**
 * Skinny callback → one change per row (row and cell events folded together; deleted beats created
 * beats updated). Events whose changeAgent names `ownChangeAgent` are echoes of our own writes.
 */
export function toWebhookChanges(callback: TCallback, ownChangeAgent?: string | null): WebhookChange[] {
  const byRow = new Map<number, WebhookChange>();
  const object = callback.scopeObjectId === undefined ? undefined : String(callback.scopeObjectId);
  for (const event of callback.events) {
    const agents = (event.changeAgent ?? callback.changeAgent ?? '').split(',').map((agent) => agent.trim());
    if (ownChangeAgent && agents.includes(ownChangeAgent)) continue;
    let rowId: number | undefined;
    let action: WebhookChange['action'];
    if (event.objectType === 'row' && event.id !== undefined) {
      rowId = event.id;
      action = event.eventType === 'created' ? 'created' : event.eventType === 'deleted' ? 'deleted' : 'updated';
    } else if (event.objectType === 'cell' && event.rowId !== undefined) {
      rowId = event.rowId;
      action = 'updated';
    } else continue;
    const previous = byRow.get(rowId);
    const occurredAt = event.timestamp ?? callback.timestamp ?? null;
    if (!previous || RANK[action] > RANK[previous.action]) {
      byRow.set(rowId, { object, externalId: String(rowId), action, occurredAt });
    } else if (occurredAt && (!previous.occurredAt || occurredAt > previous.occurredAt)) {
      previous.occurredAt = occurredAt;
    }
  }
  return [...byRow.values()];
}
