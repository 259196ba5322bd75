// Scheduled runs: due integrations are claimed once, the next slot follows the frequency, a
// failed run backs off, and three failures in a row stop polling with the reason recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { claimDueIntegrations, nextRunAt, runIntegration } from '../src/schedule.ts';
import { restWorld, type RestWorld } from './rest-harness.ts';

const db = useTestDatabase();
let world: RestWorld;

beforeAll(async () => {
  world = await restWorld(db, { direction: 'PULL' });
  await db.prisma.integration.update({ where: { id: world.integrationId }, data: { frequency: 'HOURLY', nextSyncAt: new Date(Date.now() - 1000) } });
});
afterAll(async () => {
  await world?.close();
});

describe('frequencies', () => {
  it('maps each frequency to its next slot (UTC)', () => {
    const at = new Date('2026-03-04T10:07:00Z'); // a Wednesday
    expect(nextRunAt('EVERY_15_MIN', at)?.toISOString()).toBe('2026-03-04T10:15:00.000Z');
    expect(nextRunAt('EVERY_30_MIN', at)?.toISOString()).toBe('2026-03-04T10:30:00.000Z');
    expect(nextRunAt('HOURLY', at)?.toISOString()).toBe('2026-03-04T11:00:00.000Z');
    expect(nextRunAt('DAILY', at)?.toISOString()).toBe('2026-03-05T02:00:00.000Z');
    expect(nextRunAt('WEEKLY', at)?.toISOString()).toBe('2026-03-09T02:00:00.000Z');
    expect(nextRunAt('REALTIME', at)).toBeNull();
    expect(nextRunAt('MANUAL', at)).toBeNull();
  });
});

describe('scheduled runs', () => {
  it('claims a due integration once and moves its next sync to the next slot', async () => {
    const [first, second] = await Promise.all([claimDueIntegrations(world.ctx), claimDueIntegrations(world.ctx)]);
    expect([...first!, ...second!]).toEqual([world.integrationId]);
    const { nextSyncAt } = await db.prisma.integration.findUniqueOrThrow({ where: { id: world.integrationId } });
    expect(nextSyncAt!.getUTCMinutes()).toBe(0);
    expect(nextSyncAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it('backs off after a failure and stops polling after the third, saying why', async () => {
    world.sandbox.faults.set({ errorRate: 1 });
    const started = Date.now();
    const first = await runIntegration(world.ctx, world.integrationId, { trigger: 'schedule' });
    expect(first.failed).toBe(1);
    let integration = await db.prisma.integration.findUniqueOrThrow({ where: { id: world.integrationId } });
    expect(integration).toMatchObject({ consecutiveFailures: 1, pollingEnabled: true });
    // 1 minute ± jitter, well before the next hourly slot.
    expect(integration.nextSyncAt!.getTime() - started).toBeGreaterThan(40_000);
    expect(integration.nextSyncAt!.getTime() - started).toBeLessThan(80_000);

    await runIntegration(world.ctx, world.integrationId, { trigger: 'schedule' });
    await runIntegration(world.ctx, world.integrationId, { trigger: 'schedule' });
    integration = await db.prisma.integration.findUniqueOrThrow({ where: { id: world.integrationId } });
    expect(integration).toMatchObject({ consecutiveFailures: 3, pollingEnabled: false, status: 'ERROR', nextSyncAt: null });
    expect(integration.lastErrorMessage).toMatch(/HTTP 5\d\d/);
    expect(await db.prisma.alert.count({ where: { integrationId: world.integrationId, rule: 'INTEGRATION_DOWN' } })).toBe(1);
    expect(await claimDueIntegrations(world.ctx)).toEqual([]);

    // Fixed and resumed by an admin: the next run succeeds and resets the count.
    world.sandbox.faults.clear();
    await db.prisma.integration.update({ where: { id: world.integrationId }, data: { pollingEnabled: true, status: 'ACTIVE' } });
    const ok = await runIntegration(world.ctx, world.integrationId, { trigger: 'schedule' });
    expect(ok.failed).toBe(0);
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: world.integrationId } })).consecutiveFailures).toBe(0);
  });
});
