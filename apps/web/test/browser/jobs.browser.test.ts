import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOutbox, pullResource } from '@syncbridge/engine';
import { eventually, useBrowserHarness } from './harness.ts';
import { testKeys } from './integration-flow.ts';
import { startRestTasks, type RestTasksFixture } from './review-fixtures.ts';

const keys = testKeys();
const harness = useBrowserHarness({ keyRing: keys.keyRing });
let push: RestTasksFixture;
/** The sandbox refuses titles starting with "reject" until the cause is "fixed". */
let rejecting = true;

beforeAll(async () => {
  push = await startRestTasks(harness.db, keys.keyRing, {
    name: 'Tasks → REST',
    direction: 'PUSH',
    validate: (fields) =>
      rejecting && String(fields.title).startsWith('reject') ? 'title is on the blocked list' : null,
  });
});
afterAll(async () => {
  await push?.close();
});

// Browser steps are slow on a busy machine (CI runs every test file at once on 2 cores).
describe('job history', { timeout: 120_000 }, () => {
  it('retries one failed record from the run page and the rest of the run from the list', async () => {
    const { page, db } = harness;
    const taskIds: Record<string, string> = {};
    for (const title of ['keep 1', 'reject 1', 'reject 2', 'keep 2'])
      taskIds[title] = (await db.prisma.tasks.create({ data: { title, status: 'todo' } })).id;
    const outcome = await drainOutbox(push.engine, push.resourceId);
    expect(outcome).toMatchObject({ created: 2, failed: 2 });
    const run = await db.prisma.jobExecution.findFirstOrThrow({ where: { resourceId: push.resourceId } });
    const mappingOf = (title: string) =>
      db.prisma.integrationMapping.findFirstOrThrow({
        where: { resourceId: push.resourceId, internalId: taskIds[title] },
      });

    await harness.signInAs('STAFF');
    await harness.goto('/jobs');
    const runRow = page.getByRole('row').filter({ has: page.locator(`a[href="/jobs/${run.id}"]`) });
    const cells = await runRow.getByRole('cell').allInnerTexts();
    // Status, started, duration, added, changed, removed, failed, conflicts, actions.
    expect(cells[0]).toMatch(/^Partial/);
    expect(cells.slice(3, 8)).toEqual(['2', '0', '0', '2', '0']);

    // The run page lists the failed records with their errors; one is retried on its own.
    await runRow.getByRole('link', { name: 'tasks · Change push' }).click();
    await page.waitForURL(`${harness.url}/jobs/${run.id}`);
    const failedTable = page.getByRole('table', { name: '2 failed records' });
    await expect(failedTable.innerText()).resolves.toContain('title is on the blocked list');
    rejecting = false; // the cause is fixed on the other side
    await page.getByRole('button', { name: `Retry ${taskIds['reject 1']}` }).click();
    await failedTable.getByRole('status').filter({ hasText: 'Queued again' }).waitFor();
    expect(await mappingOf('reject 1')).toMatchObject({ status: 'PENDING_SYNC' });
    expect(await mappingOf('reject 2')).toMatchObject({ status: 'FAILED' });
    expect(await drainOutbox(push.engine, push.resourceId)).toMatchObject({ created: 1, failed: 0 });

    // "Retry failed" on the list puts back what has not synced since.
    await harness.goto('/jobs');
    await runRow.getByRole('button', { name: 'Retry failed records of tasks · Change push' }).click();
    await runRow.getByRole('status').filter({ hasText: 'Queued 1 of 2 failed records again' }).waitFor();
    expect(await mappingOf('reject 2')).toMatchObject({ status: 'PENDING_SYNC' });
    expect(await drainOutbox(push.engine, push.resourceId)).toMatchObject({ created: 1, failed: 0 });
    const keys = push.sandbox.store.list('tasks', { limit: 500 }).records.map((record) => record.key);
    expect(keys.sort()).toEqual(Object.values(taskIds).sort());

    // Drains within a few minutes add to the same rolling change-push run: its figures follow live.
    const after = await db.prisma.jobExecution.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.added).toBe(4);
    await eventually(
      async () => (await runRow.getByRole('cell').allInnerTexts())[3],
      (added) => added === '4',
      { timeoutMs: 15_000 },
    );
  });

  it('shows a running job’s progress live and lets staff cancel it; viewers get no buttons', async () => {
    const { page, db } = harness;
    const job = await db.prisma.jobExecution.create({
      data: {
        integrationId: push.integrationId,
        resourceId: push.resourceId,
        jobType: 'MANUAL_SYNC',
        status: 'RUNNING',
        total: 200,
        processed: 20,
        startedAt: new Date(Date.now() - 10_000),
      },
    });
    await harness.signInAs('VIEWER');
    await harness.goto('/jobs?status=RUNNING');
    const bar = page.getByRole('progressbar', { name: 'Progress of tasks · Manual sync' });
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('10');
    expect(
      await page
        .locator('main')
        .getByRole('button', { name: /Cancel|Retry/ })
        .count(),
    ).toBe(0);
    await db.prisma.jobExecution.update({ where: { id: job.id }, data: { processed: 150 } });
    await eventually(
      () => bar.getAttribute('aria-valuenow'),
      (value) => value === '75',
    );

    await page.context().clearCookies();
    await harness.signInAs('STAFF');
    await harness.goto('/jobs?status=RUNNING');
    await page.getByRole('button', { name: 'Cancel tasks · Manual sync' }).click();
    await page.getByRole('status').filter({ hasText: 'Stopping after the current page' }).waitFor();
    expect(await db.prisma.jobExecution.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: 'RUNNING',
      cancelRequested: true,
    });
    await page.getByText('Stopping…').waitFor();
    // The worker would end it; here the test does.
    await db.prisma.jobExecution.update({
      where: { id: job.id },
      data: { status: 'CANCELLED', completedAt: new Date() },
    });
  });

  it('explains a paused mass delete, and an admin confirms it after a second step', async () => {
    const { page, db } = harness;
    const pull = await startRestTasks(db, keys.keyRing, { name: 'Tasks from REST', direction: 'PULL' });
    try {
      const externalIds: string[] = [];
      for (let i = 1; i <= 10; i++)
        externalIds.push(pull.sandbox.store.create('tasks', { fields: { title: `Pulled ${i}`, status: 'todo' } }).id);
      expect(await pullResource(pull.engine, pull.resourceId, { full: true })).toMatchObject({ added: 10 });
      const mapped = () =>
        db.prisma.integrationMapping.count({ where: { resourceId: pull.resourceId, status: 'SYNCED' } });
      for (const id of externalIds.slice(0, 3)) pull.sandbox.store.delete('tasks', id);
      const paused = await pullResource(pull.engine, pull.resourceId, { full: true });
      expect(paused.pendingDeletes).toBe(3);
      const localTasks = () => db.prisma.tasks.count({ where: { title: { startsWith: 'Pulled ' } } });
      expect(await localTasks()).toBe(10);

      // Staff read the explanation; only an admin can answer.
      await harness.signInAs('STAFF');
      await harness.goto('/jobs');
      const item = page.locator(`.mass-delete[data-job-id="${paused.jobId}"]`);
      await expect(item.getByRole('heading').innerText()).resolves.toBe(
        '3 records would be removed from tasks (Tasks from REST)',
      );
      const explanation = await item.innerText();
      expect(explanation).toContain('no longer has 3 records of the 10 it had synced (30%)');
      expect(explanation).toContain('An admin confirms or rejects this.');
      expect(await item.getByRole('button').count()).toBe(0);
      await item.getByText('The missing external ids').click();
      for (const id of externalIds.slice(0, 3))
        await expect(item.getByText(id, { exact: true }).isVisible()).resolves.toBe(true);

      await page.context().clearCookies();
      await harness.signInAs('ADMIN');
      await harness.goto('/jobs');
      await item.getByRole('button', { name: 'Confirm deletion…' }).click();
      // Nothing happens until the second, explicit step.
      expect(await localTasks()).toBe(10);
      const confirm = item.getByRole('group', { name: 'Confirm the deletion' });
      await expect(confirm.innerText()).resolves.toContain('Remove 3 records from tasks (Tasks from REST)?');
      await confirm.getByRole('button', { name: 'Yes, remove 3 records' }).click();
      await page.getByRole('status').filter({ hasText: 'Removed 3 records from tasks (Tasks from REST).' }).waitFor();
      expect(await localTasks()).toBe(7);
      expect(await mapped()).toBe(7);
      expect(await db.prisma.jobExecution.findUniqueOrThrow({ where: { id: paused.jobId } })).toMatchObject({
        status: 'COMPLETED',
        removed: 3,
      });
      await eventually(
        () => item.count(),
        (count) => count === 0,
      );
    } finally {
      await pull.close();
    }
  });

  it('says so when nothing has run yet for a filter', async () => {
    const { page } = harness;
    await harness.signInAs('VIEWER');
    await harness.goto('/jobs?jobType=HEALTH_CHECK');
    await page.getByRole('heading', { name: 'No runs match these filters' }).waitFor();
    await expect(page.getByLabel('Kind').inputValue()).resolves.toBe('HEALTH_CHECK');
  });
});
