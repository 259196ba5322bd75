// A vendor record (as listed, fetched, written or carried by a webhook) → the contract's
// ExternalRecord, following the definition's record section; and the reverse for writes.
import type { ExternalRecord, Fields, ResourceRef, UpsertItem } from '../contract.ts';
import { getPath, setPath } from '../mapping/paths.ts';
import type { DeclarativeDefinition } from './definition.ts';
import { parseTime, toIso } from './time.ts';

export interface ParsedRecord {
  id: string;
  deleted: boolean;
  /** updated-at in ms (null: the API does not say). */
  updatedMs: number | null;
  /** updated-at exactly as the API wrote it (for `raw` since values). */
  updatedRaw: string | null;
  record: ExternalRecord;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function idText(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function parseRecord(
  definition: DeclarativeDefinition,
  raw: unknown,
  keyField?: string | null,
): ParsedRecord | null {
  if (!isObject(raw)) return null;
  const spec = definition.record;
  const id = idText(getPath(raw, spec.idPath));
  if (id === null) return null;
  const source = spec.fieldsPath ? getPath(raw, spec.fieldsPath) : raw;
  const fields = (isObject(source) ? structuredClone(source) : {}) as Fields;
  for (const name of spec.omitFields) delete fields[name];
  for (const pivot of spec.pivots) {
    const list = getPath(fields, pivot.path);
    if (!Array.isArray(list)) continue;
    const object: Fields = {};
    for (const entry of list) {
      if (!isObject(entry)) continue;
      const name = idText(entry[pivot.keyField]);
      if (name !== null) object[name] = (entry[pivot.valueField] ?? null) as Fields[string];
    }
    setPath(fields, pivot.path, object);
  }
  if (keyField && spec.keyPath) {
    const key = getPath(raw, spec.keyPath);
    if (key !== null && key !== undefined) fields[keyField] = key as Fields[string];
  }
  const updatedValue = spec.updatedAtPath ? getPath(raw, spec.updatedAtPath) : undefined;
  const updatedMs = spec.updatedAtPath ? parseTime(updatedValue, spec.updatedAtFormat) : null;
  const deletedValue = spec.deletedPath ? getPath(raw, spec.deletedPath) : undefined;
  return {
    id,
    deleted: Boolean(deletedValue),
    updatedMs,
    updatedRaw: updatedValue === undefined || updatedValue === null ? null : String(updatedValue),
    record: { id, fields, updatedAt: toIso(updatedMs) },
  };
}

export interface PreparedWrite {
  item: UpsertItem;
  /** Fields to send (the key moved out when the API keeps it apart). */
  fields: Fields;
  /** Our internal id as the record's key, on creates of resources with a key field. */
  key: string | undefined;
}

/**
 * Where our internal id goes on a create: the API's own key slot (record.keyPath, e.g. the
 * generic API's `key`) or else the resource's key field as an ordinary field (a custom field such
 * as Salesforce `Syncbridge_Id__c`), so a create whose response was lost can be found again.
 */
export function prepareWrite(
  definition: DeclarativeDefinition,
  resource: ResourceRef,
  item: UpsertItem,
): PreparedWrite {
  const fields = structuredClone(item.fields);
  const keyField = resource.keyField ?? null;
  let key: string | undefined;
  if (keyField && definition.record.keyPath) {
    delete fields[keyField];
    if (item.externalId === null) key = item.internalId;
  } else if (keyField && item.externalId === null) {
    setPath(fields, keyField, item.internalId);
    key = item.internalId;
  }
  return { item, fields, key };
}
