import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOutbox } from '@syncbridge/engine';
import { eventually, useBrowserHarness } from './harness.ts';
import { testKeys } from './integration-flow.ts';
import { startRestTasks, type RestTasksFixture } from './review-fixtures.ts';

const keys = testKeys();
const harness = useBrowserHarness({ keyRing: keys.keyRing });
let rest: RestTasksFixture;

beforeAll(async () => {
  rest = await startRestTasks(harness.db, keys.keyRing);
});
afterAll(async () => {
  await rest?.close();
});

const BASE = { title: 'Write the launch post', notes: 'Draft in the wiki', status: 'todo' };

/** The diff row of one field. */
const row = (field: string) => harness.page.locator(`tr[data-field="${field}"]`);

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('conflict review', { timeout: 120_000 }, () => {
  it('resolves a real conflict field by field; both sides get the chosen values and it moves to history', async () => {
    const { page, db } = harness;
    const { conflictId, taskId, externalId } = await rest.makeConflict(
      BASE,
      { title: 'Launch post (edited in the app)', status: 'in_progress' },
      { title: 'Launch post (edited in REST)', notes: 'Final copy is in the CMS' },
    );
    const staff = await harness.signInAs('STAFF');

    // The queue groups it under its integration; the record links to the review.
    await harness.goto('/conflicts');
    const group = page.getByRole('region', { name: /Tasks ↔ REST/ });
    await expect(group.getByRole('heading', { name: 'Tasks ↔ REST (1 pending)' }).isVisible()).resolves.toBe(true);
    await expect(group.getByRole('row').nth(1).innerText()).resolves.toContain('title');
    await group.getByRole('link', { name: `TASK ${taskId}` }).click();
    await page.waitForURL(`${harness.url}/conflicts/${conflictId}`);
    await page.getByRole('heading', { level: 1, name: `Conflict on TASK ${taskId}` }).waitFor();

    // Side by side, differing fields marked in words, not only by colour.
    await expect(row('title').innerText()).resolves.toMatch(
      /title\s+≠ Changed on both sides\s+Launch post \(edited in the app\)\s+Launch post \(edited in REST\)\s+Write the launch post/,
    );
    await expect(row('status').locator('th').innerText()).resolves.toMatch(/status\s+≠ Differs/);
    await expect(row('notes').locator('th').innerText()).resolves.toMatch(/notes\s+≠ Differs/);
    await expect(row('done').innerText()).resolves.toContain('Same on both sides');
    for (const field of ['title', 'status', 'notes'])
      await expect(row(field).getAttribute('data-differs')).resolves.toBe('true');
    await expect(row('done').getAttribute('data-differs')).resolves.toBe('false');

    // A field changed on one side only starts on that side; the real conflict waits for a decision.
    const pick = (field: string, side: 'Local' | 'External' | 'Custom') =>
      page.getByRole('group', { name: `Keep for ${field}` }).getByRole('radio', { name: side });
    await expect(pick('status', 'Local').isChecked()).resolves.toBe(true);
    await expect(pick('notes', 'External').isChecked()).resolves.toBe(true);
    await expect(pick('title', 'Local').isChecked()).resolves.toBe(false);
    await expect(pick('title', 'External').isChecked()).resolves.toBe(false);

    // Resolving without a choice for the conflicted field says what is missing.
    await page.getByRole('button', { name: 'Resolve with these choices' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain(
      'Choose a value for every field that differs (title).',
    );
    await expect(row('title').innerText()).resolves.toContain('Choose which value to keep.');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toMatch(/title$/);

    // The external title, the local status, and the local notes (overriding the default).
    await pick('title', 'External').check();
    await pick('notes', 'Local').check();
    await expect(page.getByRole('checkbox', { name: 'Push the result to Tasks ↔ REST now' }).isChecked()).resolves.toBe(
      true,
    );
    await page.getByRole('button', { name: 'Resolve with these choices' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Resolved.' });
    await done.waitFor();
    await expect(done.innerText()).resolves.toContain('queued for Tasks ↔ REST');
    // The form is gone; the page shows the result next to the two versions.
    await expect(page.getByRole('button', { name: 'Resolve with these choices' }).count()).resolves.toBe(0);
    await expect(row('title').locator('.diff__result').innerText()).resolves.toBe('Launch post (edited in REST)');

    // The app's database has the chosen values…
    const task = await db.prisma.tasks.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({
      title: 'Launch post (edited in REST)',
      status: 'in_progress',
      description: 'Draft in the wiki',
    });
    const stored = await db.prisma.conflictResolution.findUniqueOrThrow({ where: { id: conflictId } });
    expect(stored).toMatchObject({ status: 'RESOLVED', resolutionStrategy: 'MANUAL_REVIEW', resolvedById: staff.id });
    expect(stored.resolvedData).toMatchObject({
      title: 'Launch post (edited in REST)',
      status: 'in_progress',
      notes: 'Draft in the wiki',
    });
    // …and the external system gets them with the next push (what the worker's drainer runs).
    const pushed = await drainOutbox(rest.engine, rest.resourceId);
    expect(pushed.failed).toBe(0);
    expect(rest.sandbox.store.get('tasks', externalId)?.fields).toMatchObject({
      title: 'Launch post (edited in REST)',
      status: 'in_progress',
      notes: 'Draft in the wiki',
    });

    // History: who chose what, and when; the queue is empty.
    await page.getByRole('link', { name: 'Conflicts', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Nothing to review' }).waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    await page.waitForURL(/\/conflicts\?view=history$/);
    const historyRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(taskId) }) });
    await historyRow.waitFor();
    const historyText = await historyRow.innerText();
    expect(historyText).toContain('Chosen per field');
    expect(historyText).toContain(staff.email);
  });

  it('takes a custom value typed for a field, and can leave the external record as it is', async () => {
    const { page, db } = harness;
    const { conflictId, taskId, externalId } = await rest.makeConflict(
      { ...BASE, title: 'Plan the offsite' },
      { title: 'Plan the offsite (app)' },
      { title: 'Plan the offsite (REST)' },
    );
    await harness.signInAs('ADMIN');
    await harness.goto(`/conflicts/${conflictId}`);
    const group = page.getByRole('group', { name: 'Keep for title' });
    await group.getByRole('radio', { name: 'Custom' }).check();
    const custom = page.getByRole('textbox', { name: 'Custom value for title' });
    // Starts from the local value, to edit rather than retype.
    await expect(custom.inputValue()).resolves.toBe('Plan the offsite (app)');
    await custom.fill('Plan the offsite — agreed on <Friday>');
    await page.getByRole('checkbox', { name: 'Push the result to Tasks ↔ REST now' }).uncheck();
    await page.getByRole('button', { name: 'Resolve with these choices' }).click();
    await page.getByRole('status').filter({ hasText: 'Resolved.' }).waitFor();
    expect((await db.prisma.tasks.findUniqueOrThrow({ where: { id: taskId } })).title).toBe(
      'Plan the offsite — agreed on <Friday>',
    );
    await expect(row('title').locator('.diff__result').innerText()).resolves.toBe(
      'Plan the offsite — agreed on <Friday>',
    );
    // Not pushed: nothing is queued for the external record, which keeps its value.
    expect(
      await db.prisma.changeOutbox.count({ where: { resourceId: rest.resourceId, rowKey: taskId, origin: null } }),
    ).toBe(
      1, // the local edit that caused the conflict
    );
    expect(rest.sandbox.store.get('tasks', externalId)?.fields.title).toBe('Plan the offsite (REST)');
  });

  it('resolves several at once from the queue, and shows viewers the diff without any action', async () => {
    const { page, db } = harness;
    // An integration of its own, so the counts do not depend on the other tests.
    const events = await startRestTasks(db, keys.keyRing, { name: 'Events ↔ REST' });
    const made = [];
    for (const name of ['Order badges', 'Book the venue', 'Send invites'])
      made.push(
        await events.makeConflict({ ...BASE, title: name }, { title: `${name} (app)` }, { title: `${name} (REST)` }),
      );

    // A viewer reads the queue and the diff, with nothing to click.
    await harness.signInAs('VIEWER');
    await harness.goto(`/conflicts?integrationId=${events.integrationId}`);
    await page.getByRole('heading', { name: 'Events ↔ REST (3 pending)' }).waitFor();
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.locator('main').getByRole('button', { name: /Keep/ }).count()).toBe(0);
    await harness.goto(`/conflicts/${made[0]!.conflictId}`);
    await page.getByText('Staff and admins resolve conflicts; your role can read them.').waitFor();
    expect(await page.getByRole('radio').count()).toBe(0);
    expect(await page.locator('main button').count()).toBe(0);
    await expect(page.locator('tr[data-field="title"]').innerText()).resolves.toContain('Order badges (REST)');
    // Signed out (cookies gone), then in again as staff.
    await page.context().clearCookies();

    await harness.signInAs('STAFF');
    await harness.goto(`/conflicts?integrationId=${events.integrationId}`);
    await page.getByRole('heading', { name: 'Events ↔ REST (3 pending)' }).waitFor();
    const keepExternal = page.getByRole('button', { name: 'Keep external for selected' });
    await expect(keepExternal.isDisabled()).resolves.toBe(true);
    await page.getByRole('checkbox', { name: 'Select all of Events ↔ REST' }).check();
    await page.getByRole('checkbox', { name: `Select TASK ${made[1]!.taskId}` }).uncheck();
    await expect(page.getByText('2 selected').isVisible()).resolves.toBe(true);
    await keepExternal.click();
    await page.getByRole('status').filter({ hasText: 'Resolved 2 conflicts.' }).waitFor();
    await page.getByRole('heading', { name: 'Events ↔ REST (1 pending)' }).waitFor();

    const titles = await Promise.all(
      made.map(async (conflict) => (await db.prisma.tasks.findUniqueOrThrow({ where: { id: conflict.taskId } })).title),
    );
    expect(titles).toEqual(['Order badges (REST)', 'Book the venue (app)', 'Send invites (REST)']);
    const statuses = await db.prisma.conflictResolution.findMany({
      where: { id: { in: made.map((conflict) => conflict.conflictId) } },
      select: { id: true, status: true },
    });
    expect(new Map(statuses.map((s) => [s.id, s.status]))).toEqual(
      new Map([
        [made[0]!.conflictId, 'RESOLVED'],
        [made[1]!.conflictId, 'PENDING'],
        [made[2]!.conflictId, 'RESOLVED'],
      ]),
    );
    await eventually(
      () => page.getByRole('checkbox', { name: /^Select TASK / }).count(),
      (count) => count === 1,
    );
    await events.close();
  });

  it('fits 960 px without scrolling the page sideways', async () => {
    const { page } = harness;
    const { conflictId } = await rest.makeConflict(
      { ...BASE, title: 'A rather long task title that has to wrap somewhere inside its cell' },
      { title: 'A rather long task title that has to wrap somewhere inside its cell, edited here' },
      { title: 'A rather long task title that has to wrap somewhere inside its cell, edited there' },
    );
    await page.setViewportSize({ width: 960, height: 900 });
    await harness.signInAs('STAFF');
    for (const path of ['/conflicts', `/conflicts/${conflictId}`]) {
      await harness.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
