// Flow S4 end to end: interaction rows become calendar_events exactly as the field contract says.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { drainOutbox, pushAll } from '../src/push.ts';
import { saveResource } from '../src/resources.ts';
import { s4CalendarResource } from '../src/presets/s4-calendar.ts';
import { engineContext } from './support.ts';

const db = useTestDatabase();
const creator = '00000000-0000-4000-8000-000000000001';
const day = 86_400_000;
let ctx: ReturnType<typeof engineContext>;
let resourceId: string;
let customerId: string;
let contactId: string;

function at(daysFromNow: number, hh: number, mm: number): Date {
  const d = new Date(Date.now() + daysFromNow * day);
  d.setUTCHours(hh, mm, 0, 0);
  return d;
}

async function insertInteraction(fields: Record<string, unknown>): Promise<string> {
  const row = await db.prisma.interaction.create({
    data: { interaction_type: 'meeting', created_by: creator, customer_id: customerId, contact_id: contactId, ...fields },
  });
  return row.interaction_id;
}

async function events() {
  return db.prisma.calendar_events.findMany({ orderBy: { event_date: 'asc' } });
}

const time = (d: Date | null) => (d ? d.toISOString().slice(11, 19) : null);

beforeAll(async () => {
  ctx = engineContext(db);
  const integration = await db.prisma.integration.create({ data: { name: 'CRM → calendar', type: 'IN_DATABASE', direction: 'PUSH' } });
  resourceId = (await saveResource(ctx, s4CalendarResource(integration.id))).id;
  customerId = (await db.prisma.customer.create({ data: { name: 'Acme Corp' } })).customer_id;
  contactId = (await db.prisma.contact.create({ data: { first_name: 'Ada', last_name: 'Lovelace', customer_id: customerId } })).contact_id;
});

describe('S4: interactions → calendar_events', () => {
  let kickoff: string;
  let allDay: string;

  it('creates events only for interactions that meet the sync conditions', async () => {
    kickoff = await insertInteraction({ subject: 'Kickoff', interaction_date: at(1, 10, 0), duration_minutes: 45, location: 'Room 1' });
    allDay = await insertInteraction({ subject: 'Site visit', interaction_date: at(3, 9, 30), duration_minutes: null });
    await insertInteraction({ subject: 'Old call', interaction_date: at(-40, 9, 0), duration_minutes: 15 });
    await insertInteraction({ subject: null, interaction_date: at(2, 9, 0) });
    await insertInteraction({ subject: 'Archived before sync', interaction_date: at(2, 9, 0), archived: true });
    await insertInteraction({ subject: 'No date', interaction_date: null });
    const recent = await insertInteraction({ subject: 'Last week', interaction_date: at(-7, 16, 0), duration_minutes: 0 });

    const outcome = await drainOutbox(ctx, resourceId);
    expect(outcome.created).toBe(3);
    expect(outcome.failed).toBe(0);

    const rows = await events();
    expect(rows.map((e) => e.related_id).sort()).toEqual([kickoff, allDay, recent].sort());
    const k = rows.find((e) => e.related_id === kickoff)!;
    expect(k).toMatchObject({
      title: 'Kickoff',
      all_day: false,
      event_type: 'interaction',
      event_status: 'scheduled',
      related_table: 'interaction',
      location: 'Room 1',
      synced_from: 'interaction',
      created_by: creator,
    });
    expect(time(k.start_time)).toBe('10:00:00');
    expect(time(k.end_time)).toBe('10:45:00');
    expect(k.participants).toEqual(['Acme Corp', 'Ada Lovelace']);
    expect(k.last_synced_at).not.toBeNull();
    const a = rows.find((e) => e.related_id === allDay)!;
    expect(a.all_day).toBe(true);
    expect(a.end_time).toBeNull();
    expect(time(a.start_time)).toBe('09:30:00');
    expect(rows.find((e) => e.related_id === recent)!.all_day).toBe(true); // duration 0 → all day
    expect(await db.prisma.changeOutbox.count()).toBe(0);
  });

  it('updates the event of an updated interaction and keeps one event per interaction', async () => {
    await db.prisma.interaction.update({ where: { interaction_id: kickoff }, data: { subject: 'Kickoff (moved)', duration_minutes: 90, contact_id: null } });
    const outcome = await drainOutbox(ctx, resourceId);
    expect(outcome).toMatchObject({ updated: 1, created: 0 });
    const k = (await events()).filter((e) => e.related_id === kickoff);
    expect(k).toHaveLength(1);
    expect(k[0]!.title).toBe('Kickoff (moved)');
    expect(time(k[0]!.end_time)).toBe('11:30:00');
    expect(k[0]!.participants).toEqual(['Acme Corp']);
  });

  it('cancels (does not delete) the event of an archived interaction', async () => {
    await db.prisma.interaction.update({ where: { interaction_id: allDay }, data: { archived: true } });
    await drainOutbox(ctx, resourceId);
    const a = (await events()).find((e) => e.related_id === allDay);
    expect(a?.event_status).toBe('cancelled');
  });

  it('deletes the event of a deleted interaction', async () => {
    await db.prisma.interaction.delete({ where: { interaction_id: kickoff } });
    const outcome = await drainOutbox(ctx, resourceId);
    expect(outcome.deleted).toBe(1);
    expect((await events()).some((e) => e.related_id === kickoff)).toBe(false);
    expect(await db.prisma.integrationMapping.count({ where: { resourceId, internalId: kickoff } })).toBe(0);
  });

  it('re-running changes nothing', async () => {
    const before = await events();
    const outcome = await pushAll(ctx, resourceId, { jobType: 'MANUAL_SYNC' });
    expect(outcome).toMatchObject({ created: 0, updated: 0, deleted: 0, failed: 0, requests: 0 });
    expect(await events()).toEqual(before); // last_synced_at unchanged: nothing was written
    const job = await db.prisma.jobExecution.findUniqueOrThrow({ where: { id: outcome.jobId } });
    expect(job).toMatchObject({ status: 'COMPLETED', total: 6, processed: 6, skipped: 6 });
  });
});
