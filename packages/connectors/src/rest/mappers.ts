// Pure translations between the records API's JSON and the connector contract's shapes.
import type {
  ConnectorError,
  ExternalRecord,
  FieldDescriptor,
  Fields,
  ItemResult,
  ResourceRef,
  UpsertItem,
  WebhookChange,
} from '../contract.ts';
import type { TApiRecord, TBatchInputItem, TBatchResult, TFieldInfo, TItemError, TWebhookEvent } from './api-types.ts';

/**
 * API record → ExternalRecord. The record's `key` (our internal id on records we created) is
 * exposed as `fields[keyField]` when the resource names a key field, so the engine reads it the
 * same way as on systems where the key is an ordinary column.
 */
export function toExternalRecord(record: TApiRecord, keyField?: string | null): ExternalRecord {
  const fields = { ...record.fields } as Fields;
  if (keyField && record.key != null) fields[keyField] = record.key;
  return { id: record.id, fields, updatedAt: record.updated_at };
}

/**
 * UpsertItem → batch item. Updates carry the id (PATCH semantics: only given fields change);
 * creates carry `key: internalId` when the resource has a key field, so a create whose response
 * was lost can be found again (findByKeys) or is refused as duplicate_key instead of doubled.
 */
export function toRestRecordInput(item: UpsertItem, resource: ResourceRef): TBatchInputItem {
  const fields: Record<string, unknown> = { ...item.fields };
  if (resource.keyField) delete fields[resource.keyField];
  if (item.externalId !== null) return { id: item.externalId, fields };
  return resource.keyField ? { key: item.internalId, fields } : { fields };
}

/** Item error codes the records API returns, as the engine's error classes. */
export function toItemError(error: TItemError, status?: number): ConnectorError {
  const kind =
    error.code === 'rate_limited' ? 'rate_limited' : error.code === 'internal_error' ? 'retryable' : 'invalid';
  return { kind, code: error.code, status, message: error.message ?? error.code };
}

export type UpsertOutcome =
  | { type: 'done'; result: ItemResult }
  /** Created before (a lost response, a retried job): the record exists under `existingId`. */
  | { type: 'duplicate'; existingId: string };

export function toUpsertOutcome(item: UpsertItem, result: TBatchResult): UpsertOutcome {
  if (result.ok) {
    return {
      type: 'done',
      result: { internalId: item.internalId, ok: true, externalId: result.id, updatedAt: result.updated_at ?? null },
    };
  }
  if (result.error.code === 'duplicate_key' && result.error.existing_id) {
    return { type: 'duplicate', existingId: result.error.existing_id };
  }
  return { type: 'done', result: { internalId: item.internalId, ok: false, error: toItemError(result.error, 422) } };
}

/** Deleting what is already gone is a success: deletes are retried after lost responses. */
export function toDeleteResult(internalId: string, externalId: string, result: TBatchResult): ItemResult {
  if (result.ok || result.error.code === 'not_found') return { internalId, ok: true, externalId };
  return { internalId, ok: false, error: toItemError(result.error) };
}

const FIELD_TYPES = new Set<FieldDescriptor['type']>([
  'string',
  'number',
  'boolean',
  'date',
  'datetime',
  'enum',
  'json',
  'array',
]);

export function toFieldDescriptors(fields: TFieldInfo[]): FieldDescriptor[] {
  return fields.map((field) => ({
    name: field.name,
    type: FIELD_TYPES.has(field.type as FieldDescriptor['type']) ? (field.type as FieldDescriptor['type']) : 'unknown',
    required: field.nullable === undefined ? undefined : !field.nullable,
  }));
}

const ACTIONS = { 'record.created': 'created', 'record.updated': 'updated', 'record.deleted': 'deleted' } as const;

export function toWebhookChange(event: TWebhookEvent, keyField?: string | null): WebhookChange {
  const action = ACTIONS[event.type];
  return {
    object: event.collection,
    externalId: event.record.id,
    action,
    occurredAt: event.occurred_at,
    record: action === 'deleted' ? undefined : toExternalRecord(event.record, keyField),
  };
}
