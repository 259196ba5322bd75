import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, useBrowserHarness } from './harness.ts';
import {
  addSmartsheetIntegration,
  GOOD_TOKEN,
  seedProfiles,
  startSmartsheet,
  testKeys,
  type SmartsheetFixture,
} from './integration-flow.ts';

const keys = testKeys();
const harness = useBrowserHarness({ keyRing: keys.keyRing });
let smartsheet: SmartsheetFixture;

beforeAll(async () => {
  smartsheet = await startSmartsheet();
  await seedProfiles(harness.db, 3);
});

afterAll(async () => {
  await smartsheet?.server.close();
});

const EXPRESSION = '$uppercase($value) & " (" & role & ")"';

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('editing field mappings', { timeout: 150_000 }, () => {
  it('applies suggestions, previews a JSONata change live, saves it, and puts a bad column’s error on its row', async () => {
    const { page, db } = harness;
    await harness.signInAs('ADMIN');
    const { link } = await addSmartsheetIntegration(page, harness.url, {
      name: 'Profiles sheet',
      apiUrl: smartsheet.apiUrl,
      token: GOOD_TOKEN,
      sheetId: smartsheet.sheetId,
    });
    await link.click();
    await page.getByRole('heading', { name: 'Profiles sheet', level: 1 }).waitFor();
    const integration = await db.prisma.integration.findFirstOrThrow();
    const resource = await db.prisma.syncResource.findFirstOrThrow();

    // The tabs by keyboard: one tab stop, arrows move, Enter opens (a real URL per tab).
    const tab = (name: string) => page.getByRole('tab', { name });
    await expect(tab('Overview').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(tab('Mappings').getAttribute('tabindex')).resolves.toBe('-1');
    await tab('Overview').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Mappings');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${harness.url}/integrations/${integration.id}/mappings`);
    await page.locator('#tab-mappings[aria-selected="true"]').waitFor();
    await expect(tab('Overview').getAttribute('aria-selected')).resolves.toBe('false');
    await expect(page.getByRole('tabpanel').getAttribute('aria-labelledby')).resolves.toBe('tab-mappings');

    await page.getByRole('link', { name: 'profiles', exact: true }).click();
    await page.waitForURL(`${harness.url}/integrations/${integration.id}/mappings/${resource.id}`);
    await page.getByRole('heading', { name: 'Field mappings: profiles' }).waitFor();
    await expect(page.getByText('The Smartsheet fields have not been read yet.').isVisible()).resolves.toBe(true);

    // Suggestions come from the sheet's columns: one applied by itself, then the rest at once.
    await page.getByRole('button', { name: 'Read Smartsheet fields' }).click();
    await page.getByRole('status').filter({ hasText: 'Found 5 fields.' }).waitFor();
    await page.getByRole('button', { name: 'Apply suggestion full_name to Full Name' }).click();
    const row = (index: number) => page.locator(`.mapping-row[data-row="${index}"]`);
    await expect(row(0).getByLabel('Postgres column').inputValue()).resolves.toBe('full_name');
    await expect(row(0).getByLabel('Smartsheet field').inputValue()).resolves.toBe('Full Name');
    expect(await page.getByRole('button', { name: 'Apply suggestion full_name to Full Name' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Apply all 4 suggestions' }).click();
    await expect(page.locator('.mapping-row').count()).resolves.toBe(5);
    await page.getByRole('status').filter({ hasText: 'Added 4 suggested mappings (not saved yet).' }).waitFor();
    await page.getByRole('button', { name: 'Save mappings' }).click();
    await page.getByRole('status').filter({ hasText: 'Mappings saved.' }).waitFor();

    // The preview runs on the table's first row; a JSONata transform updates it as it is typed.
    const first = (
      await db.pool.query<{ full_name: string; role: string }>(
        'select full_name, role from profiles order by id limit 1',
      )
    ).rows[0]!;
    const preview = row(0).locator('output');
    await eventually(
      () => preview.textContent(),
      (text) => text === `"${first.full_name}"`,
    );
    await row(0).getByLabel('Transform').selectOption({ label: 'JSONata expression' });
    await row(0).getByLabel('JSONata expression').fill(EXPRESSION);
    const expected = `${first.full_name.toUpperCase()} (${first.role})`;
    await eventually(
      () => preview.textContent(),
      (text) => text === `"${expected}"`,
    );
    await expect(page.locator('pre[aria-label="Mapped record"]').textContent()).resolves.toContain(
      `"Full Name": "${expected}"`,
    );
    await page.getByRole('status').filter({ hasText: 'Unsaved changes' }).waitFor();
    await page.getByRole('button', { name: 'Save mappings' }).click();
    await page.getByRole('status').filter({ hasText: 'Mappings saved.' }).waitFor();

    // Saved for real: the database has it, and a reload shows it.
    const saved = await db.prisma.syncResource.findUniqueOrThrow({ where: { id: resource.id } });
    expect((saved.fieldMappings as unknown[])[0]).toEqual({
      local: 'full_name',
      external: 'Full Name',
      transform: { type: 'jsonata', expression: EXPRESSION },
    });
    await harness.goto(`/integrations/${integration.id}/mappings/${resource.id}`);
    await page.getByRole('heading', { name: 'Field mappings: profiles' }).waitFor();
    await expect(row(0).getByLabel('Transform').inputValue()).resolves.toBe('jsonata');
    await expect(row(0).getByLabel('JSONata expression').inputValue()).resolves.toBe(EXPRESSION);
    await eventually(
      () => row(0).locator('output').textContent(),
      (text) => text === `"${expected}"`,
    );

    // A row the browser can tell is incomplete is flagged before anything is sent.
    await page.getByRole('button', { name: 'Add field' }).click();
    await row(5).getByLabel('Postgres column').fill('organization');
    await page.getByRole('button', { name: 'Save mappings' }).click();
    await expect(row(5).locator('.field-error').innerText()).resolves.toBe('Enter the field in the tool.');
    await row(5)
      .getByRole('button', { name: /^Remove/ })
      .click();

    // A column the table does not have: the preview says so on the row, and so does the server on save.
    const email = row(2);
    await expect(email.getByLabel('Smartsheet field').inputValue()).resolves.toBe('Email');
    await email.getByLabel('Postgres column').fill('e_mail');
    await eventually(
      () => email.locator('.field-error').allTextContents(),
      (texts) => texts.some((text) => text.includes('column "e_mail" does not exist')),
    );
    harness.allowConsoleError(/status of 400 \(Bad Request\)/);
    await page.getByRole('button', { name: 'Save mappings' }).click();
    const serverError = email.locator('.field-error[role="alert"]');
    await serverError.waitFor();
    await expect(serverError.innerText()).resolves.toBe(
      'Mapping 3 ("Email"): column "e_mail" does not exist on public.profiles.',
    );
    await expect(email.getByLabel('Postgres column').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('e_mail');
    // Only that row is marked; nothing was saved.
    await expect(page.locator('.mapping-row--invalid').count()).resolves.toBe(1);
    const unchanged = await db.prisma.syncResource.findUniqueOrThrow({ where: { id: resource.id } });
    expect((unchanged.fieldMappings as { local?: string }[])[2]?.local).toBe('email');
  });
});
