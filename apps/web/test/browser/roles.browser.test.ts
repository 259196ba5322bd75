import { describe, expect, it } from 'vitest';
import { useBrowserHarness, waitForHydration } from './harness.ts';

const harness = useBrowserHarness();

async function navLinks() {
  return harness.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
}

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('what each role sees', { timeout: 120_000 }, () => {
  it('gives a VIEWER no Users link, no Sync-now buttons and a 403 page at /users', async () => {
    const { page, db } = harness;
    await db.prisma.integration.create({ data: { name: 'Read-only for viewers', type: 'ASANA' } });
    await harness.signInAs('VIEWER');

    expect(await navLinks()).toEqual(['Dashboard', 'Integrations', 'Conflicts', 'Logs', 'Jobs', 'Alerts']);
    await page.getByRole('rowheader', { name: /Read-only for viewers/ }).waitFor();
    expect(await page.getByRole('button', { name: /Sync now/ }).count()).toBe(0);
    // The only buttons left are the ones a viewer can use (the account menu's sign-out).
    expect(await page.locator('main button').count()).toBe(0);

    // Typing the address does not help: the server answers 403 with the forbidden page.
    harness.allowConsoleError(/status of 403 \(Forbidden\).*\/users/);
    const response = await page.goto(`${harness.url}/users`);
    await waitForHydration(page);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'You do not have access to this page',
    );
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByLabel('Password').count()).toBe(0);
  });

  it('gives STAFF Sync-now buttons but no Users page', async () => {
    const { page, db } = harness;
    await db.prisma.integration.create({ data: { name: 'Staff can sync this', type: 'ASANA' } });
    await harness.signInAs('STAFF');

    expect(await navLinks()).not.toContain('Users');
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Staff can sync this/ }) });
    await expect(row.getByRole('button', { name: /Sync now/ }).isEnabled()).resolves.toBe(true);
  });

  it('gives an ADMIN the Users link and buttons, and opens /users without a reload', async () => {
    const { page, db } = harness;
    await db.prisma.integration.create({ data: { name: 'Admin sees everything', type: 'ASANA' } });
    const admin = await harness.signInAs('ADMIN');

    expect(await navLinks()).toEqual(['Dashboard', 'Integrations', 'Conflicts', 'Logs', 'Jobs', 'Alerts', 'Users']);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Admin sees everything/ }) });
    await expect(row.getByRole('button', { name: /Sync now/ }).isVisible()).resolves.toBe(true);

    await page.evaluate(() => ((window as unknown as { stayedOnPage: boolean }).stayedOnPage = true));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(`${harness.url}/users`);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await expect(page.getByRole('rowheader', { name: admin.email }).isVisible()).resolves.toBe(true);
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).getAttribute('aria-current'),
    ).resolves.toBe('page');
    expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);
  });

  it('links every navigation item to a page that exists', async () => {
    const { page } = harness;
    await harness.signInAs('ADMIN');
    for (const name of ['Integrations', 'Conflicts', 'Logs', 'Jobs', 'Alerts', 'Users', 'Dashboard']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
      const heading = page.getByRole('heading', { level: 1 });
      await page.waitForFunction(
        (expected) => document.querySelector('main h1')?.textContent?.includes(expected) === true,
        name === 'Logs' ? 'Sync logs' : name,
      );
      expect(await heading.textContent()).not.toMatch(/not found|went wrong/i);
    }
  });
});
