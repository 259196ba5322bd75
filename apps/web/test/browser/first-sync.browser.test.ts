import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, useBrowserHarness } from './harness.ts';
import {
  addSmartsheetIntegration,
  GOOD_TOKEN,
  mapAllSuggestedFields,
  seedProfiles,
  startSmartsheet,
  testKeys,
  type SmartsheetFixture,
} from './integration-flow.ts';
import { startWorkerProcess, type WorkerProcess } from './worker-process.ts';

const PROFILES = 240;
const keys = testKeys();
// "Sync now" queues through a real pg-boss on this file's database; a real worker process runs it.
const harness = useBrowserHarness({ jobs: true, keyRing: keys.keyRing });
let smartsheet: SmartsheetFixture;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  // Every save holds the sheet a moment, so the run is seen under way before it completes.
  smartsheet = await startSmartsheet({ saveDelayMs: 2_500 });
  // Rows exist before the resource does: only the first full sync carries them.
  await seedProfiles(harness.db, PROFILES);
  worker = await startWorkerProcess({ databaseUrl: harness.db.url, encryptionKeys: keys.spec });
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await smartsheet?.server.close();
});

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('the first sync of a new integration', { timeout: 180_000 }, () => {
  it('runs on "Sync now" and its progress bar reaches 100% without a reload', async () => {
    const { page, db } = harness;
    await harness.signInAs('ADMIN');
    const { link } = await addSmartsheetIntegration(page, harness.url, {
      name: 'Registrations to Smartsheet',
      apiUrl: smartsheet.apiUrl,
      token: GOOD_TOKEN,
      sheetId: smartsheet.sheetId,
      frequency: 'Only when started by hand',
    });
    await link.click();
    await page.getByRole('heading', { name: 'Registrations to Smartsheet', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'No runs yet' }).waitFor();

    await mapAllSuggestedFields(page);
    const resource = await db.prisma.syncResource.findFirstOrThrow();
    expect(resource.fieldMappings).toEqual([
      { local: 'id', external: 'ID' },
      { local: 'full_name', external: 'Full Name' },
      { local: 'email', external: 'Email' },
      { local: 'role', external: 'Role' },
      { local: 'organization', external: 'Organization' },
    ]);

    // A marker a reload would wipe out.
    await page.evaluate(() => ((window as unknown as { stayedOnPage: boolean }).stayedOnPage = true));
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Sync queued$/ })
      .waitFor();

    const bar = page.getByRole('progressbar', { name: 'Progress of profiles · Manual sync' });
    await bar.waitFor({ timeout: 60_000 });
    // Seen while the run is under way (figures polled every second), then at 100%.
    const seen = new Set<string>();
    await eventually(
      async () => {
        const value = (await bar.getAttribute('aria-valuenow')) ?? 'none';
        seen.add(value);
        return value;
      },
      (value) => value === '100',
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    const run = page.locator('.jobs__item').filter({ has: bar });
    await expect(run.getAttribute('data-status')).resolves.toBe('COMPLETED');
    await expect(run.innerText()).resolves.toContain(`${PROFILES} of ${PROFILES} records`);
    expect(
      [...seen].some((value) => value !== '100'),
      `values seen: ${[...seen].join(', ')}`,
    ).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);

    // It really ran: every profile is a row of the sheet, and the job is recorded as a manual sync.
    const rows = smartsheet.sandbox.sheets.readRows(smartsheet.sheetId).map((row) => row.values);
    expect(rows).toHaveLength(PROFILES);
    expect(rows).toContainEqual(
      expect.objectContaining({ 'Full Name': 'Person 7', Email: 'person7@example.com', Organization: 'Org 3' }),
    );
    const job = await db.prisma.jobExecution.findFirstOrThrow({ where: { resourceId: resource.id } });
    expect(job).toMatchObject({ jobType: 'MANUAL_SYNC', status: 'COMPLETED', total: PROFILES, processed: PROFILES });
    await expect(page.locator('.page-head__sub .badge').textContent()).resolves.toBe('Active');
  });
});
