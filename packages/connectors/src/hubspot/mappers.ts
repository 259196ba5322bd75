// Pure HubSpot JSON ↔ contract shapes. HubSpot keeps every property value as a string (numbers,
// booleans 'true'/'false', dates as epoch ms or ISO-8601, multi-selects ';'-joined) and clears a
// property when sent ''.
import type { ExternalRecord, FieldDescriptor, FieldValue, Fields } from '../contract.ts';
import type { HubSpotObject, HubSpotProperty } from './client.ts';

function isoOf(value: Date | string | undefined): string | null {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function updatedAtMs(object: HubSpotObject): number | null {
  const iso = isoOf(object.updatedAt);
  return iso ? Date.parse(iso) : null;
}

export function toExternalRecord(object: HubSpotObject): ExternalRecord {
  const fields: Fields = {};
  // HubSpot stores "no value" as an empty string (we write null that way too): read it back as null,
  // or every empty field would look changed on the next pull.
  for (const [name, value] of Object.entries(object.properties ?? {})) fields[name] = value === '' || value === undefined ? null : value;
  return { id: String(object.id), fields, updatedAt: isoOf(object.updatedAt) };
}

/** One contract value → HubSpot's string form. */
export function toHubSpotValue(value: FieldValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))
    return value.join(';');
  return JSON.stringify(value);
}

export function toHubSpotProperties(fields: Fields): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) properties[name] = toHubSpotValue(value);
  return properties;
}

/** Properties HubSpot computes itself: never written by us. */
export function isReadOnly(property: HubSpotProperty): boolean {
  return Boolean(property.modificationMetadata?.readOnlyValue || property.calculated);
}

export function toFieldDescriptor(property: HubSpotProperty): FieldDescriptor {
  const options = (property.options ?? []).filter((option) => !option.hidden).map((option) => option.value);
  switch (property.type) {
    case 'number':
      return { name: property.name, type: 'number' };
    case 'bool':
      return { name: property.name, type: 'boolean' };
    case 'date':
      return { name: property.name, type: 'date' };
    case 'datetime':
      return { name: property.name, type: 'datetime' };
    case 'enumeration':
      return property.fieldType === 'checkbox'
        ? { name: property.name, type: 'array', options }
        : { name: property.name, type: 'enum', options };
    case 'object_coordinates':
    case 'json':
      return { name: property.name, type: 'json' };
    case 'string':
    case 'phone_number':
      return { name: property.name, type: 'string' };
    default:
      return { name: property.name, type: 'unknown' };
  }
}

/** Visible properties as mapping suggestions (HubSpot requires none of them on create). */
export function toFieldDescriptors(properties: HubSpotProperty[]): FieldDescriptor[] {
  return properties.filter((property) => !property.hidden).map(toFieldDescriptor);
}
