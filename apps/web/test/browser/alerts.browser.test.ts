import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, useBrowserHarness } from './harness.ts';

const harness = useBrowserHarness();
const minutes = (n: number) => new Date(Date.now() + n * 60_000);
let criticalId: string;

beforeAll(async () => {
  const { prisma } = harness.db;
  const hubspot = await prisma.integration.create({ data: { name: 'Members ↔ HubSpot', type: 'HUBSPOT' } });
  criticalId = (
    await prisma.alert.create({
      data: {
        integrationId: hubspot.id,
        rule: 'INTEGRATION_DOWN',
        severity: 'CRITICAL',
        title: 'HubSpot sync is failing',
        message: 'Three runs in a row failed.',
        createdAt: minutes(-5),
      },
    })
  ).id;
  await prisma.alert.create({
    data: {
      rule: 'SYNC_LAG',
      severity: 'WARNING',
      title: 'Sheets pull is late',
      message: 'Last pull 3 hours ago.',
      createdAt: minutes(-10),
    },
  });
  await prisma.alert.create({
    data: {
      rule: 'PENDING_CONFLICTS',
      severity: 'CRITICAL',
      status: 'RESOLVED',
      title: 'An old resolved alert',
      message: 'Gone.',
      createdAt: minutes(-600),
    },
  });
});

const titles = () => harness.page.locator('.alert-item .feed__title').allInnerTexts();

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('alerts', { timeout: 120_000 }, () => {
  it('filters by severity and status in the address, and staff acknowledge an open alert', async () => {
    const { page, db } = harness;
    const staff = await harness.signInAs('STAFF');
    await harness.goto('/alerts');
    expect(await titles()).toEqual(['HubSpot sync is failing', 'Sheets pull is late', 'An old resolved alert']);

    await page.getByLabel('Severity').selectOption('CRITICAL');
    await page.getByLabel('Status').selectOption('OPEN');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/\/alerts\?status=OPEN&severity=CRITICAL$/);
    await eventually(titles, (shown) => shown.join() === 'HubSpot sync is failing');
    const item = page.locator(`[data-alert-id="${criticalId}"]`);
    await expect(item.innerText()).resolves.toContain('Members ↔ HubSpot: Three runs in a row failed.');

    await item.getByRole('button', { name: 'Acknowledge HubSpot sync is failing' }).click();
    // It leaves the "open" view; the database records who acknowledged it.
    await page.getByRole('heading', { name: 'No alerts match these filters' }).waitFor();
    expect(await db.prisma.alert.findUniqueOrThrow({ where: { id: criticalId } })).toMatchObject({
      status: 'ACKNOWLEDGED',
      acknowledgedById: staff.id,
    });
    await harness.goto('/alerts?status=ACKNOWLEDGED');
    await expect(item.innerText()).resolves.toMatch(new RegExp(`acknowledged just now by ${staff.email}`));
    expect(await item.getByRole('button').count()).toBe(0);
  });

  it('shows viewers the alerts without an acknowledge button', async () => {
    const { page } = harness;
    await harness.signInAs('VIEWER');
    await harness.goto('/alerts?status=OPEN');
    await expect(page.getByText('Sheets pull is late').isVisible()).resolves.toBe(true);
    expect(
      await page
        .locator('main')
        .getByRole('button', { name: /Acknowledge/ })
        .count(),
    ).toBe(0);
  });
});
