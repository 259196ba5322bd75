// Flow S5 (app ↔ the generic REST API, two-way): the `participation_logs` table kept in sync with a
// collection of the F025 generic records API through the declarative connector and the shipped
// `generic` definition (settings.definition = 'generic'; without it GENERIC_REST uses the
// hand-written REST connector, which speaks the same API).
//
// - Identity: every record we create carries the log's id as the API's record key
//   (externalKeyField `syncbridge_id`), so a create whose answer was lost is found by ?key= or
//   refused as duplicate_key and adopted, never doubled.
// - Real time both ways: local writes reach the API through the change-capture outbox (batch upsert,
//   100 records a request); API changes arrive by webhook at the integration's receive URL, signed
//   with X-Webhook-Signature (hex HMAC-SHA256 of "{X-Webhook-Timestamp}.{raw body}" keyed by the
//   integration's webhook secret; older than 5 minutes is refused) and carrying the record. The
//   integration also pulls HOURLY (incremental by updated_since, tombstones included) for anything a
//   webhook missed; DAILY suits a quieter system.
// - Conflicts: the resource's strategy or else the integration's (LATEST_WINS by default, compared
//   on participation_logs.updated_at, which the app must set on every write, against the record's
//   updated_at). Only fields edited on both sides to different values conflict.
// - Members: member_id carries the app's member id (the external system stores it as given); a
//   record made outside the app must name an existing member, or its pull fails alone (FK).
// - Deletes: DELETE both ways.
import type { FieldMappingInput } from '@syncbridge/connectors';
import type { ConflictStrategy, Prisma } from '@syncbridge/db';
import type { ResourceInput } from '../resources.ts';

/** The record key holding our log id (the generic API's `key`, exposed under this name). */
export const S5_REST_KEY_FIELD = 'syncbridge_id';

/** Integration settings for this flow: the generic REST API through its declarative definition. */
export const S5_REST_INTEGRATION = {
  type: 'GENERIC_REST',
  direction: 'BIDIRECTIONAL',
  frequency: 'HOURLY',
  conflictStrategy: 'LATEST_WINS',
  settings: { definition: 'generic' },
} as const;

/** participation_logs column ↔ record field. */
export const s5ParticipationMappings: FieldMappingInput[] = [
  { local: 'member_id', external: 'member_id', required: true },
  { local: 'activity', external: 'activity', required: true },
  {
    local: 'hours',
    external: 'hours',
    transform: { type: 'number' },
    reverseTransform: { type: 'number' },
    default: 0,
  },
  {
    local: 'occurred_on',
    external: 'occurred_on',
    transform: { type: 'date', format: 'date' },
    reverseTransform: { type: 'date', format: 'date' },
  },
  { local: 'notes', external: 'notes' },
];

export interface S5RestParticipationOptions {
  /** The API collection (default participation_logs). */
  collection?: string;
  /** Overrides the integration's strategy for this resource. */
  conflictStrategy?: ConflictStrategy;
}

export function s5RestParticipationResource(
  integrationId: string,
  options: S5RestParticipationOptions = {},
): ResourceInput {
  return {
    integrationId,
    name: 'participation_logs',
    resourceType: 'PARTICIPATION_LOG',
    localSchema: 'public',
    localTable: 'participation_logs',
    localKeyColumn: 'id',
    externalObject: options.collection ?? 'participation_logs',
    externalKeyField: S5_REST_KEY_FIELD,
    direction: 'BIDIRECTIONAL',
    frequency: 'HOURLY',
    conflictStrategy: options.conflictStrategy ?? null,
    deletePolicy: 'DELETE',
    fieldMappings: s5ParticipationMappings as Prisma.InputJsonValue,
    options: { updatedAtColumn: 'updated_at', pushDeletes: 'delete' },
  };
}
