// The wizard offers the declarative REST types: adding a Trello integration against the declarative
// sandbox's Trello profile (API key and token as query parameters, checked as Trello does), with a
// failing then passing connection test; then renaming it in Settings and reaching it from the dashboard.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDeclarativeSandbox,
  SANDBOX_CREDENTIALS,
  trelloProfile,
  type SandboxServer,
} from '@syncbridge/connectors/sandboxes';
import { RESULTS_DIR, useBrowserHarness } from './harness.ts';
import { seedProfiles, testKeys } from './integration-flow.ts';

const keys = testKeys();
const harness = useBrowserHarness({ keyRing: keys.keyRing });
const { apiKey: API_KEY, token: API_TOKEN } = SANDBOX_CREDENTIALS.trello;
const WRONG_TOKEN = 'not-the-trello-token';
const BOARD_ID = '5f1a2b3c4d5e6f7a8b9c0d1e';
const LIST_ID = '5f1a2b3c4d5e6f7a8b9c0d2f';
let server: SandboxServer;
let apiUrl: string;

beforeAll(async () => {
  server = await createDeclarativeSandbox(trelloProfile).start();
  apiUrl = `${server.url}/1`;
  await seedProfiles(harness.db, 2);
});

afterAll(async () => {
  await server?.close();
});

const heading = (name: string) => harness.page.getByRole('heading', { name });

async function snapshot(name: string) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await harness.page.screenshot({ path: path.join(RESULTS_DIR, `wizard-declarative--${name}.png`), fullPage: true });
}

describe('the wizard with declarative REST types', { timeout: 120_000 }, () => {
  it('creates a Trello integration once its key and token pass the test, then renames it', async () => {
    const { page, db } = harness;
    const other = await db.prisma.integration.create({
      data: { name: 'Volunteer shifts', type: 'SMARTSHEET', status: 'ACTIVE' },
    });
    await harness.signInAs('ADMIN');
    await harness.goto('/integrations/new');
    await heading('Step 1 of 5: Type').waitFor();

    // Every declarative type is offered; the generic REST API stays last.
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
    await page.getByRole('radio', { name: /Trello/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    // Basics: Trello's own API is the default; the sandbox stands in for it.
    await heading('Step 2 of 5: Basics').waitFor();
    await expect(page.locator('#wizard-base-url-hint').innerText()).resolves.toContain('https://api.trello.com/1');
    await expect(page.locator('.field__static').innerText()).resolves.toBe('API key and token');
    await page.getByLabel('Name', { exact: true }).fill('Event cards');
    await page.getByLabel(/^Base URL/).fill(apiUrl);
    await page.getByLabel(/^Base URL/).press('Enter');

    // Credentials: the two keys the Trello definition reads, both masked, each with where to find it.
    await heading('Step 3 of 5: Credentials').waitFor();
    const key = page.getByLabel('API key', { exact: true });
    const token = page.getByLabel('API token', { exact: true });
    await expect(key.getAttribute('type')).resolves.toBe('password');
    await expect(token.getAttribute('type')).resolves.toBe('password');
    await expect(page.locator('#wizard-credential-apiKey-hint').innerText()).resolves.toContain(
      'trello.com/power-ups/admin',
    );
    await key.fill(API_KEY);
    await token.fill(WRONG_TOKEN);
    await token.press('Enter');

    // Sync settings: the board, and the list new cards go to (a resource option).
    await heading('Step 4 of 5: Sync settings').waitFor();
    await page.getByLabel('Postgres table').fill('profiles');
    await page.getByLabel('Board ID').fill(BOARD_ID);
    await page.getByLabel(/^List ID for new cards/).fill(LIST_ID);
    await page.getByRole('button', { name: 'Next' }).click();

    // The sandbox refuses the wrong token as Trello would; nothing can be created.
    await heading('Step 5 of 5: Review and test').waitFor();
    const failure = page.locator('.connection-result[data-status="auth_failed"]');
    await failure.waitFor();
    expect(await failure.innerText()).not.toContain(WRONG_TOKEN);
    await expect(page.getByRole('button', { name: 'Create integration' }).isDisabled()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Fix the credentials' }).click();
    await heading('Step 3 of 5: Credentials').waitFor();
    await token.fill(API_TOKEN);
    await token.press('Enter');
    await heading('Step 4 of 5: Sync settings').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await heading('Step 5 of 5: Review and test').waitFor();
    await page.locator('.connection-result[data-status="connected"]').waitFor();
    const review = await page.locator('.review').innerText();
    expect(review).toContain('Trello');
    expect(review).toContain('API key and token: entered (hidden)');
    expect(review).toContain(`profiles ↔ Board ID ${BOARD_ID} · List ID for new cards: ${LIST_ID}`);
    expect(review).not.toContain(API_TOKEN);
    await snapshot('review-connected');
    await page.getByRole('button', { name: 'Create integration' }).click();
    await heading('Event cards is connected').waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Integration created' }).innerText()).resolves.toMatch(
      /the connection test passed in \d+ ms/,
    );

    // Stored as the Trello definition expects: credentials apiKey + token (encrypted), the list as
    // the resource's option.
    const integration = await db.prisma.integration.findFirstOrThrow({ where: { type: 'TRELLO' } });
    expect(integration).toMatchObject({ name: 'Event cards', baseUrl: apiUrl, authType: 'API_KEY' });
    expect(integration.credentialsEnc).not.toContain(API_TOKEN);
    expect(JSON.parse(keys.keyRing.decrypt(integration.credentialsKeyId!, integration.credentialsEnc!))).toEqual({
      apiKey: API_KEY,
      token: API_TOKEN,
    });
    const resource = await db.prisma.syncResource.findFirstOrThrow({ where: { integrationId: integration.id } });
    expect(resource).toMatchObject({ localTable: 'profiles', externalObject: BOARD_ID, options: { listId: LIST_ID } });

    // Settings: another integration's name is refused next to the field; a new one is saved.
    await harness.goto(`/integrations/${integration.id}/settings`);
    const name = page.getByLabel('Name', { exact: true });
    await expect(name.inputValue()).resolves.toBe('Event cards');
    harness.allowConsoleError(/status of 409 \(Conflict\)/);
    await name.fill('volunteer SHIFTS');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.locator('#settings-name-error').innerText()).resolves.toBe(
      'Another integration already has this name.',
    );
    await expect(name.getAttribute('aria-invalid')).resolves.toBe('true');
    await name.fill('  Trello event cards ');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Saved\.$/ })
      .waitFor();
    await heading('Trello event cards').waitFor();
    await expect(name.inputValue()).resolves.toBe('Trello event cards');
    await snapshot('settings-renamed');
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } })).name).toBe(
      'Trello event cards',
    );
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: other.id } })).name).toBe('Volunteer shifts');

    // The dashboard's name is a link to the integration.
    await harness.goto('/');
    await page.getByRole('table').getByRole('link', { name: 'Trello event cards' }).click();
    await page.waitForURL(`${harness.url}/integrations/${integration.id}`);
    await heading('Trello event cards').waitFor();
  });
});
