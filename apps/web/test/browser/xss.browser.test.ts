// Issue R1: values from external systems (record fields, error messages, payloads, field names)
// must reach the page as text. Each page is visited with stored markup in every place such
// values show; the markup must be visible literally, run nothing, and create no element.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness.ts';
import { testKeys } from './integration-flow.ts';
import { startRestTasks, type RestTasksFixture } from './review-fixtures.ts';

const IMG = '<img src=x onerror=window.__xss=1>';
const SCRIPT = '<script>window.__xss=1</script>';
const SVG = '<svg onload=window.__xss=1></svg>';

const keys = testKeys();
const harness = useBrowserHarness({ keyRing: keys.keyRing });
let rest: RestTasksFixture;
let engineConflictId: string;
let storedConflictId: string;
let resourceId: string;
let logId: string;

beforeAll(async () => {
  const { prisma } = harness.db;
  rest = await startRestTasks(harness.db, keys.keyRing, { name: `Hostile ${SVG} tasks` });
  // A conflict the engine detects from an external record whose values are markup.
  engineConflictId = (
    await rest.makeConflict(
      { title: 'Harmless title', notes: 'Harmless notes' },
      { title: 'Local title' },
      { title: IMG, notes: SCRIPT },
    )
  ).conflictId;
  // One as stored from a connector whose field names are markup too.
  storedConflictId = (
    await prisma.conflictResolution.create({
      data: {
        integrationId: rest.integrationId,
        resourceType: SCRIPT,
        internalId: IMG,
        externalId: SVG,
        localData: { [IMG]: 'local', name: SCRIPT },
        externalData: { [IMG]: SVG, name: IMG },
        conflictedFields: [IMG, 'name'],
        conflictReason: `Both sides changed ${IMG}`,
      },
    })
  ).id;
  logId = (
    await prisma.syncLog.create({
      data: {
        integrationId: rest.integrationId,
        operation: 'UPDATE',
        direction: 'PULL',
        resourceType: SCRIPT,
        status: 'FAILED',
        recordId: IMG,
        externalId: SVG,
        errorCode: SCRIPT,
        errorMessage: `Upstream said ${IMG}`,
        requestPayload: { [SCRIPT]: IMG, nested: { [IMG]: [SCRIPT, SVG] } },
        responsePayload: { error: IMG },
      },
    })
  ).id;
  // A resource whose mapped field names are markup (written as a connector's discovery could store them).
  resourceId = (
    await prisma.syncResource.create({
      data: {
        integrationId: rest.integrationId,
        name: 'hostile-fields',
        resourceType: 'TASK',
        localTable: 'tasks',
        localKeyColumn: 'id',
        externalObject: 'tasks',
        direction: 'PULL',
        fieldMappings: [
          { local: 'title', external: IMG },
          { local: 'description', external: SCRIPT },
        ],
      },
    })
  ).id;
  await prisma.jobExecution.create({
    data: {
      integrationId: rest.integrationId,
      resourceId,
      jobType: 'SCHEDULED_SYNC',
      status: 'FAILED',
      failed: 1,
      errorMessage: `Stopped: ${SCRIPT}`,
      completedAt: new Date(),
    },
  });
  await prisma.alert.create({
    data: { integrationId: rest.integrationId, rule: 'SYNC_FAILED', title: `Failing: ${IMG}`, message: SCRIPT },
  });
});
afterAll(async () => {
  await rest?.close();
});

/** Nothing ran and no element was made from the stored markup; the page logged no error (harness). */
async function expectInert(page: Page, where: string) {
  const state = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: unknown }).__xss,
    img: document.querySelectorAll('img[onerror], img[src="x"]').length,
    svg: document.querySelectorAll('svg[onload]').length,
    // The markup's own script (Remix's data script holds the values too, escaped inside a JS string).
    script: [...document.querySelectorAll('script')].filter((script) => script.textContent?.trim() === 'window.__xss=1')
      .length,
    handlers: [...document.querySelectorAll('*')].filter((element) =>
      [...element.attributes].some((attribute) => attribute.name.startsWith('on') && attribute.value.includes('__xss')),
    ).length,
  }));
  expect(state, where).toEqual({ xss: undefined, img: 0, svg: 0, script: 0, handlers: 0 });
}

/** The markup shows as the very characters that were stored. */
async function expectLiteral(page: Page, text: string, where: string) {
  const found = await page.locator('main').getByText(text, { exact: false }).count();
  expect(found, `${where}: ${text}`).toBeGreaterThan(0);
}

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('stored markup is shown as text (R1)', { timeout: 120_000 }, () => {
  it('in the conflict queue, the diff and the history', async () => {
    const { page } = harness;
    await harness.signInAs('STAFF');
    await harness.goto('/conflicts');
    for (const text of [`Hostile ${SVG} tasks`, `${SCRIPT} ${IMG}`, IMG]) await expectLiteral(page, text, '/conflicts');
    await expectInert(page, '/conflicts');

    await harness.goto(`/conflicts/${engineConflictId}`);
    await expect(page.locator('tr[data-field="title"] .diff__external').innerText()).resolves.toBe(IMG);
    await expect(page.locator('tr[data-field="notes"] .diff__external').innerText()).resolves.toBe(SCRIPT);
    await expectInert(page, 'engine conflict');
    // Keeping the external side writes the markup locally, still as text.
    await page.getByRole('button', { name: 'Keep external version' }).click();
    await page.getByRole('status').filter({ hasText: 'Resolved.' }).waitFor();
    await expect(page.locator('tr[data-field="title"] .diff__result').innerText()).resolves.toBe(IMG);
    await expectInert(page, 'resolved conflict');

    await harness.goto(`/conflicts/${storedConflictId}`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`Conflict on ${SCRIPT} ${IMG}`);
    const names = await page.locator('.diff__name').allInnerTexts();
    expect(names.sort()).toEqual([IMG, 'name'].sort());
    await expectLiteral(page, `Both sides changed ${IMG}`, 'conflict reason');
    await expectLiteral(page, SVG, 'external id');
    // The custom-value box holds the markup as a value, not as markup.
    await page
      .getByRole('group', { name: `Keep for ${IMG}` })
      .getByRole('radio', { name: 'Custom' })
      .check();
    await expect(page.getByRole('textbox', { name: `Custom value for ${IMG}` }).inputValue()).resolves.toBe('local');
    await expectInert(page, 'stored conflict');

    await harness.goto('/conflicts?view=history');
    await expectLiteral(page, `Hostile ${SVG} tasks`, 'history');
    await expectInert(page, 'history');
  });

  it('in the logs table, the log drawer, the dashboard and the jobs and alerts pages', async () => {
    const { page } = harness;
    await harness.signInAs('VIEWER');
    await harness.goto('/logs');
    for (const text of [`Upstream said ${IMG}`, IMG, SCRIPT]) await expectLiteral(page, text, '/logs');
    await expectInert(page, '/logs');
    await page.getByRole('button', { name: `Details of Update ${SCRIPT}` }).click();
    const drawer = page.getByRole('dialog', { name: 'Log line' });
    await drawer.getByRole('heading', { name: 'Request payload' }).waitFor();
    const text = await drawer.innerText();
    expect(text).toContain(`"${SCRIPT}": "${IMG}"`);
    expect(text).toContain(`"${IMG}": [`);
    expect(text).toContain(`${SCRIPT} Upstream said ${IMG}`);
    await expectInert(page, 'log drawer');
    expect(logId).toBeTruthy();
    await page.keyboard.press('Escape');

    await harness.goto('/');
    await expectLiteral(page, `Upstream said ${IMG}`, 'dashboard activity');
    await expectLiteral(page, `Failing: ${IMG}`, 'dashboard alerts');
    await expectInert(page, 'dashboard');

    await harness.goto('/jobs');
    await expectLiteral(page, `Stopped: ${SCRIPT}`, '/jobs');
    await expectInert(page, '/jobs');

    await harness.goto('/alerts');
    await expectLiteral(page, `Failing: ${IMG}`, '/alerts');
    await expectLiteral(page, SCRIPT, '/alerts');
    await expectInert(page, '/alerts');
  });

  it('in the mapping pages: field names as text (read-only) and as input values (editor)', async () => {
    const { page } = harness;
    const mappingPage = `/integrations/${rest.integrationId}/mappings/${resourceId}`;
    await harness.signInAs('VIEWER');
    await harness.goto(mappingPage);
    await expectLiteral(page, IMG, 'read-only mappings');
    await expectLiteral(page, SCRIPT, 'read-only mappings');
    await expectInert(page, 'read-only mappings');

    await page.context().clearCookies();
    await harness.signInAs('ADMIN');
    await harness.goto(mappingPage);
    const values = await page
      .locator('main input')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(values).toContain(IMG);
    expect(values).toContain(SCRIPT);
    await expectInert(page, 'mapping editor');
  });
});
