// Flow S3 (Google Sheets → app, scheduled pull): one tab of a spreadsheet is read in full on the
// integration's frequency (EVERY_15_MIN, EVERY_30_MIN, HOURLY, DAILY, WEEKLY or MANUAL) and its rows
// upserted into `contacts` by the key column (Email by default, matched to `contacts.email`, so a
// contact that already exists locally is adopted instead of duplicated). New, changed and removed
// rows are counted per run; unchanged rows are skipped by hash. Rows removed from the sheet are
// deleted locally through the engine's full-read delete inference (only after a completed read, and
// a run that would remove more than 20% of the synced rows waits for an admin instead).
import type { FieldMappingInput } from '@syncbridge/connectors';
import type { Prisma } from '@syncbridge/db';
import type { ResourceInput } from '../resources.ts';

/** Header row of the contacts tab, in the order a new sheet gets it. */
export const S3_HEADERS = ['Email', 'First Name', 'Last Name', 'Phone', 'Company', 'Title', 'Notes'] as const;

/** Value written to `contacts.source` for every row the sheet creates or updates. */
export const S3_SOURCE = 'google_sheets';

export interface S3SheetOptions {
  spreadsheetId: string;
  /** Tab title (matched case-insensitively by the connector). */
  sheet: string;
  /** Header of the key column; its value is the record's identity and is matched to `contacts.email`. */
  keyColumn?: string;
}

/** Pull mappings: sheet header → contacts column. */
export function s3ContactMappings(keyColumn = 'Email'): FieldMappingInput[] {
  const text = { type: 'string' } as const; // numbers typed into the sheet (phones) arrive as numbers
  return [
    { local: 'email', external: keyColumn, required: true, reverseTransform: text },
    { local: 'first_name', external: 'First Name', reverseTransform: text },
    { local: 'last_name', external: 'Last Name', reverseTransform: text },
    { local: 'phone', external: 'Phone', reverseTransform: text },
    { local: 'company', external: 'Company', reverseTransform: text },
    { local: 'title', external: 'Title', reverseTransform: text },
    { local: 'notes', external: 'Notes', reverseTransform: text },
    // A constant is a push value (mapToLocal skips `transform: constant`); on pull the value comes
    // from reverseTransform. `default` makes mapToLocal apply it although no sheet column is named
    // like this, and direction 'pull' keeps it out of pushes and conflict comparisons.
    {
      local: 'source',
      external: '__syncbridge_source',
      direction: 'pull',
      reverseTransform: { type: 'constant', value: S3_SOURCE },
      default: S3_SOURCE,
    },
  ];
}

export function s3ContactsResource(integrationId: string, { spreadsheetId, sheet, keyColumn = 'Email' }: S3SheetOptions): ResourceInput {
  return {
    integrationId,
    name: 'sheet_contacts',
    resourceType: 'CONTACT',
    localSchema: 'public',
    localTable: 'contacts',
    localKeyColumn: 'id',
    externalObject: spreadsheetId,
    externalKeyField: keyColumn,
    direction: 'PULL',
    deletePolicy: 'DELETE',
    fieldMappings: s3ContactMappings(keyColumn) as Prisma.InputJsonValue,
    options: {
      matchOn: { local: 'email', external: keyColumn },
      connector: { sheet },
    },
  };
}
