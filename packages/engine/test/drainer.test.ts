// The realtime drainer: LISTEN/NOTIFY wake-ups, paused integrations hold their changes without
// spinning, and resuming delivers them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createOutboxDrainer, type OutboxDrainer } from '../src/drainer.ts';
import { saveResource } from '../src/resources.ts';
import { s4CalendarResource } from '../src/presets/s4-calendar.ts';
import { engineContext } from './support.ts';

const db = useTestDatabase();
let drainer: OutboxDrainer;
let integrationId: string;

beforeAll(async () => {
  const ctx = engineContext(db);
  integrationId = (await db.prisma.integration.create({ data: { name: 'CRM → calendar', type: 'IN_DATABASE' } })).id;
  await saveResource(ctx, s4CalendarResource(integrationId));
  drainer = createOutboxDrainer(ctx, { connectionString: db.url, sweepIntervalMs: 60_000 });
  await drainer.start();
});
afterAll(async () => {
  await drainer?.stop();
});

const interaction = (subject: string) =>
  db.prisma.interaction.create({
    data: { interaction_type: 'meeting', subject, interaction_date: new Date(Date.now() + 86_400_000), created_by: '00000000-0000-4000-8000-000000000001' },
  });

describe('outbox drainer', () => {
  it('pushes a committed change on NOTIFY alone', async () => {
    expect(drainer.status()).toMatchObject({ started: true, listening: true });
    const row = await interaction('Notified');
    await vi.waitFor(async () => expect(await db.prisma.calendar_events.count({ where: { related_id: row.interaction_id } })).toBe(1), { timeout: 5000 });
    await drainer.idle(); // a pause takes effect at the next drain, not inside one already running
  });

  it('holds the changes of a paused integration without spinning, and delivers them on resume', async () => {
    await db.prisma.integration.update({ where: { id: integrationId }, data: { status: 'PAUSED' } });
    const row = await interaction('While paused');
    // Wait for the NOTIFY-triggered drain to have come and gone: it must settle (a busy loop never would).
    await vi.waitFor(() => expect(drainer.status().draining).toBe(0), { timeout: 5000 });
    await drainer.idle();
    expect(await db.prisma.changeOutbox.count()).toBe(1);
    expect(await db.prisma.calendar_events.count({ where: { related_id: row.interaction_id } })).toBe(0);

    await db.prisma.integration.update({ where: { id: integrationId }, data: { status: 'ACTIVE' } });
    for (const { resourceId } of await db.prisma.changeOutbox.findMany()) drainer.kick(resourceId);
    await drainer.idle();
    expect(await db.prisma.calendar_events.count({ where: { related_id: row.interaction_id } })).toBe(1);
    expect(await db.prisma.changeOutbox.count()).toBe(0);
  });

  it('closes its rolling CHANGE_PUSH execution between bursts', async () => {
    const jobs = await db.prisma.jobExecution.findMany({ where: { jobType: 'CHANGE_PUSH' } });
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.status === 'COMPLETED' && j.completedAt !== null)).toBe(true);
  });
});
