// alerts.* procedures and the health score on integrations.list, against a real database.
import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertSeverity, AlertStatus, JobStatus, Prisma, UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { computeHealthScore } from '@syncbridge/engine';
import type { SessionUser } from '../src/index.ts';
import { callerFor, createRoleUsers } from './helpers.ts';

const db = useTestDatabase();
let users: Record<UserRole, SessionUser>;
const MIN = 60_000;
const HOUR = 60 * MIN;

beforeAll(async () => {
  users = await createRoleUsers(db);
});

beforeEach(async () => {
  await db.pool.query('delete from alerts');
  await db.pool.query('delete from audit_events');
  await db.pool.query('delete from integrations');
});

const viewer = () => callerFor(db, users.VIEWER);
const staff = () => callerFor(db, users.STAFF);
const ago = (ms: number) => new Date(Date.now() - ms);

async function integration(name: string, data: Record<string, unknown> = {}) {
  return (await db.prisma.integration.create({ data: { name, type: 'ASANA', ...data } })).id;
}

async function alert(
  integrationId: string | null,
  data: Partial<{
    rule: string;
    severity: AlertSeverity;
    status: AlertStatus;
    createdAt: Date;
    details: Prisma.InputJsonObject;
  }> = {},
) {
  return db.prisma.alert.create({
    data: {
      integrationId,
      rule: 'SYNC_FAILED',
      severity: 'CRITICAL',
      title: 'It broke',
      message: 'Details',
      ...data,
    },
  });
}

async function run(integrationId: string, status: JobStatus, completedAt: Date, processed = 10, failed = 0) {
  await db.prisma.jobExecution.create({
    data: {
      integrationId,
      jobType: 'SCHEDULED_SYNC',
      status,
      processed,
      failed,
      succeeded: processed - failed,
      completedAt,
      createdAt: new Date(completedAt.getTime() - 1000),
    },
  });
}

describe('alerts.list', () => {
  it('lists newest first with the integration name, filtered, in keyset pages', async () => {
    const board = await integration('Board');
    const other = await integration('Other');
    const rows = [];
    for (let i = 0; i < 5; i++) {
      rows.push(await alert(board, { createdAt: ago((10 - i) * MIN), rule: `R${i}` }));
    }
    await alert(other, { status: 'ACKNOWLEDGED', severity: 'INFO', rule: 'OTHER' });
    await alert(null, { rule: 'SYSTEM', severity: 'WARNING' });

    const all = await viewer().alerts.list();
    expect(all.items.map((a) => a.rule)).toEqual(['SYSTEM', 'OTHER', 'R4', 'R3', 'R2', 'R1', 'R0']);
    expect(all.nextCursor).toBeNull();
    expect(all.items[2]).toMatchObject({ integrationId: board, integrationName: 'Board', status: 'OPEN' });
    expect(all.items[0]).toMatchObject({ integrationId: null, integrationName: null });

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ReturnType<typeof viewer>['alerts']['list']>> = await viewer().alerts.list({
        integrationId: board,
        limit: 2,
        cursor,
      });
      pages.push(page.items.map((a) => a.rule));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([['R4', 'R3'], ['R2', 'R1'], ['R0']]);

    expect((await viewer().alerts.list({ status: 'ACKNOWLEDGED' })).items.map((a) => a.rule)).toEqual(['OTHER']);
    expect((await viewer().alerts.list({ severity: 'WARNING' })).items.map((a) => a.rule)).toEqual(['SYSTEM']);
    expect(rows).toHaveLength(5);
  });

  it('drops secret-looking detail keys and rejects bad input', async () => {
    const id = await integration('Board');
    await alert(id, { details: { failed: 3, token: 'tok-123', nested: { apiKey: 'k-456', ok: true } } });
    const [item] = (await viewer().alerts.list()).items;
    expect(item?.details).toEqual({ failed: 3, nested: { ok: true } });
    expect(JSON.stringify(item)).not.toMatch(/tok-123|k-456/);

    await expect(viewer().alerts.list({ limit: 201 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer().alerts.list({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer().alerts.list({ status: 'GONE' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('alerts.acknowledge', () => {
  it('marks an open alert acknowledged by the user, once, with an audit event', async () => {
    const id = await integration('Board');
    const open = await alert(id);
    const before = Date.now();
    const acknowledged = await staff().alerts.acknowledge({ id: open.id });
    expect(acknowledged).toMatchObject({
      id: open.id,
      status: 'ACKNOWLEDGED',
      acknowledgedBy: { id: users.STAFF.id, email: users.STAFF.email },
    });
    expect(acknowledged.acknowledgedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const stored = await db.prisma.alert.findUniqueOrThrow({ where: { id: open.id } });
    expect(stored).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedById: users.STAFF.id });

    const audit = await db.prisma.auditEvent.findMany({ where: { entityType: 'alert', entityId: open.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'alert.acknowledge',
      actorId: users.STAFF.id,
      ip: '203.0.113.7',
      before: { status: 'OPEN' },
      after: expect.objectContaining({ status: 'ACKNOWLEDGED', rule: 'SYNC_FAILED' }),
    });

    // Again (another admin): nothing changes, no second audit event.
    const again = await callerFor(db, users.ADMIN).alerts.acknowledge({ id: open.id });
    expect(again.acknowledgedBy?.id).toBe(users.STAFF.id);
    expect(again.acknowledgedAt).toEqual(acknowledged.acknowledgedAt);
    expect(await db.prisma.auditEvent.count({ where: { entityId: open.id } })).toBe(1);
    expect((await viewer().alerts.list({ status: 'OPEN' })).items).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown alert and CONFLICT for a resolved one', async () => {
    await expect(staff().alerts.acknowledge({ id: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const resolved = await alert(null, { status: 'RESOLVED' });
    await expect(staff().alerts.acknowledge({ id: resolved.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await db.prisma.alert.findUniqueOrThrow({ where: { id: resolved.id } })).status).toBe('RESOLVED');
    await expect(staff().alerts.acknowledge({ id: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('alerts.health and integrations.list', () => {
  it('scores each integration from its runs, with the components, and shows the score in the list', async () => {
    const flaky = await integration('Flaky', { frequency: 'HOURLY', lastSuccessAt: ago(30 * MIN) });
    const fresh = await integration('Fresh');
    await run(flaky, 'COMPLETED', ago(2 * HOUR), 50);
    await run(flaky, 'FAILED', ago(HOUR), 50, 50);
    await db.prisma.conflictResolution.create({
      data: {
        integrationId: flaky,
        resourceType: 'TASK',
        internalId: '1',
        externalId: 'x',
        localData: {},
        externalData: {},
      },
    });

    const { items } = await viewer().alerts.health();
    expect(items.map((h) => h.name)).toEqual(['Flaky', 'Fresh']);
    const [f, n] = items;
    // 50 % of runs, 50 % of records failed: 0.4 × 50 + 0.2 × 100 + 0.3 × 0 + 0.1 × 100 = 50.
    expect(f).toMatchObject({
      integrationId: flaky,
      integrationStatus: 'ACTIVE',
      score: 50,
      status: 'DEGRADED',
      metrics: { runs: 2, completedRuns: 1, recordsProcessed: 100, recordsFailed: 50, pendingConflicts: 1 },
      windowMs: 24 * HOUR,
    });
    expect(f?.components.successRate).toEqual({ value: 0.5, score: 50, weight: 0.4, status: 'WARN' });
    expect(f?.components.errorRate).toEqual({ value: 0.5, score: 0, weight: 0.3, status: 'FAIL' });
    expect(f?.score).toBe(
      computeHealthScore({
        successRate: 0.5,
        avgResponseMs: null,
        errorRate: 0.5,
        syncAgeMs: f!.components.freshness.value,
        expectedIntervalMs: HOUR,
      }).score,
    );
    expect(n).toMatchObject({ integrationId: fresh, score: 100, status: 'HEALTHY' });
    expect(n?.computedAt).toBeInstanceOf(Date);

    // A narrower window leaves the failed run out.
    const one = await viewer().alerts.health({ integrationId: flaky, windowHours: 1 });
    expect(one.items).toHaveLength(1);
    expect(one.items[0]?.metrics.runs).toBe(0);
    expect(one.items[0]?.score).toBe(100);

    await expect(viewer().alerts.health({ integrationId: randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const list = await viewer().integrations.list();
    expect(list.items.map((i) => [i.name, i.healthScore])).toEqual([
      ['Flaky', 50],
      ['Fresh', 100],
    ]);
    expect(list.items[0]).toMatchObject({ id: flaky, type: 'ASANA', frequency: 'HOURLY', consecutiveFailures: 0 });
    expect((await viewer().integrations.list({ status: 'PAUSED' })).items).toEqual([]);
  });

  it('alerts.healthHistory gives hourly buckets ending with the current hour', async () => {
    const id = await integration('Board');
    const recent = ago(5 * MIN);
    await run(id, 'COMPLETED', recent);
    await run(id, 'FAILED', recent, 10, 10);
    await db.prisma.syncLog.createMany({
      data: [100, 200, 600].map((durationMs) => ({
        integrationId: id,
        operation: 'BULK_SYNC' as const,
        direction: 'PUSH' as const,
        resourceType: 'TASK',
        status: 'SUCCESS' as const,
        durationMs,
        createdAt: recent,
      })),
    });

    const history = await viewer().alerts.healthHistory({ integrationId: id });
    expect(history.buckets).toHaveLength(24);
    expect(history.bucketMinutes).toBe(60);
    expect(history.to.getTime() % HOUR).toBe(0);
    expect(history.to.getTime()).toBeGreaterThan(Date.now());
    const bucket = history.buckets.find((b) => b.start <= recent && recent < b.end)!;
    expect(bucket).toMatchObject({ runs: 2, successRate: 0.5, requests: 3, avgLatencyMs: 300, p50LatencyMs: 200 });
    expect(history.buckets.filter((b) => b !== bucket).every((b) => b.runs === 0 && b.successRate === null)).toBe(true);

    const fine = await viewer().alerts.healthHistory({ integrationId: id, hours: 2, bucketMinutes: 15 });
    expect(fine.buckets).toHaveLength(8);
    await expect(
      viewer().alerts.healthHistory({ integrationId: id, hours: 168, bucketMinutes: 5 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer().alerts.healthHistory({ integrationId: randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
