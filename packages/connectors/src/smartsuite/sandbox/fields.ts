// Table fields as SmartSuite describes them in an application's `structure` (slug, label,
// field_type, params) and the per-type value checks the sandbox applies on writes. A subset of
// SmartSuite's field types: enough for the flows the connector serves.
// https://developers.smartsuite.com/docs/solution-data/fields

export type SmartSuiteFieldType =
  | 'recordtitlefield'
  | 'textfield'
  | 'textareafield'
  | 'emailfield'
  | 'linkfield'
  | 'numberfield'
  | 'currencyfield'
  | 'yesnofield'
  | 'datefield'
  | 'singleselectfield'
  | 'multipleselectfield';

export interface SmartSuiteFieldSpec {
  slug: string;
  label?: string;
  field_type?: SmartSuiteFieldType;
  required?: boolean;
  /** Select fields: the choices' labels (their values are derived ids). */
  choices?: string[];
}

export interface StoredField {
  slug: string;
  label: string;
  field_type: string;
  params: {
    required: boolean;
    primary?: boolean;
    system?: boolean;
    choices?: { value: string; label: string }[];
  };
}

/** The read-only fields every table has, as its structure lists them. */
export const SYSTEM_FIELDS: StoredField[] = [
  {
    slug: 'first_created',
    label: 'First Created',
    field_type: 'firstcreatedfield',
    params: { required: false, system: true },
  },
  {
    slug: 'last_updated',
    label: 'Last Updated',
    field_type: 'lastupdatedfield',
    params: { required: false, system: true },
  },
  {
    slug: 'autonumber',
    label: 'Auto Number',
    field_type: 'autonumberfield',
    params: { required: false, system: true },
  },
];

export function toStoredField(spec: SmartSuiteFieldSpec): StoredField {
  const type = spec.field_type ?? 'textfield';
  const field: StoredField = {
    slug: spec.slug,
    label: spec.label ?? spec.slug.replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase()),
    field_type: type,
    params: { required: spec.required ?? type === 'recordtitlefield' },
  };
  if (type === 'recordtitlefield') field.params.primary = true;
  if (type === 'singleselectfield' || type === 'multipleselectfield') {
    field.params.choices = (spec.choices ?? []).map((label, i) => ({ value: `${spec.slug}_${i + 1}`, label }));
  }
  return field;
}

/** SmartSuite leaves these out of records it returns. */
export function isEmptyValue(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    value === false ||
    (Array.isArray(value) && value.length === 0)
  );
}

const TEXT_TYPES = new Set(['recordtitlefield', 'textfield', 'textareafield', 'emailfield', 'linkfield']);

function choiceValue(field: StoredField, value: unknown): string | null {
  const choice = field.params.choices?.find((c) => c.value === value || c.label === value);
  return choice ? choice.value : null;
}

/** The value as stored, or the DRF-style message for a bad one. null/"" clear the field. */
export function normaliseFieldValue(field: StoredField, value: unknown): { value: unknown } | { error: string } {
  if (value === null || value === undefined) return { value: null };
  if (TEXT_TYPES.has(field.field_type)) {
    return typeof value === 'string' ? { value } : { error: 'Not a valid string.' };
  }
  switch (field.field_type) {
    case 'numberfield':
    case 'currencyfield': {
      if (value === '') return { value: null };
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
      return Number.isFinite(n) ? { value: n } : { error: 'A valid number is required.' };
    }
    case 'yesnofield':
      return typeof value === 'boolean' ? { value } : { error: 'Must be a valid boolean.' };
    case 'datefield': {
      const raw = typeof value === 'object' && value !== null ? (value as { date?: unknown }).date : value;
      if (raw === null || raw === '') return { value: null };
      const time = typeof raw === 'string' ? Date.parse(raw) : NaN;
      if (Number.isNaN(time)) return { error: 'Enter a valid date.' };
      const includeTime =
        typeof value === 'object' && value !== null
          ? (value as { include_time?: unknown }).include_time === true
          : false;
      return { value: { date: new Date(time).toISOString(), include_time: includeTime } };
    }
    case 'singleselectfield': {
      if (value === '') return { value: null };
      const chosen = choiceValue(field, value);
      return chosen ? { value: chosen } : { error: `"${String(value)}" is not a valid choice.` };
    }
    case 'multipleselectfield': {
      if (!Array.isArray(value)) return { error: 'Expected a list of items.' };
      const chosen = value.map((v) => choiceValue(field, v));
      const bad = value.find((_v, i) => chosen[i] === null);
      return bad === undefined ? { value: chosen } : { error: `"${String(bad)}" is not a valid choice.` };
    }
    default:
      return { value };
  }
}
