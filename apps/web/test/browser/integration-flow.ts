// Shared steps of the integration browser tests: a Smartsheet sandbox with a sheet for the event
// app's profiles, and adding a Smartsheet integration through the wizard the way an admin would.
import type { Page } from 'playwright-core';
import {
  createSmartsheetSandbox,
  type SandboxServer,
  type SmartsheetSandbox,
  type SmartsheetSandboxOptions,
} from '@syncbridge/connectors/sandboxes';
import type { TestDatabase } from '@syncbridge/db/testing';
import { generateKey, parseKeyRing } from '@syncbridge/engine';
import { waitForHydration } from './harness.ts';

export const GOOD_TOKEN = 'smartsheet-sandbox-token';
export const PROFILE_COLUMNS = ['ID', 'Full Name', 'Email', 'Role', 'Organization'];

/** A key ring and its ENCRYPTION_KEYS spelling (the worker process reads the latter). */
export function testKeys() {
  const spec = `browser:${generateKey()}`;
  return { spec, keyRing: parseKeyRing(spec) };
}

export interface SmartsheetFixture {
  sandbox: SmartsheetSandbox;
  server: SandboxServer;
  /** The API root the wizard is given: `${server.url}/2.0`. */
  apiUrl: string;
  sheetId: number;
}

export async function startSmartsheet(options: SmartsheetSandboxOptions = {}): Promise<SmartsheetFixture> {
  const sandbox = createSmartsheetSandbox({ accessToken: GOOD_TOKEN, seed: 11, ...options });
  const server = await sandbox.start();
  const sheet = sandbox.sheets.createSheet({ name: 'Registrations', columns: PROFILE_COLUMNS });
  return { sandbox, server, apiUrl: `${server.url}/2.0`, sheetId: sheet.id };
}

/** `count` public profiles: Person 1 … Person n. */
export async function seedProfiles(db: TestDatabase, count: number): Promise<void> {
  await db.pool.query(
    `insert into profiles (full_name, email, role, organization)
     select 'Person ' || g, 'person' || g || '@example.com', (array['student','faculty','industry'])[1 + g % 3], 'Org ' || (g % 4)
       from generate_series(1, $1::int) as g`,
    [count],
  );
}

export interface WizardInput {
  name: string;
  apiUrl: string;
  token: string;
  sheetId: number;
  /** The option label of "How often". */
  frequency?: string;
}

/**
 * Opens the wizard from the integrations list and goes through the five steps with the keyboard
 * where a person would (Enter submits a step), ending on the "connected" page. Returns the
 * integration's page address and the one-time webhook secret.
 */
export async function addSmartsheetIntegration(page: Page, baseUrl: string, input: WizardInput) {
  await page.goto(`${baseUrl}/integrations`);
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Add integration' }).click();
  await page.waitForURL(`${baseUrl}/integrations/new`);
  await page.getByRole('heading', { name: 'Step 1 of 5: Type' }).waitFor();

  await page.getByRole('radio', { name: /Smartsheet/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Step 2 of 5: Basics' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(input.name);
  await page.getByLabel(/^Base URL/).fill(input.apiUrl);
  await page.getByLabel(/^Base URL/).press('Enter');

  await page.getByRole('heading', { name: 'Step 3 of 5: Credentials' }).waitFor();
  await page.getByLabel('API access token', { exact: true }).fill(input.token);
  await page.getByLabel('API access token', { exact: true }).press('Enter');

  await page.getByRole('heading', { name: 'Step 4 of 5: Sync settings' }).waitFor();
  if (input.frequency) await page.getByLabel('How often').selectOption({ label: input.frequency });
  await page.getByLabel('Postgres table').fill('profiles');
  await page.getByLabel('Sheet ID').fill(String(input.sheetId));
  await page.getByLabel(/^Key column title/).fill('ID');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('heading', { name: 'Step 5 of 5: Review and test' }).waitFor();
  await page.locator('.connection-result[data-status="connected"]').waitFor();
  await page.getByRole('button', { name: 'Create integration' }).click();
  await page.getByRole('heading', { name: `${input.name} is connected` }).waitFor();
  const secret = await page.getByRole('textbox', { name: 'Webhook signing secret' }).inputValue();
  const link = page.getByRole('link', { name: new RegExp(`open ${input.name}`) });
  const href = (await link.getAttribute('href')) ?? '';
  return { secret, href, link };
}

/** On an integration's Mappings tab: opens its one resource, reads the sheet's columns, applies all suggestions and saves. */
export async function mapAllSuggestedFields(page: Page, resourceName = 'profiles') {
  await page.getByRole('tab', { name: 'Mappings' }).click();
  await page.getByRole('link', { name: resourceName, exact: true }).click();
  await page.getByRole('heading', { name: `Field mappings: ${resourceName}` }).waitFor();
  await page.getByRole('button', { name: 'Read Smartsheet fields' }).click();
  await page.getByRole('button', { name: /^Apply all \d+ suggestions$/ }).click();
  await page.getByRole('button', { name: 'Save mappings' }).click();
  await page.getByRole('status').filter({ hasText: 'Mappings saved.' }).waitFor();
}
