import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, useBrowserHarness, waitForHydration } from './harness.ts';
import { GOOD_TOKEN, seedProfiles, startSmartsheet, testKeys, type SmartsheetFixture } from './integration-flow.ts';

const keys = testKeys();
const harness = useBrowserHarness({ keyRing: keys.keyRing });
const WRONG_TOKEN = 'not-the-smartsheet-token';
let smartsheet: SmartsheetFixture;

beforeAll(async () => {
  smartsheet = await startSmartsheet();
  await seedProfiles(harness.db, 3);
});

afterAll(async () => {
  await smartsheet?.server.close();
});

const heading = (name: string) => harness.page.getByRole('heading', { name });

/** A picture of a step on the way (the harness takes the final one). */
async function snapshot(name: string) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await harness.page.screenshot({ path: path.join(RESULTS_DIR, `wizard--${name}.png`), fullPage: true });
}

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('the add-integration wizard', { timeout: 120_000 }, () => {
  it('refuses a wrong token visibly, creates the integration once the test passes, and shows the secret once', async () => {
    const { page, db } = harness;
    await harness.signInAs('ADMIN');
    await harness.goto('/integrations');
    await expect(heading('No integrations yet').isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Add integration' }).click();
    await page.waitForURL(`${harness.url}/integrations/new`);
    await heading('Step 1 of 5: Type').waitFor();

    // The step indicator marks where the wizard is.
    const current = page.locator('.wizard-steps [aria-current="step"]');
    await expect(current.innerText()).resolves.toContain('Type');

    // Step 1, by keyboard only: Next without a choice says what is missing, next to the cards.
    await page.getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#wizard-type-error').innerText()).resolves.toBe('Choose the tool to connect.');
    await snapshot('step-1-type-cards');
    const cards = await page
      .getByRole('radio')
      .evaluateAll((radios) => radios.map((radio) => radio.getAttribute('value')));
    expect(cards).toEqual([
      'SMARTSHEET',
      'GOOGLE_SHEETS',
      'WEBFLOW',
      'SMARTSUITE',
      'ASANA',
      'HUBSPOT',
      'TRELLO',
      'MONDAY',
      'CLICKUP',
      'TOGGL',
      'HARVEST',
      'CLOCKIFY',
      'SALESFORCE',
      'GENERIC_REST',
    ]);
    await page.getByRole('radio', { name: /Smartsheet/ }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');

    // Step 2: focus moves to the step's heading; a bad base URL is flagged next to the field.
    await heading('Step 2 of 5: Basics').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Step 2 of 5: Basics');
    await expect(current.innerText()).resolves.toContain('Basics');
    await expect(page.locator('.wizard-steps__item--done').innerText()).resolves.toContain('Type');
    await page.getByLabel('Name', { exact: true }).fill('Event registrations');
    const baseUrl = page.getByLabel(/^Base URL/);
    await baseUrl.fill('smartsheet sandbox');
    await baseUrl.press('Enter');
    await expect(page.locator('#wizard-base-url-error').innerText()).resolves.toBe(
      'Enter a full address starting with https://.',
    );
    await expect(baseUrl.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(baseUrl.getAttribute('aria-describedby')).resolves.toContain('wizard-base-url-error');
    await baseUrl.fill(smartsheet.apiUrl);
    await baseUrl.press('Enter');

    // Step 3: the token is masked until shown.
    await heading('Step 3 of 5: Credentials').waitFor();
    const token = page.getByLabel('API access token', { exact: true });
    await expect(token.getAttribute('type')).resolves.toBe('password');
    await token.fill(WRONG_TOKEN);
    const toggle = page.locator('button[aria-controls="wizard-credential-accessToken"]');
    await expect(toggle.textContent()).resolves.toBe('Show API access token');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await page.getByRole('button', { name: 'Show API access token' }).click();
    await expect(token.getAttribute('type')).resolves.toBe('text');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await page.getByRole('button', { name: 'Hide API access token' }).click();
    await expect(token.getAttribute('type')).resolves.toBe('password');
    await token.press('Enter');

    // Step 4: sync settings and the first resource (profiles → the sheet).
    await heading('Step 4 of 5: Sync settings').waitFor();
    await page.getByLabel('How often').selectOption({ label: 'Hourly' });
    await page.getByLabel('Postgres table').fill('profiles');
    await page.getByLabel('Sheet ID').fill(String(smartsheet.sheetId));
    await page.getByLabel(/^Key column title/).fill('ID');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 5: the live test runs at once and fails visibly; creating is not possible.
    await heading('Step 5 of 5: Review and test').waitFor();
    const failure = page.locator('.connection-result[data-status="auth_failed"]');
    await failure.waitFor();
    await expect(failure.getAttribute('role')).resolves.toBe('alert');
    const failureText = await failure.innerText();
    expect(failureText).toContain('The credentials were refused');
    expect(failureText).not.toContain(WRONG_TOKEN);
    const create = page.getByRole('button', { name: 'Create integration' });
    await expect(create.isDisabled()).resolves.toBe(true);
    await expect(page.locator('#wizard-create-note').innerText()).resolves.toBe(
      'You can create the integration once the connection test passes.',
    );
    expect(await db.prisma.integration.count()).toBe(0);
    await snapshot('step-5-connection-test-failed');

    // Back to the credentials with the offered link; the right token makes the test pass.
    await page.getByRole('button', { name: 'Fix the credentials' }).click();
    await heading('Step 3 of 5: Credentials').waitFor();
    await token.fill(GOOD_TOKEN);
    await token.press('Enter');
    await heading('Step 4 of 5: Sync settings').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await heading('Step 5 of 5: Review and test').waitFor();
    const success = page.locator('.connection-result[data-status="connected"]');
    await success.waitFor();
    await expect(success.innerText()).resolves.toMatch(/Connection works[\s\S]*\d+ ms/);
    const review = await page.locator('.review').innerText();
    expect(review).toContain('Event registrations');
    expect(review).toContain(smartsheet.apiUrl);
    expect(review).toContain('entered (hidden)');
    expect(review).not.toContain(GOOD_TOKEN);

    // Another admin took the name meanwhile: creating leads back to the name, with the reason.
    const blocker = await db.prisma.integration.create({ data: { name: 'EVENT registrations', type: 'ASANA' } });
    harness.allowConsoleError(/status of 409 \(Conflict\)/);
    await create.click();
    await heading('Step 2 of 5: Basics').waitFor();
    await expect(page.locator('#wizard-name-error').innerText()).resolves.toBe(
      'Another integration already has this name.',
    );
    await expect(page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await db.prisma.integration.count()).toBe(1);
    await db.prisma.integration.delete({ where: { id: blocker.id } });
    await page.getByLabel('Name', { exact: true }).press('Enter');
    await heading('Step 3 of 5: Credentials').waitFor();
    await token.press('Enter');
    await heading('Step 4 of 5: Sync settings').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await heading('Step 5 of 5: Review and test').waitFor();
    await success.waitFor();
    await create.click();

    // Done: the webhook URL and secret, once, with copy buttons and a warning.
    await heading('Event registrations is connected').waitFor();
    await expect(page.getByRole('note').innerText()).resolves.toContain('it is shown only this once');
    const secret = await page.getByRole('textbox', { name: 'Webhook signing secret' }).inputValue();
    await snapshot('done-secret-shown-once');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const integration = await db.prisma.integration.findFirstOrThrow();
    expect(await page.getByRole('textbox', { name: 'Webhook URL' }).inputValue()).toBe(
      `${harness.url}/api/webhooks/integrations/${integration.id}/receive`,
    );
    await expect(page.getByRole('button', { name: 'Copy Webhook signing secret' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Copy Webhook URL' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Webhook URL copied|press Ctrl\+C/ })
      .waitFor();

    // Stored: encrypted token and secret (the secret is the one shown), the settings, the resource.
    expect(integration).toMatchObject({
      name: 'Event registrations',
      type: 'SMARTSHEET',
      baseUrl: smartsheet.apiUrl,
      authType: 'BEARER_TOKEN',
      frequency: 'HOURLY',
      direction: 'PUSH',
    });
    expect(integration.credentialsEnc).not.toContain(GOOD_TOKEN);
    expect(JSON.parse(keys.keyRing.decrypt(integration.credentialsKeyId!, integration.credentialsEnc!))).toEqual({
      accessToken: GOOD_TOKEN,
    });
    expect(keys.keyRing.decrypt(integration.webhookSecretKeyId!, integration.webhookSecretEnc!)).toBe(secret);
    const resource = await db.prisma.syncResource.findFirstOrThrow({ where: { integrationId: integration.id } });
    expect(resource).toMatchObject({
      name: 'profiles',
      localTable: 'profiles',
      localKeyColumn: 'id',
      externalObject: String(smartsheet.sheetId),
      externalKeyField: 'ID',
    });
    await expect(page.getByRole('link', { name: 'Map its fields' }).getAttribute('href')).resolves.toBe(
      `/integrations/${integration.id}/mappings/${resource.id}`,
    );

    // Shown once: the integration's pages never show it again.
    await page.getByRole('link', { name: /open Event registrations/ }).click();
    await page.waitForURL(`${harness.url}/integrations/${integration.id}`);
    await heading('Event registrations').waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.waitForURL(`${harness.url}/integrations/${integration.id}/settings`);
    await heading('Webhook signing secret').waitFor();
    expect(await page.content()).not.toContain(secret);
    await harness.goto(`/integrations/${integration.id}/settings`);
    expect(await page.content()).not.toContain(secret);
    expect(await page.content()).not.toContain(GOOD_TOKEN);
  });

  it('offers viewers no add, sync, test or settings controls, and refuses them the wizard', async () => {
    const { page, db } = harness;
    const integration = await db.prisma.integration.create({
      data: { name: 'Viewer can look', type: 'SMARTSHEET', status: 'ACTIVE' },
    });
    await harness.signInAs('VIEWER');
    await harness.goto('/integrations');
    await page.getByRole('link', { name: 'Viewer can look' }).click();
    await page.waitForURL(`${harness.url}/integrations/${integration.id}`);
    await heading('Viewer can look').waitFor();
    expect(
      await page
        .getByRole('button')
        .filter({ hasText: /Sync now|Test connection/ })
        .count(),
    ).toBe(0);
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['Overview', 'Sync logs', 'Mappings', 'Conflicts']);
    expect(await page.locator('main button').count()).toBe(0);
    await harness.goto('/integrations');
    expect(await page.getByRole('link', { name: 'Add integration' }).count()).toBe(0);

    harness.allowConsoleError(/status of 403 \(Forbidden\)/);
    const wizard = await page.goto(`${harness.url}/integrations/new`);
    await waitForHydration(page);
    expect(wizard?.status()).toBe(403);
    const settings = await page.goto(`${harness.url}/integrations/${integration.id}/settings`);
    await waitForHydration(page);
    expect(settings?.status()).toBe(403);
  });
});
