// The API's JSON for stored objects, and `opt_fields` selection
// (https://developers.asana.com/docs/inputoutput-options): without opt_fields a single object comes
// back in full and a collection in compact form ({ gid, resource_type, name, … }); with opt_fields
// only `gid` and the named paths are returned, and naming an object without sub-fields (`assignee`)
// returns its compact form.
import type { AsanaStore, StoredCustomField, StoredProject, StoredTask, StoredUser } from './store.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function userJson(store: AsanaStore, user: StoredUser): JsonObject {
  return {
    gid: user.gid,
    resource_type: 'user',
    name: user.name,
    email: user.email,
    workspaces: [{ gid: store.workspace.gid, resource_type: 'workspace', name: store.workspace.name }],
  };
}

function enumOptionJson(option: StoredCustomField['enum_options'][number]): JsonObject {
  return {
    gid: option.gid,
    resource_type: 'enum_option',
    name: option.name,
    enabled: option.enabled,
    color: option.color,
  };
}

export function customFieldJson(field: StoredCustomField): JsonObject {
  return {
    gid: field.gid,
    resource_type: 'custom_field',
    name: field.name,
    type: field.type,
    resource_subtype: field.type,
    ...(field.type === 'enum' || field.type === 'multi_enum'
      ? { enum_options: field.enum_options.map(enumOptionJson) }
      : {}),
    ...(field.type === 'number' ? { precision: field.precision ?? 0 } : {}),
  };
}

export function projectJson(store: AsanaStore, project: StoredProject): JsonObject {
  return {
    gid: project.gid,
    resource_type: 'project',
    name: project.name,
    archived: project.archived,
    workspace: { gid: store.workspace.gid, resource_type: 'workspace', name: store.workspace.name },
    custom_field_settings: project.customFieldGids.map((gid) => customFieldSettingJson(store, project, gid)),
    permalink_url: `https://app.asana.com/0/${project.gid}/list`,
  };
}

export function customFieldSettingJson(store: AsanaStore, project: StoredProject, fieldGid: string): JsonObject {
  const field = store.customField(fieldGid);
  return {
    // Settings have gids of their own; derived from the pair so they stay stable.
    gid: `${fieldGid}${project.gid.slice(-4)}`,
    resource_type: 'custom_field_setting',
    is_important: true,
    project: { gid: project.gid, resource_type: 'project', name: project.name },
    custom_field: field ? customFieldJson(field) : null,
  };
}

function customValueJson(field: StoredCustomField, value: StoredTask['custom'][string] | undefined): JsonObject {
  const base = customFieldJson(field);
  const option = (gid: unknown) => field.enum_options.find((o) => o.gid === gid);
  switch (field.type) {
    case 'enum': {
      const chosen = typeof value === 'string' ? option(value) : undefined;
      return { ...base, enum_value: chosen ? enumOptionJson(chosen) : null, display_value: chosen?.name ?? null };
    }
    case 'multi_enum': {
      const chosen = Array.isArray(value) ? value.map(option).filter((o) => o !== undefined) : [];
      return {
        ...base,
        multi_enum_values: chosen.map(enumOptionJson),
        display_value: chosen.length > 0 ? chosen.map((o) => o.name).join(', ') : null,
      };
    }
    case 'text':
      return {
        ...base,
        text_value: typeof value === 'string' ? value : null,
        display_value: typeof value === 'string' ? value : null,
      };
    case 'number':
      return {
        ...base,
        number_value: typeof value === 'number' ? value : null,
        display_value: typeof value === 'number' ? value.toFixed(field.precision ?? 0) : null,
      };
  }
}

/** A task in full (what GET /tasks/{gid}, POST and PUT return without opt_fields). */
export function taskJson(store: AsanaStore, task: StoredTask): JsonObject {
  const projects = task.projects
    .map((gid) => store.project(gid))
    .filter((project): project is StoredProject => Boolean(project));
  const assignee = task.assignee ? store.user(task.assignee) : undefined;
  const full: JsonObject = {
    gid: task.gid,
    resource_type: 'task',
    resource_subtype: 'default_task',
    name: task.name,
    notes: task.notes,
    completed: task.completed,
    completed_at: iso(task.completed_at),
    due_on: task.due_on,
    due_at: iso(task.due_at),
    start_on: task.start_on,
    assignee: assignee ? userJson(store, assignee) : null,
    projects: projects.map((project) => ({ gid: project.gid, resource_type: 'project', name: project.name })),
    memberships: projects.map((project) => ({
      project: { gid: project.gid, resource_type: 'project', name: project.name },
    })),
    workspace: { gid: store.workspace.gid, resource_type: 'workspace', name: store.workspace.name },
    custom_fields: store.fieldsOf(task.projects).map((field) => customValueJson(field, task.custom[field.gid])),
    parent: null,
    tags: [],
    created_at: iso(task.created_at),
    modified_at: iso(task.modified_at),
    permalink_url: `https://app.asana.com/0/${task.projects[0] ?? '0'}/${task.gid}`,
  };
  // `external` is only returned when it is set (or asked for with opt_fields).
  if (task.external) full.external = { gid: task.external.gid, data: task.external.data };
  return full;
}

const COMPACT_KEYS = ['gid', 'resource_type', 'resource_subtype', 'name'];

/** The compact form of an object: what collections return, and what naming it in opt_fields gives. */
export function compact(value: Json): Json {
  if (Array.isArray(value)) return value.map(compact);
  // Only Asana resources (gid + resource_type) have a compact form; `external` and the like do not.
  if (!value || typeof value !== 'object' || !('gid' in value) || !('resource_type' in value)) return value;
  const out: JsonObject = {};
  for (const key of COMPACT_KEYS) if (key in value) out[key] = value[key] as Json;
  return out;
}

/** `opt_fields=a,b.c` (or repeated) as a list of paths; undefined when absent. */
export function optFieldsOf(query: unknown): string[][] | undefined {
  if (query === undefined) return undefined;
  const parts = (Array.isArray(query) ? query : [query]).flatMap((part) => String(part).split(','));
  const paths = parts.map((part) => part.trim()).filter(Boolean);
  return paths.length > 0 ? paths.map((path) => path.split('.')) : undefined;
}

/** Keeps `gid` and the selected paths of a full object. */
export function select(full: Json, paths: string[][], optional: Record<string, Json> = {}): Json {
  if (Array.isArray(full)) return full.map((item) => select(item, paths, optional));
  if (!full || typeof full !== 'object') return full;
  const out: JsonObject = 'gid' in full ? { gid: full.gid as Json } : {};
  const byHead = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    if (!head) continue;
    const list = byHead.get(head) ?? [];
    if (rest.length > 0) list.push(rest);
    byHead.set(head, list);
  }
  for (const [head, rest] of byHead) {
    const value = head in full ? (full[head] as Json) : head in optional ? (optional[head] as Json) : undefined;
    if (value === undefined) continue;
    out[head] = rest.length > 0 ? select(value, rest) : compact(value);
  }
  return out;
}

/** The representation a reply carries: full or compact by default, else the opt_fields selection. */
export function represent(full: JsonObject, paths: string[][] | undefined, inCollection: boolean): Json {
  if (!paths) return inCollection ? compact(full) : full;
  // Asked-for optional fields that are unset come back as null (e.g. `external`).
  return select(full, paths, { external: null });
}
