// The README's screenshots: the dashboard and a conflict review, with realistic demo data (five
// integrations, runs, logs, an alert, a real engine-detected conflict). Every run checks the pages
// and writes the images to test-results/; with UPDATE_SCREENSHOTS=1 they are also copied to
// docs/screenshots/ (commit those):
//
//   UPDATE_SCREENSHOTS=1 npx vitest run apps/web/test/browser/readme-screenshots.browser.test.ts
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@syncbridge/api';
import { webRoot } from '../../server/app.ts';
import { PASSWORD } from '../auth-helpers.ts';
import { RESULTS_DIR, useBrowserHarness, waitForHydration } from './harness.ts';
import { testKeys } from './integration-flow.ts';
import { startRestTasks, type RestTasksFixture } from './review-fixtures.ts';

const DOCS_DIR = path.resolve(webRoot, '../../docs/screenshots');
const VIEWPORT = { width: 1280, height: 800 };

const keys = testKeys();
const harness = useBrowserHarness({ keyRing: keys.keyRing, viewport: VIEWPORT });
let rest: RestTasksFixture;
let conflictId: string;

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

async function seedDemo() {
  const { prisma } = harness.db;
  rest = await startRestTasks(harness.db, keys.keyRing, { name: 'Tasks ↔ REST API' });
  conflictId = (
    await rest.makeConflict(
      {
        title: 'Prepare the Q3 board deck',
        notes: 'Numbers from finance by Friday',
        status: 'todo',
        due: '2026-07-10T09:00:00.000Z',
      },
      { title: 'Prepare the Q3 board deck (v2)', status: 'in_progress' },
      {
        title: 'Q3 board deck: final draft',
        notes: 'Finance sent the numbers; add the hiring plan',
        due: '2026-07-08T09:00:00.000Z',
      },
    )
  ).conflictId;
  // Two more waiting, so the queue and the dashboard count are not a lone item.
  await rest.makeConflict(
    { title: 'Book the offsite venue' },
    { title: 'Book the offsite venue (Lisbon)' },
    { title: 'Book the venue in Porto' },
  );

  const integrations = await Promise.all([
    prisma.integration.create({
      data: {
        name: 'Event registrations → Smartsheet',
        type: 'SMARTSHEET',
        direction: 'PUSH',
        frequency: 'REALTIME',
        lastSyncAt: minutes(-1),
        lastSuccessAt: minutes(-1),
      },
    }),
    prisma.integration.create({
      data: {
        name: 'Contacts from Google Sheets',
        type: 'GOOGLE_SHEETS',
        direction: 'PULL',
        frequency: 'HOURLY',
        lastSyncAt: minutes(-12),
        lastSuccessAt: minutes(-12),
        nextSyncAt: minutes(48),
      },
    }),
    prisma.integration.create({
      data: {
        name: 'CMS items: SmartSuite → Webflow',
        type: 'WEBFLOW',
        direction: 'PUSH',
        frequency: 'REALTIME',
        lastSyncAt: minutes(-4),
        lastSuccessAt: minutes(-4),
      },
    }),
    prisma.integration.create({
      data: {
        name: 'Members ↔ HubSpot',
        type: 'HUBSPOT',
        status: 'DEGRADED',
        direction: 'BIDIRECTIONAL',
        frequency: 'DAILY',
        consecutiveFailures: 1,
        lastSyncAt: minutes(-90),
        lastErrorAt: minutes(-90),
        lastErrorMessage: 'HubSpot answered 429 (rate limited); retrying with backoff',
        nextSyncAt: minutes(600),
      },
    }),
  ]);
  const [smartsheet, sheets, webflow, hubspot] = integrations;
  await prisma.integration.update({
    where: { id: rest.integrationId },
    data: { frequency: 'EVERY_15_MIN', lastSyncAt: minutes(-3), lastSuccessAt: minutes(-3), nextSyncAt: minutes(12) },
  });

  // A day of runs: mostly fine, one partial, one running now.
  for (const [integration, count] of [
    [smartsheet!, 12],
    [sheets!, 8],
    [webflow!, 10],
  ] as const) {
    for (let i = 0; i < count; i++)
      await prisma.jobExecution.create({
        data: {
          integrationId: integration.id,
          jobType: i % 3 === 0 ? 'SCHEDULED_SYNC' : 'CHANGE_PUSH',
          status: 'COMPLETED',
          total: 40 + i,
          processed: 40 + i,
          succeeded: 40 + i,
          changed: 40 + i,
          startedAt: minutes(-60 * (i + 1)),
          completedAt: minutes(-60 * (i + 1) + 1),
          durationMs: 1800 + i * 40,
        },
      });
  }
  await prisma.jobExecution.create({
    data: {
      integrationId: hubspot!.id,
      jobType: 'SCHEDULED_SYNC',
      status: 'PARTIAL',
      total: 240,
      processed: 240,
      succeeded: 228,
      failed: 12,
      startedAt: minutes(-92),
      completedAt: minutes(-90),
      durationMs: 95_000,
    },
  });
  await prisma.jobExecution.create({
    data: {
      integrationId: sheets!.id,
      jobType: 'MANUAL_SYNC',
      status: 'RUNNING',
      direction: 'PULL',
      total: 1200,
      processed: 744,
      succeeded: 744,
      startedAt: new Date(Date.now() - 31_000),
    },
  });

  const log = (integrationId: string, data: Record<string, unknown>, at: number) =>
    prisma.syncLog.create({
      data: {
        integrationId,
        operation: 'BULK_SYNC',
        direction: 'PUSH',
        resourceType: 'ROW',
        status: 'SUCCESS',
        durationMs: 640,
        ...data,
        createdAt: minutes(at),
      },
    });
  await log(smartsheet!.id, { resourceType: 'REGISTRATION', recordsProcessed: 18, recordsSucceeded: 18 }, -1);
  await log(webflow!.id, { resourceType: 'CMS_ITEM', recordsProcessed: 4, recordsSucceeded: 4 }, -4);
  await log(
    hubspot!.id,
    {
      resourceType: 'MEMBER',
      direction: 'PULL',
      status: 'PARTIAL_SUCCESS',
      recordsProcessed: 240,
      recordsSucceeded: 228,
      recordsFailed: 12,
      errorMessage: '12 contacts had no email address',
    },
    -90,
  );
  await log(
    sheets!.id,
    { resourceType: 'CONTACT', direction: 'PULL', recordsProcessed: 312, recordsSucceeded: 312 },
    -12,
  );

  await prisma.alert.create({
    data: {
      integrationId: hubspot!.id,
      rule: 'HIGH_ERROR_RATE',
      severity: 'WARNING',
      title: 'HubSpot error rate above 5%',
      message: '12 of 240 records failed in the last run.',
      createdAt: minutes(-89),
    },
  });
}

const DEMO_EMAIL = 'dana@example.com';

beforeAll(async () => {
  await seedDemo();
  // A person's address in the picture (signInAs makes random ones).
  await harness.db.prisma.user.create({
    data: { email: DEMO_EMAIL, name: 'Dana', role: 'STAFF', passwordHash: await hashPassword(PASSWORD) },
  });
});

async function signInAsDemoUser(page: Page) {
  await harness.goto('/sign-in');
  await page.getByLabel('Email').fill(DEMO_EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${harness.url}/`);
  await waitForHydration(page);
}
afterAll(async () => {
  await rest?.close();
});

/** Saves the page as `name` in test-results/ and, when asked, in docs/screenshots/. */
async function capture(page: Page, name: string) {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `readme-${name}`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await mkdir(DOCS_DIR, { recursive: true });
    await copyFile(file, path.join(DOCS_DIR, name));
  }
}

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('README screenshots', { timeout: 120_000 }, () => {
  it('shows the dashboard with five integrations, live progress, a conflict count and an alert', async () => {
    const { page } = harness;
    await signInAsDemoUser(page);
    const table = page.getByRole('table', { name: /5 integrations/ });
    await table.waitFor();
    expect(await page.locator('.totals').innerText()).toMatch(/Pending conflicts\s+2/);
    await expect(
      page.getByRole('progressbar', { name: /Contacts from Google Sheets/ }).getAttribute('aria-valuenow'),
    ).resolves.toBe('62');
    await page.getByText('HubSpot error rate above 5%').waitFor();
    // Hover and focus rings off the picture.
    await page.mouse.move(0, 0);
    await capture(page, 'dashboard.png');
  });

  it('shows a conflict review with the differing fields marked and a choice per field', async () => {
    const { page } = harness;
    await signInAsDemoUser(page);
    await harness.goto(`/conflicts/${conflictId}`);
    await page.getByRole('heading', { name: 'Decide field by field' }).waitFor();
    await expect(page.locator('tr[data-field="title"] th').innerText()).resolves.toContain('Changed on both sides');
    await page.getByRole('group', { name: 'Keep for title' }).getByRole('radio', { name: 'External' }).check();
    await page.mouse.move(0, 0);
    await capture(page, 'conflict-review.png');
  });
});
