import { useRef, useState, type FormEvent } from 'react';
import { Button } from '../Button.tsx';
import { apiErrorOf } from './api-errors.ts';
import { lowerFirst, type DirectionName, type IntegrationTypeInfo } from './catalog.ts';
import { TextField } from './FormField.tsx';
import { trpc, type RouterOutputs } from '../../trpc.ts';

/** The part of a resource an admin chooses when adding one: which table syncs with which object. */
export interface ResourceDraft {
  localTable: string;
  localKeyColumn: string;
  externalObject: string;
  externalKeyField: string;
  /** Empty: the table's name. */
  name: string;
  /** The type's resource options (catalog `resourceOptions`): Trello's list for new cards, … */
  options: Record<string, string>;
}

export type ResourceField = Exclude<keyof ResourceDraft, 'options'>;
export type ResourceErrors = Partial<Record<ResourceField | `options.${string}`, string>>;

export const EMPTY_RESOURCE: ResourceDraft = {
  localTable: '',
  localKeyColumn: 'id',
  externalObject: '',
  externalKeyField: '',
  name: '',
  options: {},
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const FIELDS: ResourceField[] = ['localTable', 'localKeyColumn', 'externalObject', 'externalKeyField', 'name'];

/** The checks the browser can make before asking the server (which also checks the live schema). */
export function checkResource(draft: ResourceDraft, info?: IntegrationTypeInfo): ResourceErrors {
  const errors: ResourceErrors = {};
  if (!draft.localTable.trim()) errors.localTable = 'Enter the table to sync.';
  else if (!IDENTIFIER.test(draft.localTable.trim()))
    errors.localTable = 'Use the table’s name: letters, digits and underscores.';
  if (!draft.localKeyColumn.trim()) errors.localKeyColumn = 'Enter the column that identifies a row.';
  else if (!IDENTIFIER.test(draft.localKeyColumn.trim()))
    errors.localKeyColumn = 'Use the column’s name: letters, digits and underscores.';
  if (!draft.externalObject.trim()) errors.externalObject = 'Enter what to sync with in the tool.';
  for (const option of info?.resourceOptions ?? []) {
    if (option.required && !draft.options[option.key]?.trim())
      errors[`options.${option.key}`] = `Enter the ${lowerFirst(option.label)}.`;
  }
  return errors;
}

/** resources.create's input for a draft. */
export function resourceInput(integrationId: string, draft: ResourceDraft, direction: DirectionName) {
  const table = draft.localTable.trim();
  const name = draft.name.trim() || table;
  const options = Object.fromEntries(
    Object.entries(draft.options)
      .map(([key, value]) => [key, value.trim()] as const)
      .filter(([, value]) => value !== ''),
  );
  return {
    integrationId,
    name,
    resourceType: table.toUpperCase().slice(0, 50),
    localTable: table,
    localKeyColumn: draft.localKeyColumn.trim(),
    externalObject: draft.externalObject.trim(),
    externalKeyField: draft.externalKeyField.trim() || null,
    direction,
    fieldMappings: [],
    ...(Object.keys(options).length ? { options } : {}),
  };
}

/** The server's per-field messages for a resource form (unknown fields go to `form`). */
export function resourceErrorsOf(error: { message: string; data?: unknown }): {
  fields: ResourceErrors;
  form: string | null;
} {
  const parsed = apiErrorOf(error);
  const fields: ResourceErrors = {};
  const other: string[] = [];
  for (const [field, messages] of Object.entries(parsed?.fields ?? {})) {
    const key = field === 'resourceType' ? 'name' : field;
    if ((FIELDS as string[]).includes(key)) fields[key as ResourceField] = messages[0];
    else other.push(...messages);
  }
  const form = other.length ? other.join(' ') : Object.keys(fields).length ? null : (parsed?.message ?? null);
  return { fields, form };
}

/** The fields of a resource, controlled by the caller (the wizard keeps them in its draft). */
export function ResourceFields({
  idPrefix,
  info,
  value,
  onChange,
  errors,
}: {
  idPrefix: string;
  info: IntegrationTypeInfo | undefined;
  value: ResourceDraft;
  onChange: (next: ResourceDraft) => void;
  errors: ResourceErrors;
}) {
  const set = (field: ResourceField) => (event: { target: { value: string } }) =>
    onChange({ ...value, [field]: event.target.value });
  return (
    <div className="field-grid">
      <TextField
        id={`${idPrefix}-local-table`}
        name="localTable"
        label="Postgres table"
        hint="A table (or view) in the application database, e.g. profiles."
        value={value.localTable}
        onChange={set('localTable')}
        error={errors.localTable}
      />
      <TextField
        id={`${idPrefix}-key-column`}
        name="localKeyColumn"
        label="Key column"
        hint="The column that identifies a row, usually id."
        value={value.localKeyColumn}
        onChange={set('localKeyColumn')}
        error={errors.localKeyColumn}
      />
      <TextField
        id={`${idPrefix}-external-object`}
        name="externalObject"
        label={info?.externalObject.label ?? 'External object'}
        hint={info?.externalObject.hint}
        value={value.externalObject}
        onChange={set('externalObject')}
        error={errors.externalObject}
      />
      <TextField
        id={`${idPrefix}-external-key`}
        name="externalKeyField"
        label={info?.externalKeyField.label ?? 'Key field'}
        hint={info?.externalKeyField.hint}
        optional
        value={value.externalKeyField}
        onChange={set('externalKeyField')}
        error={errors.externalKeyField}
      />
      <TextField
        id={`${idPrefix}-name`}
        name="name"
        label="Resource name"
        hint="How logs and filters name it; the table’s name when left empty."
        optional
        value={value.name}
        onChange={set('name')}
        error={errors.name}
      />
      {info?.resourceOptions?.map((option) => (
        <TextField
          key={option.key}
          id={`${idPrefix}-option-${option.key}`}
          name={`options.${option.key}`}
          label={option.label}
          hint={option.hint}
          optional={!option.required}
          value={value.options[option.key] ?? ''}
          onChange={(event) => onChange({ ...value, options: { ...value.options, [option.key]: event.target.value } })}
          error={errors[`options.${option.key}`]}
        />
      ))}
    </div>
  );
}

export type CreatedResource = RouterOutputs['resources']['create'];

/** A form adding one resource to an integration (the Mappings tab, or a retry after the wizard). */
export function AddResourceForm({
  integrationId,
  info,
  direction,
  initial = EMPTY_RESOURCE,
  initialErrors = {},
  initialFormError = null,
  onCreated,
}: {
  integrationId: string;
  info: IntegrationTypeInfo | undefined;
  direction: DirectionName;
  initial?: ResourceDraft;
  initialErrors?: ResourceErrors;
  initialFormError?: string | null;
  onCreated: (resource: CreatedResource) => void;
}) {
  const form = useRef<HTMLFormElement>(null);
  const [value, setValue] = useState(initial);
  const [errors, setErrors] = useState<ResourceErrors>(initialErrors);
  const [formError, setFormError] = useState<string | null>(initialFormError);
  const focusFirst = (found: ResourceErrors) => {
    const first = [...FIELDS, ...Object.keys(found)].find((field) => found[field as keyof ResourceErrors]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  };
  const create = trpc.resources.create.useMutation({
    onSuccess: (resource) => {
      setErrors({});
      setFormError(null);
      onCreated(resource);
    },
    onError: (error) => {
      const parsed = resourceErrorsOf(error);
      setErrors(parsed.fields);
      setFormError(parsed.form);
      focusFirst(parsed.fields);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkResource(value, info);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) return focusFirst(found);
    create.mutate(resourceInput(integrationId, value, direction));
  };
  return (
    <form ref={form} className="form" onSubmit={submit} noValidate>
      {formError ? (
        <p role="alert" className="form-error">
          {formError}
        </p>
      ) : null}
      <ResourceFields idPrefix="add-resource" info={info} value={value} onChange={setValue} errors={errors} />
      <div className="form__actions">
        <Button type="submit" requires="ADMIN" busy={create.isPending}>
          Add resource
        </Button>
      </div>
    </form>
  );
}
