import { describe, expect, it } from 'vitest';
import { createUser, PASSWORD } from '../auth-helpers.ts';
import { useBrowserHarness, waitForHydration } from './harness.ts';

const harness = useBrowserHarness();

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('signing in and out in the browser', { timeout: 120_000 }, () => {
  it('rejects a wrong password, signs in with the right one, lands on the dashboard and signs out', async () => {
    const { page, db } = harness;
    const user = await createUser(db, 'STAFF');
    await db.prisma.integration.create({ data: { name: 'Members to HubSpot', type: 'HUBSPOT' } });

    // Signed out, the dashboard sends people to the sign-in page.
    await harness.goto('/');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/sign-in\?error=invalid$/);
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Email or password is incorrect.');

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${harness.url}/`);
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Dashboard');
    await expect(page.getByRole('rowheader', { name: /Members to HubSpot/ }).isVisible()).resolves.toBe(true);
    // The user menu names who is signed in.
    await expect(page.locator('.user-menu summary').textContent()).resolves.toContain(user.email);

    // A sign-out posted from another site (no CSRF token) is refused; the session stays.
    const forged = await page.request.post(`${harness.url}/sign-out`, {
      form: { csrfToken: 'forged' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(1);

    // Sign out from the user menu (a form POST carrying the CSRF token).
    await page.locator('.user-menu summary').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${harness.url}/sign-in`);
    await waitForHydration(page);
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    const cookies = await page.context().cookies();
    expect(cookies.filter((cookie) => cookie.name === 'sb_session')).toEqual([]);

    // And the dashboard is closed again.
    await harness.goto('/');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('sends a page whose session ended to the sign-in page', async () => {
    const { page, db } = harness;
    const user = await harness.signInAs('VIEWER');
    // The dashboard keeps polling; the next poll after the session is gone answers 401.
    harness.allowConsoleError(/status of 401 \(Unauthorized\).*\/trpc\//);
    await db.prisma.session.deleteMany({ where: { userId: user.id } });
    await page.waitForURL(`${harness.url}/sign-in`, { timeout: 15_000 });
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
  });
});
