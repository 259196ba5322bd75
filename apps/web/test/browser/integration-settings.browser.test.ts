import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, RESULTS_DIR, useBrowserHarness } from './harness.ts';
import { GOOD_TOKEN, startSmartsheet, testKeys, type SmartsheetFixture } from './integration-flow.ts';

const keys = testKeys();
const harness = useBrowserHarness({ keyRing: keys.keyRing });
const OLD_SECRET = 'whsec_the-one-shown-at-creation';
let smartsheet: SmartsheetFixture;

beforeAll(async () => {
  smartsheet = await startSmartsheet();
});

afterAll(async () => {
  await smartsheet?.server.close();
});

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

/** A Smartsheet integration whose stored token the sandbox no longer accepts, with some history. */
async function seedIntegration(name: string) {
  const { db } = harness;
  const credentials = keys.keyRing.encrypt(JSON.stringify({ accessToken: 'revoked-token' }));
  const secret = keys.keyRing.encrypt(OLD_SECRET);
  const integration = await db.prisma.integration.create({
    data: {
      name,
      type: 'SMARTSHEET',
      baseUrl: smartsheet.apiUrl,
      authType: 'BEARER_TOKEN',
      credentialsEnc: credentials.ciphertext,
      credentialsKeyId: credentials.keyId,
      webhookSecretEnc: secret.ciphertext,
      webhookSecretKeyId: secret.keyId,
      frequency: 'HOURLY',
      lastSyncAt: hoursAgo(3),
      lastSuccessAt: hoursAgo(5),
    },
  });
  const resource = await db.prisma.syncResource.create({
    data: {
      integrationId: integration.id,
      name: 'members',
      resourceType: 'MEMBER',
      localTable: 'profiles',
      localKeyColumn: 'id',
      externalObject: String(smartsheet.sheetId),
    },
  });
  // Two finished runs five hours ago (both fine) and one three hours ago (failed), with request times.
  const runs = [
    { status: 'COMPLETED', at: hoursAgo(5) },
    { status: 'COMPLETED', at: hoursAgo(5) },
    { status: 'FAILED', at: hoursAgo(3) },
  ] as const;
  for (const run of runs) {
    await db.prisma.jobExecution.create({
      data: {
        integrationId: integration.id,
        resourceId: resource.id,
        jobType: 'SCHEDULED_SYNC',
        status: run.status,
        total: 10,
        processed: 10,
        failed: run.status === 'FAILED' ? 10 : 0,
        createdAt: run.at,
        startedAt: run.at,
        completedAt: run.at,
      },
    });
  }
  for (const [at, durationMs] of [
    [hoursAgo(5), 120],
    [hoursAgo(3), 480],
  ] as const) {
    await db.prisma.syncLog.create({
      data: {
        integrationId: integration.id,
        resourceId: resource.id,
        operation: 'BULK_SYNC',
        direction: 'PUSH',
        resourceType: 'MEMBER',
        status: 'SUCCESS',
        recordsProcessed: 10,
        recordsSucceeded: 10,
        durationMs,
        createdAt: at,
      },
    });
  }
  await db.prisma.conflictResolution.create({
    data: {
      integrationId: integration.id,
      resourceId: resource.id,
      resourceType: 'MEMBER',
      internalId: 'm-1',
      externalId: 'row-1',
      localData: { email: 'a@example.com' },
      externalData: { email: 'b@example.com' },
      conflictedFields: ['email'],
    },
  });
  return integration;
}

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('an integration’s overview and settings', { timeout: 120_000 }, () => {
  it('shows health with its components and 24-hour sparklines described in words', async () => {
    const { page } = harness;
    const integration = await seedIntegration('Members sheet');
    await harness.signInAs('VIEWER');
    await harness.goto(`/integrations/${integration.id}`);

    await expect(page.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(
      page.getByRole('img', { name: /^Health \d+ of 100, (good|fair|poor)$/ }).count(),
    ).resolves.toBeGreaterThan(0);
    const components = page.getByRole('table', { name: 'What the score is made of' });
    const rows = await components.getByRole('row').allInnerTexts();
    expect(rows.map((row) => row.split('\t')[0])).toEqual([
      'Check',
      'Success rate',
      'Response time',
      'Error rate',
      'Freshness',
    ]);
    expect(rows[1]).toContain('66.7%');

    const success = page.getByRole('img', { name: /^Success rate per hour/ });
    await expect(success.evaluate((svg) => svg.tagName.toLowerCase())).resolves.toBe('svg');
    const successName = await page.locator('figure', { has: success }).locator('figcaption').innerText();
    expect(successName).toContain('latest 0%, lowest 0%, highest 100%; 2 of 24 hours had runs');
    const latencyName = await page
      .locator('figure', { has: page.getByRole('img', { name: /^Average latency per hour/ }) })
      .locator('figcaption')
      .innerText();
    expect(latencyName).toContain('latest 480 ms, lowest 120 ms, highest 480 ms; 2 of 24 hours had runs');

    const config = await page.locator('.details').innerText();
    expect(config).toContain(smartsheet.apiUrl);
    expect(config).toMatch(/Frequency\s+Hourly/);
    expect(config).toMatch(/Last success\s+5 hours ago/);

    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'integration-settings--overview-tab.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Conflicts' }).click();
    await page.getByRole('heading', { name: 'Conflicts', level: 2 }).waitFor();
    await expect(page.locator('.conflict-count').innerText()).resolves.toMatch(/^1\s+conflict waits for a decision\.$/);
    await expect(page.getByRole('link', { name: /conflicts queue/ }).getAttribute('href')).resolves.toBe(
      `/conflicts?integrationId=${integration.id}`,
    );
    await page.getByRole('tab', { name: 'Sync logs' }).click();
    await page.getByRole('table', { name: /Latest 2 of 2 log lines/ }).waitFor();
    await expect(page.getByRole('link', { name: /logs viewer/ }).getAttribute('href')).resolves.toBe(
      `/logs?integrationId=${integration.id}`,
    );
  });

  it('pauses and resumes, replaces credentials write-only, rotates the secret once, and deletes on the typed name', async () => {
    const { page, db } = harness;
    const integration = await seedIntegration('Volunteers sheet');
    await harness.signInAs('ADMIN');
    await harness.goto(`/integrations/${integration.id}/settings`);
    const badge = page.locator('.page-head__sub .badge');

    // The stored token no longer works: the header's test says so.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('.connection-result[data-status="auth_failed"]').waitFor();

    await page.getByRole('button', { name: 'Pause syncing' }).click();
    await page.getByRole('status').filter({ hasText: 'Paused: no syncs run until you resume.' }).waitFor();
    await expect(badge.textContent()).resolves.toBe('Paused');
    await expect(page.getByRole('button', { name: 'Sync now' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Resume syncing' }).click();
    await eventually(
      () => badge.textContent(),
      (text) => text === 'Active',
    );

    // Credentials are never prefilled; new ones replace the old (encrypted) and the test now passes.
    const newToken = page.getByLabel('New API access token');
    await expect(newToken.inputValue()).resolves.toBe('');
    expect(await page.content()).not.toContain('revoked-token');
    await page.getByLabel('How often').selectOption({ label: 'Daily' });
    await newToken.fill(GOOD_TOKEN);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved, with the new credentials.' }).waitFor();
    await expect(newToken.inputValue()).resolves.toBe('');
    const saved = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(saved.frequency).toBe('DAILY');
    expect(JSON.parse(keys.keyRing.decrypt(saved.credentialsKeyId!, saved.credentialsEnc!))).toEqual({
      accessToken: GOOD_TOKEN,
    });
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('.connection-result[data-status="connected"]').waitFor();

    // Rotating asks first, then shows the new secret once; the old one is gone.
    await page.getByRole('button', { name: 'Rotate webhook secret' }).click();
    await page.getByRole('button', { name: 'Rotate now' }).click();
    await page.getByRole('heading', { name: 'New webhook signing secret' }).waitFor();
    const rotated = await page.getByRole('textbox', { name: 'Webhook signing secret' }).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    const after = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(keys.keyRing.decrypt(after.webhookSecretKeyId!, after.webhookSecretEnc!)).toBe(rotated);
    await harness.goto(`/integrations/${integration.id}/settings`);
    expect(await page.content()).not.toContain(rotated);

    // Delete: only the exact name unlocks the button; the list then says what went.
    const remove = page.getByRole('button', { name: 'Delete integration' });
    await expect(remove.isDisabled()).resolves.toBe(true);
    await page.getByLabel('Type Volunteers sheet to confirm').fill('volunteers sheet');
    await expect(remove.isDisabled()).resolves.toBe(true);
    await page.getByLabel('Type Volunteers sheet to confirm').fill('Volunteers sheet');
    await remove.click();
    await page.waitForURL(`${harness.url}/integrations`);
    await expect(page.getByRole('status').filter({ hasText: 'Deleted Volunteers sheet.' }).innerText()).resolves.toBe(
      'Deleted Volunteers sheet. Removed 1 resource, 0 record mappings, 2 log lines and 1 conflict.',
    );
    expect(await db.prisma.integration.count({ where: { id: integration.id } })).toBe(0);
    expect(await page.getByRole('link', { name: 'Volunteers sheet' }).count()).toBe(0);
  });
});
