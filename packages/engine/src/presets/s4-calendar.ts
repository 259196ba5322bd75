// Flow S4 (CRM interactions → calendar events, in the same database), per the field contract:
// end time from duration, all-day when no duration, participants from customer/contact names,
// archived → cancelled, delete → delete; synced only while the date is set and within the last
// 30 days or in the future and a subject is present (new events additionally need archived =
// false); idempotent on (related_table, related_id).
import type { FieldMappingInput } from '@syncbridge/connectors';
import type { Prisma } from '@syncbridge/db';
import type { ResourceInput } from '../resources.ts';

export const s4CalendarMappings: FieldMappingInput[] = [
  { local: 'subject', external: 'title', required: true },
  { local: 'description', external: 'description' },
  { local: 'interaction_date', external: 'event_date', transform: { type: 'date', format: 'datetime' } },
  { local: 'interaction_date', external: 'start_time', transform: { type: 'function', name: 'timeOfDay', options: {} } },
  { local: ['interaction_date', 'duration_minutes'], external: 'end_time', transform: { type: 'function', name: 'endTimeFromDuration', options: {} } },
  { local: 'duration_minutes', external: 'all_day', transform: { type: 'function', name: 'isAllDay', options: {} } },
  { external: 'event_type', transform: { type: 'constant', value: 'interaction' } },
  { local: 'archived', external: 'event_status', transform: { type: 'enum', map: { true: 'cancelled', false: 'scheduled' }, fallback: 'scheduled' } },
  { external: 'related_table', transform: { type: 'constant', value: 'interaction' } },
  { local: 'interaction_id', external: 'related_id' },
  { local: 'location', external: 'location' },
  { local: 'created_by', external: 'created_by' },
  { local: 'updated_by', external: 'updated_by' },
  { local: 'created_at', external: 'created_at' },
  { local: 'updated_at', external: 'updated_at' },
  { external: 'synced_from', transform: { type: 'constant', value: 'interaction' } },
  // Inputs of the participants lookup (not target columns).
  { local: 'customer_id', external: 'customer_id' },
  { local: 'contact_id', external: 'contact_id' },
];

export function s4CalendarResource(integrationId: string): ResourceInput {
  return {
    integrationId,
    name: 'interactions_to_calendar',
    resourceType: 'CALENDAR_EVENT',
    localSchema: 'public',
    localTable: 'interaction',
    localKeyColumn: 'interaction_id',
    externalObject: 'public.calendar_events',
    externalKeyField: 'related_id',
    direction: 'PUSH',
    deletePolicy: 'DELETE',
    fieldMappings: s4CalendarMappings as Prisma.InputJsonValue,
    syncConditions: {
      all: [
        { field: 'interaction_date', op: 'notNull' },
        { field: 'interaction_date', op: 'gte', value: 'now-30d' },
        { field: 'subject', op: 'notEmpty' },
      ],
      createOnly: [{ field: 'archived', op: 'eq', value: false }],
    },
    options: {
      pushDeletes: 'delete',
      connector: {
        schema: 'public',
        table: 'calendar_events',
        idColumn: 'event_id',
        conflictColumns: ['related_table', 'related_id'],
        derived: [
          {
            column: 'participants',
            lookups: [
              { table: 'customer', key: 'customer_id', field: 'customer_id', display: ['name'] },
              { table: 'contact', key: 'contact_id', field: 'contact_id', display: ['first_name', 'last_name'] },
            ],
          },
        ],
        touchColumns: ['last_synced_at'],
      },
    },
  };
}
