// Collection fields as Webflow describes them (id, isEditable, isRequired, type, slug, displayName,
// helpText, validations) and the per-type value checks the sandbox applies on writes.
// https://developers.webflow.com/data/reference/cms/collections/get

export type WebflowFieldType =
  | 'PlainText'
  | 'RichText'
  | 'Email'
  | 'Phone'
  | 'Link'
  | 'VideoLink'
  | 'Color'
  | 'Number'
  | 'Switch'
  | 'DateTime'
  | 'Option'
  | 'Reference'
  | 'MultiReference'
  | 'Image'
  | 'MultiImage'
  | 'File';

export interface WebflowFieldSpec {
  slug: string;
  displayName?: string;
  type?: WebflowFieldType;
  isRequired?: boolean;
  /** Option fields: the choices' names. */
  options?: string[];
}

export interface StoredField {
  id: string;
  isEditable: boolean;
  isRequired: boolean;
  type: WebflowFieldType;
  slug: string;
  displayName: string;
  helpText: string | null;
  validations: Record<string, unknown> | null;
}

export function toStoredField(spec: WebflowFieldSpec, newId: () => string): StoredField {
  const type = spec.type ?? 'PlainText';
  return {
    id: newId(),
    isEditable: true,
    isRequired: spec.isRequired ?? false,
    type,
    slug: spec.slug,
    displayName: spec.displayName ?? spec.slug.replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase()),
    helpText: null,
    validations:
      type === 'Option'
        ? { options: (spec.options ?? []).map((name) => ({ name, id: `${spec.slug}-${name}` })) }
        : null,
  };
}

const STRING_TYPES = new Set<WebflowFieldType>([
  'PlainText',
  'RichText',
  'Email',
  'Phone',
  'Link',
  'VideoLink',
  'Color',
  'Reference',
]);

/** A problem with one value, or null. null clears a field (required fields are checked separately). */
export function checkFieldValue(field: StoredField, value: unknown): string | null {
  if (value === null) return null;
  if (STRING_TYPES.has(field.type)) {
    return typeof value === 'string' ? null : `Expected a string for '${field.slug}' (${field.type})`;
  }
  switch (field.type) {
    case 'Number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `Expected a number for '${field.slug}'`;
    case 'Switch':
      return typeof value === 'boolean' ? null : `Expected a boolean for '${field.slug}'`;
    case 'DateTime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? null
        : `Expected an ISO 8601 date for '${field.slug}'`;
    case 'Option': {
      const options = (field.validations?.options ?? []) as { id: string; name: string }[];
      return typeof value === 'string' && options.some((option) => option.id === value || option.name === value)
        ? null
        : `'${String(value)}' is not an option of '${field.slug}'`;
    }
    case 'MultiReference':
    case 'MultiImage':
      return Array.isArray(value) ? null : `Expected an array for '${field.slug}'`;
    default:
      return null;
  }
}
