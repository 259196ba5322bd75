// Checks a resource's configuration before it is saved: the engine's own schemas for mappings,
// conditions, merge rules and options, then the live schema (table, key column, every mapped and
// filtered column) through information_schema. Every problem is collected, each under the form
// field it belongs to, so an admin sees them all at once next to the fields.
import { z } from 'zod';
import type { ConflictStrategy, Database, DeletePolicy, SyncDirection, SyncFrequency } from '@syncbridge/db';
import {
  AppError,
  describeRelation,
  protectedRelationReason,
  ZCustomMergeRules,
  ZFieldMappings,
  ZResourceOptions,
  ZSyncConditions,
  type ColumnInfo,
  type FieldMapping,
} from '@syncbridge/engine';

/** A resource's settings with every default applied: what is validated and saved. */
export interface ResourceDraft {
  integrationId: string;
  name: string;
  resourceType: string;
  localSchema: string;
  localTable: string;
  localKeyColumn: string;
  externalObject: string;
  externalKeyField: string | null;
  direction: SyncDirection;
  frequency: SyncFrequency | null;
  conflictStrategy: ConflictStrategy | null;
  deletePolicy: DeletePolicy;
  fieldMappings: unknown;
  syncConditions: unknown;
  customMergeRules: unknown;
  options: unknown;
  enabled: boolean;
}

export interface FieldIssue {
  /** Form path: ['fieldMappings', 2, 'local'], ['localTable'], … */
  path: PropertyKey[];
  message: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A VALIDATION AppError carrying the issues as a ZodError (its cause), so the API can hand them to
 * forms as `zodError.fieldErrors`; the message names the first field.
 */
export function fieldValidationError(issues: FieldIssue[]): AppError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const message = first ? `${formPath(first.path) || 'resource'}: ${first.message}${more}` : 'Invalid resource.';
  // ZodRealError: the ZodError zod's own parse throws, which (unlike `new z.ZodError`) is an Error,
  // so tRPC keeps it as the cause instead of copying it into a plain object.
  const cause = new z.ZodRealError(
    issues.map((issue) => ({ code: 'custom' as const, path: issue.path, message: issue.message, input: undefined })),
  );
  return new AppError('VALIDATION', message, {
    cause,
    details: { issues: issues.map((issue) => ({ path: formPath(issue.path), message: issue.message })) },
  });
}

export function formPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** "Mapping 3 ("Due date")" for messages about one entry of a mapping list. */
export function mappingLabel(mappings: unknown, index: PropertyKey | undefined): string {
  if (typeof index !== 'number') return 'Mappings';
  const entry = Array.isArray(mappings) ? (mappings[index] as { external?: unknown } | undefined) : undefined;
  const external = typeof entry?.external === 'string' ? ` ("${entry.external.slice(0, 80)}")` : '';
  return `Mapping ${index + 1}${external}`;
}

/** zod issues of a nested value, re-rooted under a form field. */
function issuesUnder(field: string, error: z.ZodError, label?: (path: PropertyKey[]) => string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [field, ...issue.path];
    const where = label ? label(issue.path) : formPath(path);
    return { path, message: `${where}: ${issue.message}` };
  });
}

/** The mapping-list issues of `ZFieldMappings`, each naming the mapping and its sub-field. */
export function mappingIssues(mappings: unknown, error: z.ZodError, field = 'fieldMappings'): FieldIssue[] {
  return issuesUnder(field, error, ([index, ...rest]) => {
    const label = mappingLabel(mappings, index);
    return rest.length ? `${label}, ${formPath(rest)}` : label;
  });
}

export function localHeads(mapping: FieldMapping): string[] {
  const paths = mapping.local === undefined ? [] : Array.isArray(mapping.local) ? mapping.local : [mapping.local];
  // The first segment names the column (`owner.id` reads owner); a leading index names none.
  return paths.map((path) => /^[^.[\]]*/.exec(path)?.[0] ?? '').filter((head) => head !== '');
}

/** Columns of a table or view, or null when there is no such relation. */
export async function columnsOf(
  pool: Database['pool'],
  schema: string,
  table: string,
): Promise<Map<string, ColumnInfo> | null> {
  try {
    return await describeRelation(pool, schema, table);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** Throws a VALIDATION error listing every problem of the draft; `id` is the resource being updated. */
export async function validateResourceDraft(
  db: Pick<Database, 'prisma' | 'pool'>,
  draft: ResourceDraft,
  id?: string,
): Promise<{ mappings: FieldMapping[] }> {
  const issues: FieldIssue[] = [];
  const add = (path: PropertyKey[], message: string) => issues.push({ path, message });

  const clash = await db.prisma.syncResource.findFirst({
    where: { integrationId: draft.integrationId, name: draft.name, ...(id ? { NOT: { id } } : {}) },
    select: { id: true },
  });
  if (clash) add(['name'], `Another resource of this integration is already called "${draft.name}".`);

  const mappings = ZFieldMappings.safeParse(draft.fieldMappings);
  if (!mappings.success) issues.push(...mappingIssues(draft.fieldMappings, mappings.error));
  const conditions = ZSyncConditions.safeParse(draft.syncConditions ?? {});
  if (!conditions.success) issues.push(...issuesUnder('syncConditions', conditions.error));
  const options = ZResourceOptions.safeParse(draft.options ?? {});
  if (!options.success) issues.push(...issuesUnder('options', options.error));
  if (draft.customMergeRules !== null && draft.customMergeRules !== undefined) {
    const rules = ZCustomMergeRules.safeParse(draft.customMergeRules);
    if (!rules.success) issues.push(...issuesUnder('customMergeRules', rules.error));
  }
  if (draft.deletePolicy === 'CANCEL' && draft.direction !== 'PUSH' && options.success && !options.data.cancel) {
    add(
      ['options', 'cancel'],
      'options.cancel: a CANCEL delete policy needs the column and value that mark a row cancelled.',
    );
  }

  const names = { localSchema: draft.localSchema, localTable: draft.localTable, localKeyColumn: draft.localKeyColumn };
  const badNames = Object.entries(names).filter(([, value]) => !IDENTIFIER.test(value));
  for (const [field, value] of badNames) {
    add([field], `"${value.slice(0, 80)}" is not a valid name: use letters, digits and underscores.`);
  }
  if (badNames.length === 0) await checkLiveSchema(db.pool, draft, mappings.data, conditions.data, options.data, add);

  if (issues.length > 0) throw fieldValidationError(issues);
  return { mappings: mappings.data ?? [] };
}

async function checkLiveSchema(
  pool: Database['pool'],
  draft: ResourceDraft,
  mappings: FieldMapping[] | undefined,
  conditions: z.infer<typeof ZSyncConditions> | undefined,
  options: z.infer<typeof ZResourceOptions> | undefined,
  add: (path: PropertyKey[], message: string) => void,
): Promise<void> {
  const { localSchema: schema, localTable: table, localKeyColumn: key } = draft;
  // Syncbridge's own tables (users, sessions, credentials, …) and system schemas are never synced.
  const protectedTable = protectedRelationReason(schema, table);
  if (protectedTable) {
    add(['localTable'], `Table ${schema}.${table} cannot be synced: ${protectedTable}.`);
    return;
  }
  const protectedView = options?.readView ? protectedRelationReason(schema, options.readView) : null;
  if (protectedView) add(['options', 'readView'], `options.readView: ${protectedView}.`);
  const tableColumns = await columnsOf(pool, schema, table);
  if (!tableColumns) {
    add(['localTable'], `Table ${schema}.${table} does not exist.`);
    return;
  }
  const tableName = `${schema}.${table}`;
  if (!tableColumns.has(key)) add(['localKeyColumn'], `Column "${key}" does not exist on ${tableName}.`);

  let readColumns = tableColumns;
  let readName = tableName;
  if (options?.readView) {
    const view = await columnsOf(pool, schema, options.readView);
    if (!view) add(['options', 'readView'], `options.readView: ${schema}.${options.readView} does not exist.`);
    else {
      readColumns = view;
      readName = `${schema}.${options.readView}`;
      if (!view.has(key)) add(['options', 'readView'], `options.readView: ${readName} has no key column "${key}".`);
    }
  }

  const pulls = draft.direction !== 'PUSH';
  mappings?.forEach((mapping, index) => {
    const label = mappingLabel(draft.fieldMappings, index);
    for (const column of localHeads(mapping)) {
      if (!readColumns.has(column)) {
        add(['fieldMappings', index, 'local'], `${label}: column "${column}" does not exist on ${readName}.`);
      } else if (pulls && mapping.direction !== 'push' && !Array.isArray(mapping.local) && !tableColumns.has(column)) {
        // Pulled values are written to the table itself, not to the read view.
        add(['fieldMappings', index, 'local'], `${label}: column "${column}" does not exist on ${tableName}.`);
      }
    }
  });

  for (const group of ['all', 'createOnly'] as const) {
    conditions?.[group].forEach((condition, index) => {
      if (!readColumns.has(condition.field)) {
        add(
          ['syncConditions', group, index, 'field'],
          `syncConditions.${group}.${index}: column "${condition.field}" does not exist on ${readName}.`,
        );
      }
    });
  }

  const tableChecks: [string, string | undefined][] = [
    ['updatedAtColumn', options?.updatedAtColumn],
    ['cancel', options?.cancel?.column],
    ['matchOn', options?.matchOn?.local],
  ];
  for (const [option, column] of tableChecks) {
    if (column && !tableColumns.has(column)) {
      add(['options', option], `options.${option}: column "${column}" does not exist on ${tableName}.`);
    }
  }
}
