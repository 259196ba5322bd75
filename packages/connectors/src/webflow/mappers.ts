// Pure Webflow JSON ↔ contract shapes. Records are items: `id`, `fields` = `fieldData` (keyed by
// field slug), `updatedAt` = `lastUpdated`.
import type { ExternalRecord, FieldDescriptor, Fields, FieldValue, UpsertItem } from '../contract.ts';
import type { TWebflowField, TWebflowItem } from './api-types.ts';

export function toExternalRecord(item: TWebflowItem): ExternalRecord {
  return { id: item.id, fields: { ...(item.fieldData as Fields) }, updatedAt: item.lastUpdated ?? null };
}

/** Webflow slugs: lowercase letters, digits, hyphens and underscores; no leading or trailing hyphen. */
export function toWebflowSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 255);
}

/**
 * `fieldData` for a create: the mapped fields, our key in the key field, and a slug derived from
 * `name` when the mapping gave none (Webflow requires both `name` and `slug`).
 */
export function webflowFieldDataForCreate(item: UpsertItem, keyField?: string | null): Record<string, FieldValue> {
  const fieldData: Record<string, FieldValue> = { ...item.fields };
  if (keyField) fieldData[keyField] = item.internalId;
  const slug = fieldData.slug;
  if ((slug === undefined || slug === null || slug === '') && typeof fieldData.name === 'string') {
    const derived = toWebflowSlug(fieldData.name);
    if (derived) fieldData.slug = derived;
  }
  return fieldData;
}

const FIELD_TYPES: Record<string, FieldDescriptor['type']> = {
  PlainText: 'string',
  RichText: 'string',
  Email: 'string',
  Phone: 'string',
  Link: 'string',
  VideoLink: 'string',
  Color: 'string',
  Number: 'number',
  Switch: 'boolean',
  DateTime: 'datetime',
  Option: 'enum',
  Reference: 'string',
  MultiReference: 'array',
  Image: 'json',
  MultiImage: 'array',
  File: 'json',
  ExtFileRef: 'json',
};

function optionNames(field: TWebflowField): string[] | undefined {
  const options = field.validations?.options;
  if (!Array.isArray(options)) return undefined;
  const names = options
    .map((option) => (option && typeof option === 'object' ? (option as { name?: unknown }).name : undefined))
    .filter((name): name is string => typeof name === 'string');
  return names.length > 0 ? names : undefined;
}

/** Collection fields → descriptors named by slug (the key used in `fieldData`). */
export function toFieldDescriptors(fields: readonly TWebflowField[]): FieldDescriptor[] {
  return fields.map((field) => {
    const descriptor: FieldDescriptor = {
      name: field.slug ?? field.displayName,
      type: FIELD_TYPES[field.type] ?? 'unknown',
      required: field.isRequired,
    };
    const options = field.type === 'Option' ? optionNames(field) : undefined;
    if (options) descriptor.options = options;
    return descriptor;
  });
}
