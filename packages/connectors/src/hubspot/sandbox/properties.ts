// Contact and task property definitions as GET /crm/v3/properties/{type} returns them, and the value
// checks HubSpot applies on writes (every value is stored as a string).
import type { PropertyProblem } from './errors.ts';

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined?: boolean;
  calculated: boolean;
  externalOptions: boolean;
  formField: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface PropertySpec {
  name: string;
  label?: string;
  type?: PropertyType;
  fieldType?: string;
  options?: string[];
  hasUniqueValue?: boolean;
  readOnly?: boolean;
  hubspotDefined?: boolean;
}

const FIELD_TYPES: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
};

/** Marker that fails any value containing it (as in the other sandboxes). */
export const INVALID_MARKER = '__invalid__';

export function defineProperty(spec: PropertySpec, order: number, at: string): PropertyDefinition {
  const type = spec.type ?? 'string';
  const options = type === 'bool' ? ['true', 'false'] : (spec.options ?? []);
  return {
    name: spec.name,
    label: spec.label ?? spec.name,
    type,
    fieldType: spec.fieldType ?? FIELD_TYPES[type],
    groupName: spec.hubspotDefined ? 'contactinformation' : 'syncbridge',
    description: '',
    options: options.map((value, index) => ({ label: value, value, displayOrder: index, hidden: false })),
    displayOrder: order,
    hasUniqueValue: spec.hasUniqueValue ?? false,
    hidden: false,
    ...(spec.hubspotDefined ? { hubspotDefined: true } : {}),
    calculated: false,
    externalOptions: false,
    formField: !spec.readOnly,
    modificationMetadata: {
      archivable: !spec.hubspotDefined,
      readOnlyDefinition: Boolean(spec.hubspotDefined),
      readOnlyValue: Boolean(spec.readOnly),
    },
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
}

/** The contact properties every portal has (a subset). */
export const DEFAULT_CONTACT_PROPERTIES: PropertySpec[] = [
  { name: 'email', label: 'Email', hubspotDefined: true, hasUniqueValue: true },
  { name: 'firstname', label: 'First Name', hubspotDefined: true },
  { name: 'lastname', label: 'Last Name', hubspotDefined: true },
  { name: 'phone', label: 'Phone Number', fieldType: 'phonenumber', hubspotDefined: true },
  { name: 'company', label: 'Company Name', hubspotDefined: true },
  {
    name: 'lifecyclestage',
    label: 'Lifecycle Stage',
    type: 'enumeration',
    fieldType: 'radio',
    hubspotDefined: true,
    options: [
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ],
  },
  { name: 'createdate', label: 'Create Date', type: 'datetime', hubspotDefined: true, readOnly: true },
  { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', hubspotDefined: true, readOnly: true },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', hubspotDefined: true, readOnly: true },
];

/**
 * The task properties every portal has (a subset; https://developers.hubspot.com/docs/api/crm/tasks).
 * Tasks name their system timestamps hs_createdate / hs_lastmodifieddate, and need hs_timestamp
 * (the due time) on create.
 */
export const DEFAULT_TASK_PROPERTIES: PropertySpec[] = [
  { name: 'hs_task_subject', label: 'Task Title', hubspotDefined: true },
  { name: 'hs_task_body', label: 'Notes', fieldType: 'html', hubspotDefined: true },
  {
    name: 'hs_task_status',
    label: 'Task Status',
    type: 'enumeration',
    hubspotDefined: true,
    options: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
  },
  {
    name: 'hs_task_priority',
    label: 'Priority',
    type: 'enumeration',
    hubspotDefined: true,
    options: ['NONE', 'LOW', 'MEDIUM', 'HIGH'],
  },
  {
    name: 'hs_task_type',
    label: 'Task Type',
    type: 'enumeration',
    hubspotDefined: true,
    options: ['TODO', 'CALL', 'EMAIL'],
  },
  { name: 'hs_timestamp', label: 'Due date', type: 'datetime', hubspotDefined: true },
  { name: 'hubspot_owner_id', label: 'Assigned to', hubspotDefined: true },
  { name: 'hs_createdate', label: 'Create Date', type: 'datetime', hubspotDefined: true, readOnly: true },
  { name: 'hs_lastmodifieddate', label: 'Last Modified Date', type: 'datetime', hubspotDefined: true, readOnly: true },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', hubspotDefined: true, readOnly: true },
];

/** How an object type names its system timestamps, what a create needs and what reads return by default. */
export interface ObjectTypeRules {
  createdProperty: string;
  modifiedProperty: string;
  required: string[];
  defaultRead: string[];
  alwaysRead: string[];
}

export const TASK_RULES: ObjectTypeRules = {
  createdProperty: 'hs_createdate',
  modifiedProperty: 'hs_lastmodifieddate',
  required: ['hs_timestamp'],
  defaultRead: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  alwaysRead: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Returned when a read names no properties. */
export const DEFAULT_READ_PROPERTIES = [
  'createdate',
  'email',
  'firstname',
  'hs_object_id',
  'lastmodifieddate',
  'lastname',
];
/** Always returned, whatever a read names. */
export const ALWAYS_READ_PROPERTIES = ['createdate', 'hs_object_id', 'lastmodifieddate'];

export const CONTACT_RULES: ObjectTypeRules = {
  createdProperty: 'createdate',
  modifiedProperty: 'lastmodifieddate',
  required: [],
  defaultRead: DEFAULT_READ_PROPERTIES,
  alwaysRead: ALWAYS_READ_PROPERTIES,
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function problem(name: string, error: string, message: string): PropertyProblem {
  return { name, error, message };
}

/**
 * Normalises one written value to HubSpot's string form, or says what is wrong with it. null and
 * '' clear the property.
 */
export function checkValue(
  definition: PropertyDefinition | undefined,
  name: string,
  value: unknown,
): { value: string | null } | { problem: PropertyProblem } {
  if (!definition) return { problem: problem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`) };
  if (definition.modificationMetadata.readOnlyValue) {
    return { problem: problem(name, 'READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`) };
  }
  if (value === null || value === '') return { value: value === null ? null : '' };
  if (typeof value === 'object') {
    return { problem: problem(name, 'INVALID_OPTION', `${JSON.stringify(value)} is not a valid value for ${name}`) };
  }
  const text = String(value);
  if (text.includes(INVALID_MARKER))
    return { problem: problem(name, 'INVALID_VALUE', `${text} was not a valid value for ${name}`) };
  switch (definition.type) {
    case 'number':
      return Number.isFinite(Number(text)) && text.trim() !== ''
        ? { value: text }
        : { problem: problem(name, 'INVALID_DECIMAL', `${text} was not a valid number.`) };
    case 'bool':
      return text === 'true' || text === 'false'
        ? { value: text }
        : { problem: problem(name, 'INVALID_OPTION', `${text} was not one of the allowed options: [true, false]`) };
    case 'enumeration': {
      const allowed = definition.options.map((option) => option.value);
      const values = definition.fieldType === 'checkbox' ? text.split(';') : [text];
      const bad = values.find((part) => !allowed.includes(part));
      return bad === undefined
        ? { value: text }
        : {
            problem: problem(
              name,
              'INVALID_OPTION',
              `${bad} was not one of the allowed options: [${allowed.join(', ')}]`,
            ),
          };
    }
    case 'date':
    case 'datetime': {
      // HubSpot takes epoch milliseconds (midnight UTC for dates) or ISO-8601.
      const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
      if (Number.isNaN(ms)) return { problem: problem(name, 'INVALID_DATE', `${text} is not a valid date`) };
      if (definition.type === 'date' && ms % 86_400_000 !== 0) {
        return {
          problem: problem(name, 'INVALID_DATE', `${text} is at ${new Date(ms).toISOString()} which is not midnight!`),
        };
      }
      return {
        value: definition.type === 'date' ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString(),
      };
    }
    default:
      if (name === 'email' && !EMAIL.test(text))
        return { problem: problem(name, 'INVALID_EMAIL', `Email address ${text} is invalid`) };
      return { value: text };
  }
}
