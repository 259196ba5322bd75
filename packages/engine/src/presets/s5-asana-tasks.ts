// Flow S5 (app ↔ Asana, two-way): the `tasks` table kept in sync with the tasks of one Asana project
// (spec: "Task Mapping Example (Asana → BritePool)").
//
// - Identity: every task we create carries `syncbridge:<project>:<task id>` in Asana's app-specific
//   external gid (externalKeyField 'external'), so a create whose response was lost is found again
//   (GET /tasks/external:…) instead of duplicated. Asana lets only OAuth apps read and write external
//   data: with a personal access token pass `keyField: 'custom_fields.Syncbridge ID'` (a text custom
//   field on the project) instead.
// - Real time both ways: local writes reach Asana through the change-capture outbox; Asana changes
//   arrive by webhook (register one on the project with the integration's receive URL: the ingress
//   answers the X-Hook-Secret handshake and verifies X-Hook-Signature), are fetched by gid and
//   reconciled three-way. Asana webhooks are at-most-once, so the integration also pulls on a
//   schedule (HOURLY, see S5_ASANA_INTEGRATION): incremental by `modified_since`, which never shows
//   deletions; a full read (`pullResource(…, { full: true })`) infers those.
// - Conflicts: only fields edited on both sides to different values conflict; the strategy is the
//   resource's (`conflictStrategy` here) or else the integration's. `updated_at` is the local edit
//   time for LATEST_WINS against Asana's `modified_at`; the app must set it on every write.
// - Status and priority live in enum custom fields the project must have (S5_ASANA_CUSTOM_FIELDS);
//   a value without an option fails that task alone until the option is added. `completed` is
//   Asana's own flag. The due date is Asana's date-only `due_on` (a local time of day is dropped).
// - Deletes: DELETE both ways (a task deleted in Asana is deleted locally, and the other way round);
//   rows with `external_sync_enabled = false` never leave the app.
// - Assignees are not mapped: an Asana assignee is a workspace user, and matching users to members
//   needs a members ↔ Asana users resource (by email) for the lookup transform, left for later.
import type { FieldMappingInput } from '@syncbridge/connectors';
import type { ConflictStrategy, Prisma } from '@syncbridge/db';
import type { ResourceInput } from '../resources.ts';

/** Where our task id lives on an Asana task (Asana's external gid; needs OAuth). */
export const S5_ASANA_KEY_FIELD = 'external';

/** tasks.status → the Status option. */
export const S5_ASANA_STATUS_OPTIONS = { todo: 'To do', in_progress: 'In progress', done: 'Done' } as const;
/** tasks.priority → the Priority option. */
export const S5_ASANA_PRIORITY_OPTIONS = { low: 'Low', medium: 'Medium', high: 'High' } as const;

export interface S5AsanaCustomFieldSpec {
  name: string;
  type: 'enum' | 'text';
  options?: string[];
}

/** Custom fields the Asana project needs before the first sync (Project → Customize → Fields). */
export const S5_ASANA_CUSTOM_FIELDS: readonly S5AsanaCustomFieldSpec[] = [
  { name: 'Status', type: 'enum', options: Object.values(S5_ASANA_STATUS_OPTIONS) },
  { name: 'Priority', type: 'enum', options: Object.values(S5_ASANA_PRIORITY_OPTIONS) },
];

const invert = (map: Record<string, string>) => Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));

/** tasks column ↔ task field (see the Asana connector's mappers for the field names). */
export const s5AsanaTaskMappings: FieldMappingInput[] = [
  { local: 'title', external: 'name', required: true },
  // Asana keeps "no notes" as '' and the connector reads that back as null, like the column.
  { local: 'description', external: 'notes' },
  { local: 'completed', external: 'completed', transform: { type: 'boolean' }, reverseTransform: { type: 'boolean' } },
  {
    local: 'status',
    external: 'custom_fields.Status',
    transform: { type: 'enum', map: S5_ASANA_STATUS_OPTIONS },
    reverseTransform: { type: 'enum', map: invert(S5_ASANA_STATUS_OPTIONS) },
    // A task made in Asana without a Status is a new one (tasks.status is NOT NULL).
    default: 'todo',
  },
  {
    local: 'priority',
    external: 'custom_fields.Priority',
    transform: { type: 'enum', map: S5_ASANA_PRIORITY_OPTIONS },
    reverseTransform: { type: 'enum', map: invert(S5_ASANA_PRIORITY_OPTIONS) },
  },
  {
    local: 'due_date',
    external: 'due_on',
    transform: { type: 'date', format: 'date' },
    reverseTransform: { type: 'date', format: 'datetime' },
  },
];

/** Integration settings for this flow: two-way, pulled hourly besides the webhooks. */
export const S5_ASANA_INTEGRATION = {
  type: 'ASANA',
  baseUrl: 'https://app.asana.com/api/1.0',
  direction: 'BIDIRECTIONAL',
  frequency: 'HOURLY',
  conflictStrategy: 'LATEST_WINS',
} as const;

export interface S5AsanaTasksOptions {
  /** Overrides the integration's strategy for this resource. */
  conflictStrategy?: ConflictStrategy;
  /** 'external' (OAuth apps) or 'custom_fields.<text field>' (personal access tokens). */
  keyField?: string;
}

export function s5AsanaTasksResource(
  integrationId: string,
  projectGid: string,
  options: S5AsanaTasksOptions = {},
): ResourceInput {
  return {
    integrationId,
    name: 'tasks',
    resourceType: 'TASK',
    localSchema: 'public',
    localTable: 'tasks',
    localKeyColumn: 'id',
    externalObject: projectGid,
    externalKeyField: options.keyField ?? S5_ASANA_KEY_FIELD,
    direction: 'BIDIRECTIONAL',
    frequency: 'HOURLY',
    conflictStrategy: options.conflictStrategy ?? null,
    deletePolicy: 'DELETE',
    fieldMappings: s5AsanaTaskMappings as Prisma.InputJsonValue,
    syncConditions: { all: [{ field: 'external_sync_enabled', op: 'eq', value: true }] },
    options: { updatedAtColumn: 'updated_at', pushDeletes: 'delete' },
  };
}
