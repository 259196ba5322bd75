// Flow S1 (event app → Smartsheet): four sheets with the spec's column titles, matched by title.
// Private profiles never leave the app (and leave the sheet when made private); every sheet keeps
// "Sync Status" and "Last Synced"; session analytics are computed from RSVPs by a view and
// re-pushed on the integration's schedule.
import type { FieldMappingInput } from '@syncbridge/connectors';
import type { Prisma } from '@syncbridge/db';
import type { ResourceInput } from '../resources.ts';

const day = { type: 'date', format: 'date' } as const;
const syncColumns: FieldMappingInput[] = [
  { external: 'Sync Status', transform: { type: 'constant', value: 'synced' } },
  { external: 'Last Synced', transform: { type: 'function', name: 'now', options: {} }, volatile: true },
];

/** Column titles of each sheet, in the spec's order (for creating sheets and for discovery). */
export const S1_SHEET_COLUMNS = {
  registrations: ['User ID', 'Full Name', 'Email', 'Role', 'Organization', 'Registration Date', 'Profile Status', 'QR Scanning Enabled', 'Messaging Enabled', 'LinkedIn', 'GitHub', 'Sync Status', 'Last Synced'],
  rsvps: ['RSVP ID', 'User ID', 'User Name', 'User Email', 'Session ID', 'Session Title', 'Session Date', 'Session Time', 'Session Track', 'RSVP Status', 'RSVP Date', 'Sync Status', 'Last Synced'],
  connections: ['Connection ID', 'Scanner Name', 'Scanner Email', 'Scanner Role', 'Scanned Name', 'Scanned Email', 'Scanned Role', 'Connection Method', 'Connection Date', 'Sync Status', 'Last Synced'],
  analytics: ['Session ID', 'Session Title', 'Speaker', 'Track', 'Start Time', 'Location', 'Capacity', 'RSVPs (Attending)', 'RSVPs (Maybe)', 'RSVPs (Cancelled)', 'Fill Rate', 'Status', 'Last Updated'],
} as const;

/** Smartsheet column types for the columns that are not plain text. */
export const S1_COLUMN_TYPES: Record<string, 'DATE' | 'CHECKBOX'> = {
  'Registration Date': 'DATE',
  'QR Scanning Enabled': 'CHECKBOX',
  'Messaging Enabled': 'CHECKBOX',
  'Session Date': 'DATE',
  'RSVP Date': 'DATE',
  'Connection Date': 'DATE',
};

export interface S1Sheets {
  registrations: string;
  rsvps: string;
  connections: string;
  analytics: string;
}

const json = (m: FieldMappingInput[]) => m as Prisma.InputJsonValue;

export function s1EventResources(integrationId: string, sheets: S1Sheets): ResourceInput[] {
  const privacy = { all: [{ field: 'profile_visibility', op: 'neq', value: 'private' }] };
  return [
    {
      integrationId,
      name: 'user_registrations',
      resourceType: 'REGISTRATION',
      localTable: 'profiles',
      localKeyColumn: 'id',
      externalObject: sheets.registrations,
      externalKeyField: 'User ID',
      direction: 'PUSH',
      fieldMappings: json([
        { local: 'id', external: 'User ID' },
        { local: 'full_name', external: 'Full Name', required: true },
        { local: 'email', external: 'Email', required: true },
        { local: 'role', external: 'Role' },
        { local: 'organization', external: 'Organization' },
        { local: 'created_at', external: 'Registration Date', transform: day },
        { local: 'profile_visibility', external: 'Profile Status' },
        { local: 'qr_scanning_enabled', external: 'QR Scanning Enabled', transform: { type: 'boolean' } },
        { local: 'messaging_enabled', external: 'Messaging Enabled', transform: { type: 'boolean' } },
        { local: 'linkedin_url', external: 'LinkedIn' },
        { local: 'github_url', external: 'GitHub' },
        ...syncColumns,
      ]),
      syncConditions: privacy,
      options: { removeWhenExcluded: true },
    },
    {
      integrationId,
      name: 'session_rsvps',
      resourceType: 'RSVP',
      localTable: 'rsvps',
      localKeyColumn: 'id',
      externalObject: sheets.rsvps,
      externalKeyField: 'RSVP ID',
      direction: 'PUSH',
      fieldMappings: json([
        { local: 'id', external: 'RSVP ID' },
        { local: 'user_id', external: 'User ID' },
        { local: 'user_name', external: 'User Name' },
        { local: 'user_email', external: 'User Email' },
        { local: 'session_id', external: 'Session ID' },
        { local: 'session_title', external: 'Session Title' },
        { local: 'session_start', external: 'Session Date', transform: day },
        { local: 'session_time', external: 'Session Time' },
        { local: 'session_track', external: 'Session Track' },
        { local: 'status', external: 'RSVP Status' },
        { local: 'created_at', external: 'RSVP Date', transform: day },
        ...syncColumns,
      ]),
      syncConditions: privacy,
      options: { readView: 'rsvp_sheet_rows', removeWhenExcluded: true },
    },
    {
      integrationId,
      name: 'connections',
      resourceType: 'CONNECTION',
      localTable: 'connections',
      localKeyColumn: 'id',
      externalObject: sheets.connections,
      externalKeyField: 'Connection ID',
      direction: 'PUSH',
      fieldMappings: json([
        { local: 'id', external: 'Connection ID' },
        { local: 'scanner_name', external: 'Scanner Name' },
        { local: 'scanner_email', external: 'Scanner Email' },
        { local: 'scanner_role', external: 'Scanner Role' },
        { local: 'scanned_name', external: 'Scanned Name' },
        { local: 'scanned_email', external: 'Scanned Email' },
        { local: 'scanned_role', external: 'Scanned Role' },
        { local: 'connection_method', external: 'Connection Method' },
        { local: 'created_at', external: 'Connection Date', transform: day },
        ...syncColumns,
      ]),
      syncConditions: { all: [{ field: 'both_public', op: 'eq', value: true }] },
      options: { readView: 'connection_sheet_rows', removeWhenExcluded: true },
    },
    {
      integrationId,
      name: 'session_analytics',
      resourceType: 'SESSION_ANALYTICS',
      localTable: 'event_sessions',
      localKeyColumn: 'id',
      externalObject: sheets.analytics,
      externalKeyField: 'Session ID',
      direction: 'PUSH',
      fieldMappings: json([
        { local: 'id', external: 'Session ID' },
        { local: 'title', external: 'Session Title' },
        { local: 'speaker', external: 'Speaker' },
        { local: 'track', external: 'Track' },
        { local: 'start_time', external: 'Start Time', transform: { type: 'date' } },
        { local: 'location', external: 'Location' },
        { local: 'capacity', external: 'Capacity', transform: { type: 'number' } },
        { local: 'attending', external: 'RSVPs (Attending)', transform: { type: 'number' } },
        { local: 'maybe', external: 'RSVPs (Maybe)', transform: { type: 'number' } },
        { local: 'cancelled', external: 'RSVPs (Cancelled)', transform: { type: 'number' } },
        { local: 'fill_rate', external: 'Fill Rate', transform: { type: 'number' } },
        { local: 'status', external: 'Status' },
        { local: 'updated_at', external: 'Last Updated', transform: { type: 'date' } },
      ]),
      options: { readView: 'session_analytics' },
    },
  ];
}
