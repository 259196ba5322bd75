// Field discovery against the Google Sheets sandbox: fields with types, suggestions by name, and
// a header changed on the sheet reported as schema drift (an alert), never silently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleSheetsHarness, type GoogleSheetsHarness } from '@syncbridge/connectors/sandboxes';
import { useTestDatabase } from '@syncbridge/db/testing';
import { discoverResourceFields, suggestMappings } from '../src/discovery.ts';
import { saveResource } from '../src/resources.ts';
import { engineContext } from './support.ts';

const db = useTestDatabase();
let harness: GoogleSheetsHarness;
let ctx: ReturnType<typeof engineContext>;
let resourceId: string;
let spreadsheetId: string;

beforeAll(async () => {
  harness = await startGoogleSheetsHarness();
  spreadsheetId = harness.sandbox.spreadsheets.create({
    sheets: [{ title: 'Contacts', header: ['Email', 'First Name', 'Last Name', 'Age'], rows: [['a@x.test', 'Ada', 'Lovelace', 36]] }],
  }).spreadsheetId;
  ctx = engineContext(db, { connectorFor: (i) => (i.type === 'GOOGLE_SHEETS' ? harness.connector : undefined!) });
  const integration = await db.prisma.integration.create({ data: { name: 'Sheet contacts', type: 'GOOGLE_SHEETS', direction: 'PULL' } });
  resourceId = (
    await saveResource(ctx, {
      integrationId: integration.id,
      name: 'contacts',
      resourceType: 'CONTACT',
      localTable: 'contacts',
      localKeyColumn: 'id',
      externalObject: spreadsheetId,
      externalKeyField: 'Email',
      direction: 'PULL',
      fieldMappings: [
        { local: 'email', external: 'Email' },
        { local: 'first_name', external: 'First Name' },
        { local: 'last_name', external: 'Last Name' },
      ],
      options: { connector: { sheet: 'Contacts' }, matchOn: { local: 'email', external: 'Email' } },
    })
  ).id;
});
afterAll(async () => {
  await harness?.close();
});

describe('field discovery', () => {
  it('lists the fields with types and suggests mappings by name', async () => {
    const { fields, drift } = await discoverResourceFields(ctx, resourceId);
    expect(drift).toBeNull();
    expect(fields.map((f) => f.name)).toEqual(['Email', 'First Name', 'Last Name', 'Age']);
    expect(fields.find((f) => f.name === 'Age')?.type).toBe('number');
    expect(suggestMappings(['email', 'first_name', 'last_name', 'phone', 'age'], fields)).toEqual([
      { local: 'email', external: 'Email', type: 'string' },
      { local: 'first_name', external: 'First Name', type: 'string' },
      { local: 'last_name', external: 'Last Name', type: 'string' },
      { local: 'age', external: 'Age', type: 'number' },
    ]);
  });

  it('reports a header changed on the sheet as schema drift, critical when a mapped field is gone', async () => {
    harness.sandbox.spreadsheets.setRow(spreadsheetId, 'Contacts', 1, ['Email', 'First Name', 'Phone', 'Age']);
    const { drift } = await discoverResourceFields(ctx, resourceId);
    expect(drift).toEqual({ added: ['Phone'], removed: ['Last Name'], brokenMappings: ['Last Name'] });
    const alert = await db.prisma.alert.findFirstOrThrow({ where: { rule: 'SCHEMA_DRIFT' } });
    expect(alert.severity).toBe('CRITICAL');
    expect(alert.message).toMatch(/Added: Phone\. Removed: Last Name\. Mapped fields gone: Last Name/);
    // Looking again without further changes raises nothing new.
    expect((await discoverResourceFields(ctx, resourceId)).drift).toBeNull();
    expect(await db.prisma.alert.count({ where: { rule: 'SCHEMA_DRIFT' } })).toBe(1);
  });
});
