// Pure SmartSuite JSON ↔ contract shapes. A record's `fields` are the record as the API returns it
// (field slug → value, system fields such as first_created / last_updated included), `updatedAt` is
// `last_updated.on`. The API omits empty fields ("", [], false) from records.
import type { ExternalRecord, FieldDescriptor, Fields, FieldValue, UpsertItem } from '../contract.ts';
import type { TSmartSuiteField, TSmartSuiteRecord } from './api-types.ts';
import type { SmartSuiteRecordInput } from './client.ts';

export function toExternalRecord(record: TSmartSuiteRecord): ExternalRecord {
  return {
    id: record.id,
    fields: structuredClone(record) as Fields,
    updatedAt: record.last_updated?.on ?? null,
  };
}

/** Records in the trash carry a `deleted_date.date` (listed only with `all=true`). */
export function isDeleted(record: TSmartSuiteRecord): boolean {
  return typeof record.deleted_date?.date === 'string' && record.deleted_date.date !== '';
}

/** Fields SmartSuite computes itself; sending them is pointless (and `id` would be read as a target). */
const SYSTEM_FIELDS = new Set(['id', 'application_id', 'first_created', 'last_updated', 'deleted_date', 'autonumber']);

/** The body of one record in a create or update: the mapped fields plus our key in the key field. */
export function toSmartSuiteRecord(item: UpsertItem, keyField?: string | null): SmartSuiteRecordInput {
  const record: Record<string, FieldValue> = {};
  for (const [slug, value] of Object.entries(item.fields)) if (!SYSTEM_FIELDS.has(slug)) record[slug] = value;
  if (keyField) record[keyField] = item.internalId;
  return record;
}

const FIELD_TYPES: Record<string, FieldDescriptor['type']> = {
  recordtitlefield: 'string',
  textfield: 'string',
  textareafield: 'string',
  emailfield: 'string',
  phonefield: 'string',
  linkfield: 'string',
  numberfield: 'number',
  currencyfield: 'number',
  percentfield: 'number',
  ratingfield: 'number',
  yesnofield: 'boolean',
  datefield: 'date',
  firstcreatedfield: 'json',
  lastupdatedfield: 'json',
  duedatefield: 'json',
  daterangefield: 'json',
  richtextareafield: 'json',
  singleselectfield: 'enum',
  statusfield: 'enum',
  multipleselectfield: 'array',
  tagsfield: 'array',
  linkedrecordfield: 'array',
  userfield: 'array',
  autonumberfield: 'number',
};

/** An application's structure → descriptors named by field slug (the key records use). */
export function toFieldDescriptors(structure: readonly TSmartSuiteField[]): FieldDescriptor[] {
  return structure.map((field) => {
    const descriptor: FieldDescriptor = {
      name: field.slug,
      type: FIELD_TYPES[field.field_type] ?? 'unknown',
      required: field.params?.required === true,
    };
    const choices = field.params?.choices;
    if (choices && choices.length > 0) descriptor.options = choices.map((choice) => choice.label);
    return descriptor;
  });
}
