// Pure Asana JSON ↔ contract shapes.
//
// A task becomes flat fields a mapping can name: name, notes, completed, completed_at, due_on,
// due_at, start_on, assignee (user gid), assignee_email, external ({ gid, data }), created_at,
// modified_at, permalink_url, and `custom_fields.<field name>` holding the value a person sees:
// the option name for enum fields, option names for multi_enum, text, or number.
//
// Writes take the same names. `assignee` may be a gid or an email (Asana accepts both), and
// `assignee_email` is sent as the assignee; custom fields are named by field name (or gid) and enum
// values by option name (or gid), translated with the project's field definitions. Read-only
// fields (created_at, modified_at, completed_at, permalink_url) are never sent.
import type { ExternalRecord, FieldDescriptor, FieldValue, Fields } from '../contract.ts';
import type { AsanaCustomFieldDefinition, AsanaCustomFieldValue, AsanaTask } from './client.ts';

/** What a read asks for (opt_fields): everything the fields above need, nothing more. */
export const ASANA_TASK_OPT_FIELDS = [
  'name',
  'notes',
  'completed',
  'completed_at',
  'due_on',
  'due_at',
  'start_on',
  'assignee.name',
  'assignee.email',
  'projects',
  'custom_fields.name',
  'custom_fields.type',
  'custom_fields.resource_subtype',
  'custom_fields.enum_value.name',
  'custom_fields.multi_enum_values.name',
  'custom_fields.text_value',
  'custom_fields.number_value',
  'external',
  'created_at',
  'modified_at',
  'permalink_url',
] as const;

const STANDARD_WRITABLE = new Set(['name', 'notes', 'completed', 'due_on', 'due_at', 'start_on', 'assignee']);
const READ_ONLY = new Set([
  'created_at',
  'modified_at',
  'completed_at',
  'permalink_url',
  'gid',
  'external',
  'projects',
]);

function typeOf(field: { type?: string; resource_subtype?: string }): string {
  return field.resource_subtype ?? field.type ?? 'unknown';
}

function customValue(field: AsanaCustomFieldValue): FieldValue {
  switch (typeOf(field)) {
    case 'enum':
      return field.enum_value?.name ?? null;
    case 'multi_enum':
      return (field.multi_enum_values ?? []).map((option) => option.name);
    case 'text':
      return field.text_value ?? null;
    case 'number':
      return field.number_value ?? null;
    default:
      return field.display_value ?? null;
  }
}

export function modifiedAtMs(task: AsanaTask): number | null {
  const ms = task.modified_at ? Date.parse(task.modified_at) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
}

export function toExternalRecord(task: AsanaTask): ExternalRecord {
  const fields: Fields = {};
  for (const name of ['name', 'notes', 'completed', 'completed_at', 'due_on', 'due_at', 'start_on'] as const) {
    if (task[name] !== undefined) fields[name] = task[name] ?? null;
  }
  // Asana keeps "no notes" as ''; read it back as null like every other empty value.
  if (fields.notes === '') fields.notes = null;
  if (task.assignee !== undefined) {
    fields.assignee = task.assignee?.gid ?? null;
    fields.assignee_email = task.assignee?.email ?? null;
  }
  if (task.custom_fields) {
    const custom: Record<string, FieldValue> = {};
    for (const field of task.custom_fields) custom[field.name ?? field.gid] = customValue(field);
    fields.custom_fields = custom;
  }
  fields.external = task.external ? { gid: task.external.gid ?? null, data: task.external.data ?? null } : null;
  for (const name of ['created_at', 'modified_at', 'permalink_url'] as const) {
    if (task[name] !== undefined) fields[name] = task[name] ?? null;
  }
  return { id: task.gid, fields, updatedAt: task.modified_at ?? null };
}

/** A value that cannot be written as asked: the item fails alone with this message. */
export class AsanaFieldError extends Error {
  override name = 'AsanaFieldError';
}

function findField(definitions: AsanaCustomFieldDefinition[], key: string): AsanaCustomFieldDefinition | undefined {
  return (
    definitions.find((field) => field.gid === key) ??
    definitions.find((field) => field.name === key) ??
    definitions.find((field) => field.name.toLowerCase() === key.toLowerCase())
  );
}

function optionGid(field: AsanaCustomFieldDefinition, value: FieldValue): string {
  const wanted = String(value);
  const options = (field.enum_options ?? []).filter((option) => option.enabled !== false);
  const option =
    options.find((candidate) => candidate.gid === wanted) ??
    options.find((candidate) => candidate.name === wanted) ??
    options.find((candidate) => candidate.name.toLowerCase() === wanted.toLowerCase());
  if (!option) {
    throw new AsanaFieldError(
      `custom field "${field.name}" has no option "${wanted}" (options: ${options.map((o) => o.name).join(', ')})`,
    );
  }
  return option.gid;
}

/** One custom field value in the shape Asana writes it: option gid(s), text or number. */
function customWriteValue(field: AsanaCustomFieldDefinition, value: FieldValue): FieldValue {
  if (value === null || value === '') return null;
  switch (typeOf(field)) {
    case 'enum':
      return optionGid(field, value);
    case 'multi_enum':
      return (Array.isArray(value) ? value : String(value).split(/\s*[,;]\s*/)).map((item) => optionGid(field, item));
    case 'text':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'number': {
      const number = Number(value);
      if (!Number.isFinite(number))
        throw new AsanaFieldError(`custom field "${field.name}" needs a number, got "${String(value)}"`);
      return number;
    }
    default:
      throw new AsanaFieldError(`custom field "${field.name}" (${typeOf(field)}) cannot be written`);
  }
}

/**
 * Contract fields → the `data` of POST/PUT /tasks. `definitions` are the project's custom fields
 * (needed only when `custom_fields` is written); throws AsanaFieldError for a value Asana would
 * refuse, naming it.
 */
export function toAsanaTaskData(
  fields: Fields,
  definitions: AsanaCustomFieldDefinition[] | null,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (STANDARD_WRITABLE.has(name)) {
      data[name] = name === 'notes' && value === null ? '' : value;
    } else if (name === 'assignee_email') {
      if (fields.assignee === undefined) data.assignee = value === '' ? null : value;
    } else if (name === 'custom_fields') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new AsanaFieldError('custom_fields must be an object of field name → value');
      }
      const custom: Record<string, FieldValue> = {};
      for (const [key, item] of Object.entries(value)) {
        const field = definitions ? findField(definitions, key) : undefined;
        if (!field) throw new AsanaFieldError(`custom field "${key}" is not on this project`);
        custom[field.gid] = customWriteValue(field, item);
      }
      if (Object.keys(custom).length > 0) data.custom_fields = custom;
    } else if (!READ_ONLY.has(name)) {
      // Anything else goes as named: Asana refuses what it does not know, and the item fails alone.
      data[name] = value;
    }
  }
  return data;
}

/** Whether writing these fields needs the project's custom field definitions. */
export function writesCustomFields(fields: Fields): boolean {
  const custom = fields.custom_fields;
  return custom !== undefined && custom !== null && typeof custom === 'object' && Object.keys(custom).length > 0;
}

const STANDARD_DESCRIPTORS: FieldDescriptor[] = [
  { name: 'name', type: 'string', required: true },
  { name: 'notes', type: 'string' },
  { name: 'completed', type: 'boolean' },
  { name: 'due_on', type: 'date' },
  { name: 'due_at', type: 'datetime' },
  { name: 'start_on', type: 'date' },
  { name: 'assignee', type: 'string' },
  { name: 'assignee_email', type: 'string' },
  { name: 'completed_at', type: 'datetime' },
  { name: 'created_at', type: 'datetime' },
  { name: 'modified_at', type: 'datetime' },
  { name: 'permalink_url', type: 'string' },
];

export function toFieldDescriptors(definitions: AsanaCustomFieldDefinition[]): FieldDescriptor[] {
  const custom = definitions.map((field): FieldDescriptor => {
    const name = `custom_fields.${field.name}`;
    const options = (field.enum_options ?? [])
      .filter((option) => option.enabled !== false)
      .map((option) => option.name);
    switch (typeOf(field)) {
      case 'enum':
        return { name, type: 'enum', options };
      case 'multi_enum':
        return { name, type: 'array', options };
      case 'number':
        return { name, type: 'number' };
      case 'text':
        return { name, type: 'string' };
      case 'date':
        return { name, type: 'date' };
      default:
        return { name, type: 'unknown' };
    }
  });
  return [...STANDARD_DESCRIPTORS, ...custom];
}
