import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness.ts';

const harness = useBrowserHarness();

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('the users page', { timeout: 120_000 }, () => {
  it('shows field errors next to the fields, then adds the user without a reload', async () => {
    const { page, db } = harness;
    await harness.signInAs('ADMIN');
    await harness.goto('/users');
    await page.evaluate(() => ((window as unknown as { stayedOnPage: boolean }).stayedOnPage = true));

    // The server rejects the form (400), and says why next to each field.
    harness.allowConsoleError(/status of 400 \(Bad Request\).*\/trpc\/users\.create/);
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Add user' }).click();
    const emailError = page.locator('#user-email-error');
    await emailError.waitFor();
    expect(await emailError.textContent()).toBe('Enter a valid email address.');
    expect(await page.locator('#user-password-error').textContent()).toBe('Use at least 12 characters.');
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Email').getAttribute('aria-describedby')).resolves.toBe('user-email-error');
    await expect(page.getByLabel('Password').getAttribute('aria-describedby')).resolves.toBe(
      'user-password-hint user-password-error',
    );
    await expect(page.getByLabel('Name (optional)').getAttribute('aria-invalid')).resolves.toBeNull();
    // Focus moves to the first field to fix.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('user-email');
    expect(await db.prisma.user.count({ where: { email: 'not-an-email' } })).toBe(0);

    await page.getByLabel('Email').fill('new.staff@example.com');
    await page.getByLabel('Name (optional)').fill('New Staff');
    await page.getByLabel('Role').selectOption('STAFF');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').filter({ hasText: 'Added new.staff@example.com as Staff.' }).waitFor();
    await page.getByRole('rowheader', { name: 'new.staff@example.com' }).waitFor();
    expect(await page.locator('#user-email-error').count()).toBe(0);
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe('');
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { email: 'new.staff@example.com' } });
    expect(stored).toMatchObject({ role: 'STAFF', name: 'New Staff' });
    expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);
  });

  it('says next to the email field when the address is taken', async () => {
    const { page } = harness;
    const admin = await harness.signInAs('ADMIN');
    await harness.goto('/users');
    harness.allowConsoleError(/status of 409 \(Conflict\).*\/trpc\/users\.create/);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('#user-email-error').waitFor();
    expect(await page.locator('#user-email-error').textContent()).toBe('A user with this email already exists.');
  });
});
