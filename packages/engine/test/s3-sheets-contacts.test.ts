// Flow S3 end to end: a Google Sheets tab (the in-process Sheets sandbox over HTTP, the real
// connector built by the connector registry from the integration's encrypted credentials) polled
// by the scheduler into `contacts`. Polls are driven the way the worker drives them: the test clock
// is moved to the integration's visible next_sync_at, claimDueIntegrations claims it, runIntegration
// runs it. Added / changed / removed rows are counted on the SCHEDULED_SYNC execution; an unchanged
// sheet writes nothing; failures back off and the third in a row stops polling, saying why.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '@syncbridge/connectors';
import { GOOGLE_SHEETS_SANDBOX_TOKEN, SHEETS_ENDPOINTS, startGoogleSheetsHarness, type GoogleSheetsHarness } from '@syncbridge/connectors/sandboxes';
import type { JobExecution } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createConnectorProvider } from '../src/connector-registry.ts';
import type { EngineContext } from '../src/context.ts';
import { createKeyRing } from '../src/crypto.ts';
import { confirmPendingDeletes, pullResource } from '../src/pull.ts';
import { s3ContactsResource, S3_HEADERS } from '../src/presets/s3-sheets-contacts.ts';
import { saveResource } from '../src/resources.ts';
import { claimDueIntegrations, nextRunAt, runIntegration } from '../src/schedule.ts';
import { engineContext } from './support.ts';

const db = useTestDatabase();
const SHEET_ID = 's3-contacts-sheet';
const TAB = 'Contacts';

let h: GoogleSheetsHarness;
let ctx: EngineContext;
let integrationId: string;
let resourceId: string;
/** The engine's clock (ctx.now): the dispatcher "arrives" at each visible next poll time. */
let clock = new Date('2030-01-07T10:07:00.000Z'); // a Monday

const row = (i: number) => ({
  Email: `person${i}@example.com`,
  'First Name': `First${i}`,
  'Last Name': `Last${i}`,
  Phone: i === 1 ? 5550101 : `+1 555 01${String(i).padStart(2, '0')}`, // a number typed into the sheet
  Company: `Company ${i}`,
  Title: i % 2 ? 'Engineer' : 'Manager',
  Notes: i === 3 ? null : `note ${i}`,
});

const sheet = () => h.sandbox.spreadsheets;
const rowOf = (email: string) => {
  const at = sheet().rowNumberOf(SHEET_ID, TAB, 'Email', email);
  if (at === null) throw new Error(`no row for ${email}`);
  return at;
};
const integration = () => db.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } });
const contactsByEmail = async () => new Map((await db.prisma.contacts.findMany()).map((c) => [c.email, c]));
/** Row versions of every contact: any update or delete/insert changes them. */
const contactVersions = async () =>
  (await db.pool.query<{ id: string; v: string; updated_at: Date }>('select id, xmin::text as v, updated_at from contacts order by id')).rows;

/** One dispatcher tick at the integration's next poll time: claim, run, and the run's execution. */
async function poll(): Promise<{ failed: number; errors: string[]; job: JobExecution; claimedNext: Date }> {
  const { nextSyncAt } = await integration();
  expect(nextSyncAt).not.toBeNull();
  clock = new Date(nextSyncAt!.getTime() + 5_000);
  const before = new Set((await db.prisma.jobExecution.findMany({ where: { integrationId }, select: { id: true } })).map((j) => j.id));
  expect(await claimDueIntegrations(ctx)).toEqual([integrationId]);
  // Claimed: next_sync_at already shows the following regular slot while the run goes on.
  const claimedNext = (await integration()).nextSyncAt!;
  expect(claimedNext.toISOString()).toBe(nextRunAt('HOURLY', clock)!.toISOString());
  const result = await runIntegration(ctx, integrationId, { trigger: 'schedule' });
  const jobs = (await db.prisma.jobExecution.findMany({ where: { integrationId } })).filter((j) => !before.has(j.id));
  expect(jobs).toHaveLength(1);
  const job = jobs[0]!;
  expect(job).toMatchObject({ jobType: 'SCHEDULED_SYNC', trigger: 'schedule', direction: 'PULL', resourceId });
  return { failed: result.failed, errors: result.errors, job, claimedNext };
}

beforeAll(async () => {
  h = await startGoogleSheetsHarness();
  sheet().create({
    spreadsheetId: SHEET_ID,
    sheets: [
      { title: 'Readme', header: ['Text'], rows: [['Contacts are on the second tab']] },
      { title: TAB, header: [...S3_HEADERS], rows: Array.from({ length: 10 }, (_, i) => row(i + 1)) },
    ],
  });
  // A contact the app already had: the sheet's row for the same email adopts it (no duplicate).
  await db.prisma.contacts.create({ data: { email: 'person10@example.com', first_name: 'Old', source: 'manual' } });

  // The production wiring: credentials encrypted at rest, the connector built by the registry.
  const keyRing = createKeyRing(new Map([['k1', randomBytes(32)]]), 'k1');
  const credentials = keyRing.encrypt(JSON.stringify({ accessToken: GOOGLE_SHEETS_SANDBOX_TOKEN }));
  ctx = engineContext(db, { connectors: createConnectorProvider({ pool: db.pool, keyRing }), now: () => clock });
  const created = await db.prisma.integration.create({
    data: {
      name: 'Contacts sheet',
      type: 'GOOGLE_SHEETS',
      baseUrl: h.rootUrl,
      authType: 'OAUTH2',
      credentialsEnc: credentials.ciphertext,
      credentialsKeyId: credentials.keyId,
      direction: 'PULL',
      frequency: 'HOURLY',
      nextSyncAt: new Date(clock.getTime() - 60_000),
    },
  });
  integrationId = created.id;
  resourceId = (await saveResource(ctx, s3ContactsResource(integrationId, { spreadsheetId: SHEET_ID, sheet: TAB }))).id;
});
afterAll(async () => {
  await h?.close();
});

describe('S3 preset', () => {
  it('is a PULL resource on contacts keyed by the key column, deleting locally what the sheet drops', () => {
    const input = s3ContactsResource('i', { spreadsheetId: 'sid', sheet: 'People', keyColumn: 'E-mail' });
    expect(input).toMatchObject({
      localTable: 'contacts',
      localKeyColumn: 'id',
      externalObject: 'sid',
      externalKeyField: 'E-mail',
      direction: 'PULL',
      deletePolicy: 'DELETE',
      options: { matchOn: { local: 'email', external: 'E-mail' }, connector: { sheet: 'People' } },
    });
    expect(input.fieldMappings).toContainEqual(expect.objectContaining({ local: 'email', external: 'E-mail' }));
  });
});

describe('S3: scheduled polls of a Google Sheet into contacts', () => {
  it('is not claimed before its next poll time', async () => {
    const saved = clock;
    clock = new Date((await integration()).nextSyncAt!.getTime() - 1000);
    expect(await claimDueIntegrations(ctx)).toEqual([]);
    clock = saved;
  });

  it('the first poll imports every row (adopting the contact that already had that email)', async () => {
    const adopted = (await db.prisma.contacts.findUniqueOrThrow({ where: { email: 'person10@example.com' } })).id;
    const { failed, job, claimedNext } = await poll();
    expect(failed).toBe(0);
    expect(claimedNext.toISOString()).toBe('2030-01-07T11:00:00.000Z');
    expect(job).toMatchObject({ status: 'COMPLETED', processed: 10, added: 9, changed: 1, removed: 0, failed: 0 });

    const contacts = await contactsByEmail();
    expect(contacts.size).toBe(10);
    expect(contacts.get('person10@example.com')).toMatchObject({ id: adopted, first_name: 'First10', source: 'google_sheets' });
    expect(contacts.get('person1@example.com')).toMatchObject({
      first_name: 'First1',
      last_name: 'Last1',
      phone: '5550101',
      company: 'Company 1',
      title: 'Engineer',
      notes: 'note 1',
      source: 'google_sheets',
    });
    expect(contacts.get('person3@example.com')!.notes).toBeNull();
    expect([...contacts.values()].every((c) => c.source === 'google_sheets')).toBe(true);

    const after = await integration();
    expect(after).toMatchObject({ consecutiveFailures: 0, pollingEnabled: true, status: 'ACTIVE' });
    expect(after.lastSuccessAt!.toISOString()).toBe(clock.toISOString());
    expect(after.nextSyncAt!.toISOString()).toBe('2030-01-07T11:00:00.000Z');
  });

  it('rows added, edited and deleted in the sheet are counted and applied at the next poll', async () => {
    sheet().appendRow(SHEET_ID, TAB, row(11));
    sheet().appendRow(SHEET_ID, TAB, row(12));
    sheet().updateRow(SHEET_ID, TAB, rowOf('person2@example.com'), { 'Last Name': 'Renamed', Notes: null });
    sheet().updateRow(SHEET_ID, TAB, rowOf('person4@example.com'), { Phone: '+44 20 7946 0000' });
    sheet().deleteRow(SHEET_ID, TAB, rowOf('person5@example.com')); // 1 of 10 synced rows: under the 20% guard

    const { failed, job, claimedNext } = await poll();
    expect(failed).toBe(0);
    expect(claimedNext.toISOString()).toBe('2030-01-07T12:00:00.000Z');
    expect(job).toMatchObject({ status: 'COMPLETED', processed: 11, added: 2, changed: 2, removed: 1, failed: 0 });

    const contacts = await contactsByEmail();
    expect(contacts.size).toBe(11);
    expect(contacts.has('person5@example.com')).toBe(false);
    expect(contacts.get('person2@example.com')).toMatchObject({ last_name: 'Renamed', notes: null, first_name: 'First2' });
    expect(contacts.get('person4@example.com')!.phone).toBe('+44 20 7946 0000');
    expect(contacts.get('person12@example.com')).toMatchObject({ first_name: 'First12', source: 'google_sheets' });
    expect(await db.prisma.integrationMapping.count({ where: { resourceId } })).toBe(11);
  });

  it('a poll of an unchanged sheet counts nothing and writes nothing', async () => {
    const versions = await contactVersions();
    const mappings = (await db.pool.query<{ v: string }>('select xmin::text as v from integration_mappings where resource_id = $1 order by id', [resourceId])).rows;
    h.sandbox.counters.reset();

    const { failed, job } = await poll();
    expect(failed).toBe(0);
    expect(job).toMatchObject({ status: 'COMPLETED', processed: 11, added: 0, changed: 0, removed: 0, skipped: 11 });
    expect(await contactVersions()).toEqual(versions);
    expect((await db.pool.query<{ v: string }>('select xmin::text as v from integration_mappings where resource_id = $1 order by id', [resourceId])).rows).toEqual(mappings);
    // One read of the tab per poll, nothing written to the sheet.
    expect(h.sandbox.counters.byEndpoint()).toEqual({ [SHEETS_ENDPOINTS.getValues]: 1 });
  });

  it('a poll that would remove more than 20% of the rows waits for an admin', async () => {
    for (const email of ['person6@example.com', 'person7@example.com', 'person8@example.com']) sheet().deleteRow(SHEET_ID, TAB, rowOf(email));
    const { failed, job } = await poll();
    expect(failed).toBe(0);
    expect(job).toMatchObject({ status: 'PENDING_CONFIRMATION', removed: 0 });
    expect(job.errorMessage).toMatch(/3 of 11 records disappeared/);
    expect(await db.prisma.contacts.count()).toBe(11);
    expect(await db.prisma.alert.count({ where: { integrationId, rule: 'MASS_DELETE' } })).toBe(1);

    expect(await confirmPendingDeletes(ctx, job.id, true)).toBe(3);
    expect(await db.prisma.contacts.count()).toBe(8);
    expect(await db.prisma.jobExecution.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'COMPLETED', removed: 3 });
  });

  it('a quota 429 is classified rate_limited: the poll fails, backs off and loses nothing', async () => {
    h.sandbox.limiter.reset();
    h.sandbox.limiter.configure({ readsPerUserPerWindow: 1 });
    try {
      // The one read this minute allows…
      expect(await pullResource(ctx, resourceId)).toMatchObject({ processed: 8, added: 0, changed: 0, removed: 0, unchanged: 8, failed: 0 });
      sheet().updateRow(SHEET_ID, TAB, rowOf('person1@example.com'), { Company: 'Quota Co' });
      const versions = await contactVersions();

      // …so the scheduled poll's read is refused by the per-user quota.
      const { failed, errors, job } = await poll();
      expect(failed).toBe(1);
      expect(errors[0]).toMatch(/HTTP 429 RESOURCE_EXHAUSTED/);
      expect(job.status).toBe('FAILED');
      expect(h.sandbox.limiter.rejections['read:user']).toBe(1);
      const error = await pullResource(ctx, resourceId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorRequestError);
      expect(error).toMatchObject({ kind: 'rate_limited', status: 429 });
      expect((error as ConnectorRequestError).retryAfterMs).toBeGreaterThan(0);
      expect(await contactVersions()).toEqual(versions); // nothing applied, nothing inferred deleted

      // A quota refusal is no outage: it backs off (at least a minute, never before Retry-After)
      // without counting toward the three failures that stop polling.
      const after = await integration();
      expect(after).toMatchObject({ consecutiveFailures: 0, pollingEnabled: true });
      expect(after.lastErrorMessage).toMatch(/429/);
      expect(after.nextSyncAt!.getTime() - clock.getTime()).toBeGreaterThanOrEqual(60_000);
    } finally {
      h.sandbox.limiter.reset();
      h.sandbox.limiter.configure({ readsPerUserPerWindow: 60 });
    }

    // The retry (about a minute later) gets through, applies the edit and clears the failure count.
    const { failed, job } = await poll();
    expect(failed).toBe(0);
    expect(job).toMatchObject({ status: 'COMPLETED', added: 0, changed: 1, removed: 0 });
    expect((await db.prisma.contacts.findUniqueOrThrow({ where: { email: 'person1@example.com' } })).company).toBe('Quota Co');
    expect((await integration()).consecutiveFailures).toBe(0);
  });

  it('failed polls back off, and the third in a row stops polling with the reason and an alert', async () => {
    const versions = await contactVersions();
    h.sandbox.faults.set({ errorRate: 1 });
    try {
      const first = await poll();
      expect(first.failed).toBe(1);
      expect(first.job.status).toBe('FAILED');
      expect(first.job.errorMessage).toMatch(/HTTP 5\d\d/);
      let state = await integration();
      expect(state).toMatchObject({ consecutiveFailures: 1, pollingEnabled: true });
      // Backed off about a minute (jitter takes up to 20% off), well before the hourly slot.
      const firstDelay = state.nextSyncAt!.getTime() - clock.getTime();
      expect(firstDelay).toBeGreaterThanOrEqual(48_000);
      expect(firstDelay).toBeLessThanOrEqual(60_000);
      expect(state.nextSyncAt!.getTime()).toBeLessThan(first.claimedNext.getTime());

      const second = await poll();
      expect(second.failed).toBe(1);
      state = await integration();
      expect(state).toMatchObject({ consecutiveFailures: 2, pollingEnabled: true });
      const secondDelay = state.nextSyncAt!.getTime() - clock.getTime();
      expect(secondDelay).toBeGreaterThanOrEqual(96_000);
      expect(secondDelay).toBeLessThanOrEqual(120_000);

      const third = await poll();
      expect(third.failed).toBe(1);
      state = await integration();
      expect(state).toMatchObject({ consecutiveFailures: 3, pollingEnabled: false, status: 'ERROR', nextSyncAt: null });
      expect(state.lastErrorMessage).toMatch(/^sheet_contacts: HTTP 5\d\d/);
      const alerts = await db.prisma.alert.findMany({ where: { integrationId, rule: 'INTEGRATION_DOWN' } });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.title).toMatch(/polling stopped after 3 failed syncs/);
      expect(alerts[0]!.message).toMatch(/HTTP 5\d\d/);

      // Stopped: not claimed again, however late it gets.
      clock = new Date(clock.getTime() + 7 * 86_400_000);
      expect(await claimDueIntegrations(ctx)).toEqual([]);
      expect(await contactVersions()).toEqual(versions); // failed reads removed nothing
    } finally {
      h.sandbox.faults.clear();
    }

    // The admin fixes the cause and resumes polling: the next poll succeeds and resets the count.
    await db.prisma.integration.update({ where: { id: integrationId }, data: { pollingEnabled: true, status: 'ACTIVE', nextSyncAt: clock } });
    const resumed = await poll();
    expect(resumed.failed).toBe(0);
    expect(resumed.job).toMatchObject({ status: 'COMPLETED', added: 0, changed: 0, removed: 0 });
    expect(await integration()).toMatchObject({ consecutiveFailures: 0, pollingEnabled: true, status: 'ACTIVE' });
    expect(await db.prisma.contacts.count()).toBe(8);
  });
});
