// Flow S5 (app ↔ HubSpot, two-way): the `tasks` table kept in sync with HubSpot tasks (CRM v3
// objects/tasks, https://developers.hubspot.com/docs/api/crm/tasks).
//
// - Identity: every task we create carries the task's id in the custom unique property
//   `syncbridge_id` (S5_HUBSPOT_TASK_PROPERTIES), so a create whose response was lost is found by a
//   search instead of duplicated.
// - Change detection: HubSpot has no webhook subscription for tasks, so Asana-style real time is not
//   available: pulls run on the integration's schedule (HOURLY), incrementally by
//   hs_lastmodifieddate (the connector's cursor, with a safety margin); pushes come from the
//   change-capture outbox and read the task first, so edits on both sides reconcile three-way.
//   `updated_at` is the local edit time for LATEST_WINS.
// - Status: tasks.status ↔ hs_task_status (todo NOT_STARTED, in_progress IN_PROGRESS, done
//   COMPLETED; WAITING reads as in_progress, DEFERRED as todo), and tasks.completed follows it on
//   pull (COMPLETED or not). Priority: low/medium/high ↔ LOW/MEDIUM/HIGH (NONE reads as no priority).
// - Due date: hs_timestamp is required on every HubSpot task; a local task without a due date is
//   sent with its creation time (and keeps its empty due date locally until HubSpot changes).
// - Deletes: DELETE both ways (archived in HubSpot → deleted locally on the next full read; deleted
//   locally → archived in HubSpot).
import type { FieldMappingInput } from '@syncbridge/connectors';
import type { ConflictStrategy, Prisma } from '@syncbridge/db';
import type { ResourceInput } from '../resources.ts';
import type { S5PropertySpec } from './s5-hubspot-members.ts';

/** Property holding our task id on the HubSpot task. */
export const S5_TASK_KEY_PROPERTY = 'syncbridge_id';

/** Custom task properties the portal needs (POST /crm/v3/properties/tasks). */
export const S5_HUBSPOT_TASK_PROPERTIES: readonly S5PropertySpec[] = [
  { name: S5_TASK_KEY_PROPERTY, label: 'Syncbridge ID', type: 'string', hasUniqueValue: true },
];

const STATUS_TO_HUBSPOT = { todo: 'NOT_STARTED', in_progress: 'IN_PROGRESS', done: 'COMPLETED' };
const STATUS_FROM_HUBSPOT = {
  NOT_STARTED: 'todo',
  IN_PROGRESS: 'in_progress',
  WAITING: 'in_progress',
  COMPLETED: 'done',
  DEFERRED: 'todo',
};
const PRIORITY_TO_HUBSPOT = { low: 'LOW', medium: 'MEDIUM', high: 'HIGH' };
const PRIORITY_FROM_HUBSPOT = { LOW: 'low', MEDIUM: 'medium', HIGH: 'high', NONE: null, '': null };

/** tasks column ↔ task property. */
export const s5HubSpotTaskMappings: FieldMappingInput[] = [
  { local: 'title', external: 'hs_task_subject', required: true },
  { local: 'description', external: 'hs_task_body', reverseTransform: { type: 'enum', map: { '': null } } },
  {
    local: 'status',
    external: 'hs_task_status',
    transform: { type: 'enum', map: STATUS_TO_HUBSPOT },
    reverseTransform: { type: 'enum', map: STATUS_FROM_HUBSPOT },
    default: 'todo',
  },
  {
    local: 'completed',
    external: 'hs_task_status',
    direction: 'pull',
    reverseTransform: { type: 'enum', map: { COMPLETED: true }, fallback: false },
  },
  {
    local: 'priority',
    external: 'hs_task_priority',
    transform: { type: 'enum', map: PRIORITY_TO_HUBSPOT },
    reverseTransform: { type: 'enum', map: PRIORITY_FROM_HUBSPOT },
  },
  {
    local: 'due_date',
    external: 'hs_timestamp',
    // Required by HubSpot: a task without a due date goes with its creation time.
    transform: { type: 'jsonata', expression: 'due_date ? due_date : created_at' },
    reverseTransform: { type: 'date', format: 'datetime' },
  },
];

/** Properties read from HubSpot (the connector adds the key property). */
export const S5_TASK_READ_PROPERTIES = [...new Set(s5HubSpotTaskMappings.map((m) => m.external))];

export function s5HubSpotTasksResource(
  integrationId: string,
  options: { conflictStrategy?: ConflictStrategy } = {},
): ResourceInput {
  return {
    integrationId,
    name: 'tasks',
    resourceType: 'TASK',
    localSchema: 'public',
    localTable: 'tasks',
    localKeyColumn: 'id',
    externalObject: 'tasks',
    externalKeyField: S5_TASK_KEY_PROPERTY,
    direction: 'BIDIRECTIONAL',
    frequency: 'HOURLY',
    conflictStrategy: options.conflictStrategy ?? null,
    deletePolicy: 'DELETE',
    fieldMappings: s5HubSpotTaskMappings as Prisma.InputJsonValue,
    syncConditions: { all: [{ field: 'external_sync_enabled', op: 'eq', value: true }] },
    options: {
      updatedAtColumn: 'updated_at',
      pushDeletes: 'delete',
      connector: { properties: S5_TASK_READ_PROPERTIES },
    },
  };
}
