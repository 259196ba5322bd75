// The mapping editor's rows and the mapping-engine JSON they stand for (packages/connectors
// src/mapping/mapping.ts ZFieldMapping). The editor changes what it shows (local, external,
// direction, required, one transform); everything else a saved mapping holds is kept as it was.

export type TransformKind =
  | ''
  | 'string'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'json'
  | 'jsonata'
  | 'constant'
  | 'function'
  /** A transform the picker does not edit (enum map, lookup): kept as saved. */
  | 'other';

export const TRANSFORM_OPTIONS: { value: TransformKind; label: string }[] = [
  { value: '', label: 'None (as is)' },
  { value: 'string', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'boolean', label: 'Yes/no' },
  { value: 'date', label: 'Date (YYYY-MM-DD)' },
  { value: 'datetime', label: 'Date and time (ISO)' },
  { value: 'json', label: 'JSON' },
  { value: 'jsonata', label: 'JSONata expression' },
  { value: 'constant', label: 'Fixed value' },
  { value: 'function', label: 'Function' },
];

/** The mapping engine's registered functions (packages/connectors/src/mapping/transforms.ts). */
export const TRANSFORM_FUNCTIONS = [
  'splitName',
  'join',
  'now',
  'timeOfDay',
  'endTimeFromDuration',
  'isAllDay',
  'taskStatusToBool',
  'dateToTimestamp',
];

/** Which transform the picker edits: local → external for push resources, the reverse for pull ones. */
export type TransformSide = 'transform' | 'reverseTransform';

export interface MappingRow {
  /** Stable React key (rows move and are removed). */
  key: string;
  /** Local column or dot path; several separated by commas (functions that combine fields). */
  local: string;
  external: string;
  direction: 'both' | 'push' | 'pull';
  required: boolean;
  kind: TransformKind;
  expression: string;
  /** A fixed value as typed: JSON when it parses (42, true, "x"), text otherwise. */
  constant: string;
  functionName: string;
  /** The saved transform when `kind` is 'other' or 'function' (its options), kept as is. */
  saved: Record<string, unknown> | null;
  /** The rest of the saved mapping (reverse transform, default, volatile, …). */
  rest: Record<string, unknown>;
}

let counter = 0;
export function rowKey(): string {
  counter += 1;
  return `row-${counter}`;
}

export function emptyRow(): MappingRow {
  return {
    key: rowKey(),
    local: '',
    external: '',
    direction: 'both',
    required: false,
    kind: '',
    expression: '',
    constant: '',
    functionName: TRANSFORM_FUNCTIONS[0] ?? '',
    saved: null,
    rest: {},
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(transform: Record<string, unknown> | null): TransformKind {
  if (!transform) return '';
  switch (transform.type) {
    case 'date':
      return transform.format === 'date' ? 'date' : 'datetime';
    case 'string':
    case 'number':
    case 'boolean':
    case 'json':
    case 'jsonata':
    case 'constant':
    case 'function':
      return transform.type;
    default:
      return 'other';
  }
}

/** A saved mapping (unknown JSON) as an editor row. */
export function rowFromMapping(mapping: unknown, side: TransformSide): MappingRow {
  const m = isRecord(mapping) ? mapping : {};
  const { local, external, direction, required, [side]: transformValue, ...rest } = m;
  const transform = isRecord(transformValue) ? transformValue : null;
  const kind = kindOf(transform);
  return {
    key: rowKey(),
    local: Array.isArray(local) ? local.map(String).join(', ') : typeof local === 'string' ? local : '',
    external: typeof external === 'string' ? external : '',
    direction: direction === 'push' || direction === 'pull' ? direction : 'both',
    required: required === true,
    kind,
    expression: kind === 'jsonata' ? String(transform?.expression ?? '') : '',
    constant:
      kind === 'constant'
        ? typeof transform?.value === 'string'
          ? transform.value
          : JSON.stringify(transform?.value ?? null)
        : '',
    functionName: kind === 'function' ? String(transform?.name ?? '') : (TRANSFORM_FUNCTIONS[0] ?? ''),
    saved: kind === 'other' || kind === 'function' ? transform : null,
    rest,
  };
}

export function rowsFromMappings(mappings: unknown, side: TransformSide): MappingRow[] {
  return Array.isArray(mappings) ? mappings.map((mapping) => rowFromMapping(mapping, side)) : [];
}

function constantValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function transformOf(row: MappingRow): Record<string, unknown> | null {
  switch (row.kind) {
    case '':
      return null;
    case 'date':
      return { type: 'date', format: 'date' };
    case 'datetime':
      return { type: 'date', format: 'datetime' };
    case 'jsonata':
      return { type: 'jsonata', expression: row.expression };
    case 'constant':
      return { type: 'constant', value: constantValue(row.constant) };
    case 'function':
      return {
        type: 'function',
        name: row.functionName,
        options: row.saved?.name === row.functionName && isRecord(row.saved.options) ? row.saved.options : {},
      };
    case 'other':
      return row.saved;
    default:
      return { type: row.kind };
  }
}

/** An editor row as mapping-engine JSON (what resources.update and previewMapping take). */
export function mappingFromRow(row: MappingRow, side: TransformSide): Record<string, unknown> {
  const mapping: Record<string, unknown> = { ...row.rest };
  const locals = row.local
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (locals.length === 1) mapping.local = locals[0];
  else if (locals.length > 1) mapping.local = locals;
  mapping.external = row.external.trim();
  if (row.direction !== 'both') mapping.direction = row.direction;
  if (row.required) mapping.required = true;
  const transform = transformOf(row);
  if (transform) mapping[side] = transform;
  return mapping;
}

export function mappingsFromRows(rows: MappingRow[], side: TransformSide): Record<string, unknown>[] {
  return rows.map((row) => mappingFromRow(row, side));
}

/** The checks the browser makes before saving (the server checks the columns against the table). */
export function checkRow(row: MappingRow): string | null {
  if (!row.external.trim()) return 'Enter the field in the tool.';
  const standsAlone = row.kind === 'constant' || row.kind === 'jsonata' || row.kind === 'function';
  if (!row.local.trim() && !standsAlone) return 'Enter a column, or choose a fixed value or an expression.';
  if (row.kind === 'jsonata' && !row.expression.trim()) return 'Enter the JSONata expression.';
  return null;
}

/** A suggestion's transform by the discovered field type (dates as dates, numbers as numbers). */
export function suggestedKind(type: string): TransformKind {
  if (type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'date') return 'date';
  if (type === 'datetime') return 'datetime';
  return '';
}
