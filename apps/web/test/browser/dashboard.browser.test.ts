import { describe, expect, it } from 'vitest';
import { eventually, useBrowserHarness } from './harness.ts';

const harness = useBrowserHarness({ jobs: true });
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

async function seedIntegrations() {
  const { db } = harness;
  const sheets = await db.prisma.integration.create({
    data: {
      name: 'Contacts from Google Sheets',
      type: 'GOOGLE_SHEETS',
      status: 'ACTIVE',
      direction: 'PULL',
      frequency: 'EVERY_15_MIN',
      lastSyncAt: minutes(-5),
      lastSuccessAt: minutes(-5),
      nextSyncAt: minutes(10),
    },
  });
  const hubspot = await db.prisma.integration.create({
    data: {
      name: 'Members ↔ HubSpot',
      type: 'HUBSPOT',
      status: 'ERROR',
      direction: 'BIDIRECTIONAL',
      frequency: 'HOURLY',
      consecutiveFailures: 3,
      lastSyncAt: minutes(-120),
      lastErrorAt: minutes(-120),
      lastErrorMessage: 'HubSpot answered 401',
    },
  });
  await db.prisma.integration.create({ data: { name: 'Events to Webflow', type: 'WEBFLOW', status: 'PAUSED' } });
  return { sheets, hubspot };
}

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('the dashboard in the browser', { timeout: 120_000 }, () => {
  it('shows every integration with its status badge, last and next sync, and totals', async () => {
    const { page } = harness;
    const { sheets, hubspot } = await seedIntegrations();
    await harness.db.prisma.conflictResolution.create({
      data: {
        integrationId: sheets.id,
        resourceType: 'contacts',
        internalId: 'c-1',
        externalId: 'row-1',
        localData: { email: 'a@example.com' },
        externalData: { email: 'b@example.com' },
        conflictedFields: ['email'],
      },
    });
    await harness.db.prisma.syncLog.create({
      data: {
        integrationId: sheets.id,
        operation: 'BULK_SYNC',
        direction: 'PULL',
        resourceType: 'contacts',
        status: 'PARTIAL_SUCCESS',
        recordsProcessed: 40,
        recordsSucceeded: 38,
        recordsFailed: 2,
        errorMessage: 'Two rows had no email',
        createdAt: minutes(-3),
      },
    });
    // Four finished runs in the last day, one failed: a 75% success rate.
    for (const status of ['COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED'] as const) {
      await harness.db.prisma.jobExecution.create({
        data: {
          integrationId: sheets.id,
          jobType: 'SCHEDULED_SYNC',
          status,
          total: 10,
          processed: 10,
          startedAt: minutes(-30),
          completedAt: minutes(-29),
        },
      });
    }
    await harness.db.prisma.alert.create({
      data: {
        integrationId: hubspot.id,
        rule: 'INTEGRATION_DOWN',
        severity: 'CRITICAL',
        title: 'HubSpot sync is failing',
        message: 'Three runs in a row failed.',
        createdAt: minutes(-2),
      },
    });
    await harness.db.prisma.alert.create({
      data: { rule: 'SYNC_LAG', status: 'RESOLVED', title: 'An old resolved alert', message: 'Gone.' },
    });
    await harness.signInAs('VIEWER');

    const table = page.getByRole('table', { name: /3 integrations/ });
    await expect(table.isVisible()).resolves.toBe(true);
    const rowOf = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    const badge = (name: string) => rowOf(name).locator('.badge');
    await expect(badge('Contacts from Google Sheets').textContent()).resolves.toBe('Active');
    await expect(badge('Members ↔ HubSpot').textContent()).resolves.toBe('Error');
    await expect(badge('Events to Webflow').textContent()).resolves.toBe('Paused');
    await expect(badge('Members ↔ HubSpot').getAttribute('class')).resolves.toContain('badge--bad');

    const sheetsRow = await rowOf('Contacts from Google Sheets').innerText();
    expect(sheetsRow).toContain('Google Sheets');
    expect(sheetsRow).toContain('5 minutes ago');
    expect(sheetsRow).toContain('in 10 minutes');
    expect(sheetsRow).toContain('Every 15 min');
    // Success rate and pending conflicts (alerts.health), health score (integrations.list).
    const sheetsCells = await rowOf('Contacts from Google Sheets').getByRole('cell').allInnerTexts();
    expect(sheetsCells[2]).toBe('75%');
    expect(sheetsCells[3]).toBe('1');
    await expect(
      rowOf('Contacts from Google Sheets')
        .getByRole('img', { name: /^Health \d+ of 100, (good|fair|poor)$/ })
        .count(),
    ).resolves.toBe(1);
    const hubspotRow = await rowOf('Members ↔ HubSpot').innerText();
    expect(hubspotRow).toContain('2 hours ago');
    expect(hubspotRow).toContain('Last run failed');
    expect(await rowOf('Events to Webflow').innerText()).toContain('Never');

    const totals = page.getByRole('definition');
    const totalsText = await page.locator('.totals').innerText();
    expect(totalsText).toMatch(/Integrations\s+3\s+1 active, 1 failing/);
    expect(totalsText).toMatch(/Pending conflicts\s+1/);
    expect(totalsText).toMatch(/Running jobs\s+0/);
    expect(totalsText).toMatch(/Open alerts\s+1/);
    expect(totalsText).toMatch(/Success rate\s+75%/);

    // Open alerts only (the resolved one stays out), newest first.
    const alerts = await page.locator('section[aria-labelledby="alerts-title"] li').allInnerTexts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('Critical');
    expect(alerts[0]).toContain('HubSpot sync is failing');
    expect(alerts[0]).toContain('Members ↔ HubSpot: Three runs in a row failed.');
    expect(await totals.count()).toBeGreaterThanOrEqual(6);

    await expect(page.getByRole('heading', { name: 'No jobs running' }).isVisible()).resolves.toBe(true);
    const activity = await page.locator('section[aria-labelledby="activity-title"] li').allInnerTexts();
    expect(activity).toHaveLength(1);
    expect(activity[0]).toContain('Partial success');
    expect(activity[0]).toContain('Contacts from Google Sheets · Bulk sync contacts');
    expect(activity[0]).toContain('40 processed, 2 failed — Two rows had no email');
    expect(activity[0]).toContain('3 minutes ago');
  });

  it('moves a running job’s progress bar without reloading the page', async () => {
    const { page, db } = harness;
    const integration = await db.prisma.integration.create({
      data: { name: 'Tasks ↔ Asana', type: 'ASANA', status: 'ACTIVE', direction: 'BIDIRECTIONAL' },
    });
    const job = await db.prisma.jobExecution.create({
      data: {
        integrationId: integration.id,
        jobType: 'MANUAL_SYNC',
        status: 'RUNNING',
        total: 200,
        processed: 20,
        startedAt: new Date(Date.now() - 10_000),
      },
    });
    await harness.signInAs('VIEWER');

    const bar = page.getByRole('progressbar', { name: 'Progress of Tasks ↔ Asana · Manual sync' });
    // Server-rendered: the first paint already has the figure.
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('10');
    await expect(page.locator(`[data-job-id="${job.id}"]`).innerText()).resolves.toContain('20 of 200 records');

    // A marker a reload would wipe out.
    await page.evaluate(() => ((window as unknown as { stayedOnPage: boolean }).stayedOnPage = true));
    await db.prisma.jobExecution.update({ where: { id: job.id }, data: { processed: 150 } });
    await eventually(
      () => bar.getAttribute('aria-valuenow'),
      (value) => value === '75',
    );
    await expect(page.locator(`[data-job-id="${job.id}"]`).innerText()).resolves.toMatch(
      /150 of 200 records · [\d.]+\/s/,
    );
    expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);

    // Finished jobs leave the list, again without a reload.
    await db.prisma.jobExecution.update({
      where: { id: job.id },
      data: { processed: 200, status: 'COMPLETED', completedAt: new Date() },
    });
    await page.getByRole('heading', { name: 'No jobs running' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);
  });

  it('lets staff queue a sync with "Sync now" and says so next to the button', async () => {
    const { page, db } = harness;
    const integration = await db.prisma.integration.create({
      data: { name: 'Sheet to sync now', type: 'GOOGLE_SHEETS' },
    });
    await harness.signInAs('STAFF');

    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Sheet to sync now/ }) });
    await row.getByRole('button', { name: 'Sync now Sheet to sync now' }).click();
    await expect(row.getByRole('status').filter({ hasText: 'Sync queued' }).waitFor()).resolves.toBeUndefined();
    const queued = await db.pool.query<{ count: string }>(
      `select count(*) from pgboss.job where data->>'integrationId' = $1`,
      [integration.id],
    );
    expect(Number(queued.rows[0]?.count)).toBe(1);
  });

  it('fits a laptop’s half screen (960 px) without scrolling the page sideways', async () => {
    const { page } = harness;
    await page.setViewportSize({ width: 960, height: 900 });
    await harness.signInAs('ADMIN');
    await expect(page.getByRole('navigation', { name: 'Main' }).isVisible()).resolves.toBe(true);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    // Keyboard: the first Tab reaches the skip link, which moves focus past the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });
});
