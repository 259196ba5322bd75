import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, useBrowserHarness } from './harness.ts';

const harness = useBrowserHarness();

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field || row.length) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((name, index) => [name, cells[index] ?? ''])));
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  const { prisma } = harness.db;
  const sheets = await prisma.integration.create({
    data: { name: 'Contacts from Google Sheets', type: 'GOOGLE_SHEETS' },
  });
  const rest = await prisma.integration.create({ data: { name: 'Tasks ↔ REST', type: 'GENERIC_REST' } });
  // 55 quiet successes on 2 March (more than one page of 50).
  await prisma.syncLog.createMany({
    data: Array.from({ length: 55 }, (_, i) => ({
      integrationId: rest.id,
      operation: 'UPDATE' as const,
      direction: 'PUSH' as const,
      resourceType: 'TASK',
      status: 'SUCCESS' as const,
      recordsProcessed: 1,
      recordsSucceeded: 1,
      recordId: `task-${i}`,
      durationMs: 120 + i,
      createdAt: new Date(Date.UTC(2026, 2, 2, 8, i)),
    })),
  });
  const failed = (name: string, recordId: string, createdAt: string, status: 'FAILED' | 'RETRYING' = 'FAILED') =>
    prisma.syncLog
      .create({
        data: {
          integrationId: sheets.id,
          operation: 'CREATE',
          direction: 'PULL',
          resourceType: 'CONTACT',
          status,
          recordsProcessed: 1,
          recordsFailed: 1,
          recordId,
          externalId: `sheet-row-${recordId}`,
          errorCode: 'invalid',
          errorMessage: `Email is required (${name})`,
          httpStatus: 400,
          durationMs: 2400,
          // A secret that slipped into a stored payload: the detail view must mask it.
          requestPayload: { row: { name: 'Ada', email: '' }, apiKey: 'sk-live-should-not-show' },
          responsePayload: { error: { message: 'Email is required' } },
          createdAt: new Date(createdAt),
        },
      })
      .then((log) => (ids[name] = log.id));
  await failed('inside-1', 'row-17', '2026-03-03T10:00:00.000Z');
  await failed('inside-2', 'row-18', '2026-03-05T23:59:00.000Z');
  await failed('inside-3', 'row-171', '2026-03-04T09:30:00.000Z');
  await failed('after-range', 'row-19', '2026-03-06T00:00:30.000Z');
  await failed('before-range', 'row-20', '2026-02-28T12:00:00.000Z');
  await failed('retrying', 'row-172', '2026-03-04T11:00:00.000Z', 'RETRYING');
});

const recordIds = () => harness.page.locator('tbody tr .record-id').allInnerTexts();
const caption = () => harness.page.locator('main table caption').innerText();

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('the sync logs viewer', { timeout: 120_000 }, () => {
  it('pages through all logs with next and previous', async () => {
    const { page } = harness;
    await harness.signInAs('VIEWER');
    await harness.goto('/logs');
    await expect(caption()).resolves.toBe('61 matching log lines, page 1');
    expect(await recordIds()).toHaveLength(50);
    const firstPage = await recordIds();

    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForFunction(() => document.querySelector('main table caption')?.textContent?.endsWith('page 2'));
    const secondPage = await recordIds();
    expect(secondPage).toHaveLength(11);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    expect(page.url()).toContain('cursor=');
    await expect(page.getByRole('link', { name: 'Next page' }).count()).resolves.toBe(0);

    await page.getByRole('link', { name: 'Previous page' }).click();
    await page.waitForFunction(() => document.querySelector('main table caption')?.textContent?.endsWith('page 1'));
    expect(await recordIds()).toEqual(firstPage);
    expect(page.url()).not.toContain('cursor=');
  });

  it('filters by status, date range and record id in the address, and exports the same rows as CSV', async () => {
    const { page } = harness;
    await harness.signInAs('VIEWER');
    await harness.goto('/logs');

    await page.getByRole('checkbox', { name: 'Failed' }).check();
    await page.getByLabel('From (UTC)').fill('2026-03-01');
    await page.getByLabel('To (UTC, included)').fill('2026-03-05');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/\/logs\?status=FAILED&from=2026-03-01&to=2026-03-05$/);
    await eventually(recordIds, (shown) => shown.join() === 'row-18,row-171,row-17');
    await expect(caption()).resolves.toBe('3 matching log lines, page 1');

    await page.getByLabel('Record id').fill('row-17');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/\/logs\?status=FAILED&from=2026-03-01&to=2026-03-05&recordId=row-17$/);
    await eventually(recordIds, (shown) => shown.join() === 'row-171,row-17');
    const filteredUrl = page.url();

    // The address is the view: opened fresh, it shows the same filters and rows.
    await harness.goto(new URL(filteredUrl).pathname + new URL(filteredUrl).search);
    await expect(page.getByRole('checkbox', { name: 'Failed' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('checkbox', { name: 'Retrying' }).isChecked()).resolves.toBe(false);
    await expect(page.getByLabel('From (UTC)').inputValue()).resolves.toBe('2026-03-01');
    await expect(page.getByLabel('To (UTC, included)').inputValue()).resolves.toBe('2026-03-05');
    await expect(page.getByLabel('Record id').inputValue()).resolves.toBe('row-17');
    expect(await recordIds()).toEqual(['row-171', 'row-17']);

    // The export link carries the same filters (the end day included: up to the next midnight).
    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    await expect(exportLink.getAttribute('href')).resolves.toBe(
      '/api/logs/export.csv?status=FAILED&from=2026-03-01&to=2026-03-06&recordId=row-17',
    );
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^sync-logs-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parseCsv(await readFile((await download.path())!, 'utf8'));
    expect(rows.map((row) => row.log_id).sort()).toEqual([ids['inside-1'], ids['inside-3']].sort());
    expect(rows.map((row) => row.record_id)).toEqual(['row-171', 'row-17']);
    expect(rows.every((row) => row.status === 'FAILED' && row.integration === 'Contacts from Google Sheets')).toBe(
      true,
    );
    expect(rows.every((row) => (row.time ?? '') >= '2026-03-01' && (row.time ?? '') < '2026-03-06')).toBe(true);

    // Nothing matches: an empty state with the way back.
    await page.getByLabel('Record id').fill('no-such-record');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('heading', { name: 'No log lines match these filters' }).waitFor();
    await expect(page.getByRole('link', { name: 'Clear the filters' }).isVisible()).resolves.toBe(true);
  });

  it('opens a log line in a focus-trapped drawer with masked payloads; Escape closes it', async () => {
    const { page } = harness;
    await harness.signInAs('VIEWER');
    await harness.goto('/logs?recordId=row-17&status=FAILED');
    const opener = page.getByRole('button', { name: 'Details of Create CONTACT at 2026-03-03 10:00 UTC' });
    await opener.click();
    const drawer = page.getByRole('dialog', { name: 'Log line' });
    await drawer.getByRole('heading', { name: 'Request payload' }).waitFor();
    const text = await drawer.innerText();
    expect(text).toContain('Email is required (inside-1)');
    expect(text).toContain('"apiKey": "[redacted]"');
    expect(text).toContain('"email": ""');
    expect(text).not.toContain('sk-live-should-not-show');
    expect(text).toContain('Contacts from Google Sheets');
    expect(text).toContain('2.4 s');
    // Focus starts on the close button and stays in the drawer whichever way one tabs.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
    const focusInside = () =>
      page.evaluate(() => document.querySelector('dialog.drawer')?.contains(document.activeElement) ?? false);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInside()).toBe(true);
    }
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInside()).toBe(true);
    }
    await page.keyboard.press('Escape');
    await eventually(
      () => page.locator('dialog.drawer').evaluate((dialog) => (dialog as HTMLDialogElement).open),
      (open) => open === false,
    );
    await expect(drawer.count()).resolves.toBe(0);
    // Focus is back where the person was.
    expect(await opener.evaluate((button) => button === document.activeElement)).toBe(true);
  });

  it('says which filters in the address it had to leave out', async () => {
    const { page } = harness;
    await harness.signInAs('VIEWER');
    await harness.goto('/logs?from=2026-02-30&status=FAILED');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('the start date (use YYYY-MM-DD)');
    await expect(caption()).resolves.toBe('5 matching log lines, page 1');
  });

  it('fits 960 px without scrolling the page sideways (logs, jobs, alerts)', async () => {
    const { page } = harness;
    await page.setViewportSize({ width: 960, height: 900 });
    await harness.signInAs('STAFF');
    for (const path of ['/logs', '/logs?status=FAILED', '/jobs', '/alerts']) {
      await harness.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
