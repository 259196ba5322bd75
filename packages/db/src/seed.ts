// Demo data for the embedded start: the host-app tables of flows S1–S5 and one integration per
// flow. Runs once per database: the first call records `demo_seeded_at` in system_settings inside
// the same transaction, so concurrent or repeated starts never seed twice.
import type { PrismaClient } from './generated/prisma/client.ts';
import { Prisma } from './generated/prisma/client.ts';

const FIRST = ['Ada', 'Grace', 'Alan', 'Barbara', 'Edsger', 'Frances', 'Donald', 'Radia', 'Ken', 'Margaret', 'Linus', 'Hedy'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Liskov', 'Dijkstra', 'Allen', 'Knuth', 'Perlman', 'Thompson', 'Hamilton'];
const ROLES = ['student', 'faculty', 'industry', 'staff'];
const TRACKS = ['AI/ML', 'Cybersecurity', 'Autonomy', 'Space Systems'];
const VISIBILITY = ['public', 'public', 'connections_only', 'private'];
const RSVP = ['attending', 'attending', 'maybe', 'cancelled'];

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

export interface SeedResult {
  seeded: boolean;
  integrations: number;
}

export async function seedDemoData(prisma: PrismaClient, now: Date = new Date()): Promise<SeedResult> {
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.$executeRaw`
      insert into system_settings (key, value, updated_at)
      values ('demo_seeded_at', ${JSON.stringify(now.toISOString())}::jsonb, now())
      on conflict (key) do nothing`;
    if (claimed === 0) return { seeded: false, integrations: 0 };

    const day = 24 * 60 * 60 * 1000;
    const integrations = await tx.integration.createManyAndReturn({
      data: [
        { name: 'Event app → Smartsheet', type: 'SMARTSHEET', direction: 'PUSH', frequency: 'REALTIME' },
        { name: 'SmartSuite → Webflow CMS', type: 'WEBFLOW', direction: 'PUSH', frequency: 'REALTIME' },
        { name: 'Google Sheets → contacts', type: 'GOOGLE_SHEETS', direction: 'PULL', frequency: 'HOURLY' },
        { name: 'CRM interactions → calendar', type: 'IN_DATABASE', direction: 'PUSH', frequency: 'REALTIME' },
        { name: 'Asana tasks ↔ app', type: 'ASANA', direction: 'BIDIRECTIONAL', frequency: 'HOURLY', conflictStrategy: 'MANUAL_REVIEW' },
        { name: 'HubSpot members ↔ app', type: 'HUBSPOT', direction: 'BIDIRECTIONAL', frequency: 'DAILY', conflictStrategy: 'LATEST_WINS' },
      ],
    });

    // S1: event app
    const profiles = await tx.profiles.createManyAndReturn({
      data: Array.from({ length: 40 }, (_, i) => ({
        full_name: `${pick(FIRST, i)} ${pick(LAST, i * 7 + 3)}`,
        email: `attendee${i + 1}@example.org`,
        role: pick(ROLES, i),
        organization: i % 3 === 0 ? 'Naval Postgraduate School' : 'Example Industries',
        profile_visibility: pick(VISIBILITY, i),
        linkedin_url: i % 2 === 0 ? `https://www.linkedin.com/in/attendee${i + 1}` : null,
      })),
    });
    const sessions = await tx.event_sessions.createManyAndReturn({
      data: Array.from({ length: 8 }, (_, i) => ({
        title: `${pick(TRACKS, i)} session ${i + 1}`,
        speaker: `${pick(FIRST, i + 5)} ${pick(LAST, i + 2)}`,
        track: pick(TRACKS, i),
        start_time: new Date(now.getTime() + (i + 1) * day),
        location: `Room ${101 + i}`,
        capacity: 20 + i * 5,
      })),
    });
    await tx.rsvps.createMany({
      data: profiles.flatMap((p, i) =>
        [0, 1].map((k) => ({ user_id: p.id, session_id: pick(sessions, i + k * 3).id, status: pick(RSVP, i + k) })),
      ),
      skipDuplicates: true,
    });
    await tx.connections.createMany({
      data: profiles.slice(0, 20).map((p, i) => ({
        scanner_id: p.id,
        scanned_id: pick(profiles, i + 7).id,
        connection_method: i % 4 === 0 ? 'manual_entry' : 'qr_scan',
      })),
    });

    // S4: CRM
    const creator = '00000000-0000-4000-8000-000000000001';
    const customers = await tx.customer.createManyAndReturn({
      data: ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli'].map((name) => ({ name })),
    });
    const contacts = await tx.contact.createManyAndReturn({
      data: customers.flatMap((c, i) => [
        { customer_id: c.customer_id, first_name: pick(FIRST, i), last_name: pick(LAST, i) },
        { customer_id: c.customer_id, first_name: pick(FIRST, i + 6), last_name: pick(LAST, i + 4) },
      ]),
    });
    await tx.interaction.createMany({
      data: Array.from({ length: 20 }, (_, i) => ({
        interaction_type: pick(['meeting', 'phone', 'visit'], i),
        subject: `Follow-up ${i + 1}`,
        interaction_date: new Date(now.getTime() + (i - 5) * day),
        customer_id: pick(customers, i).customer_id,
        contact_id: pick(contacts, i).contact_id,
        duration_minutes: i % 4 === 0 ? null : 30 + (i % 3) * 15,
        location: i % 2 === 0 ? 'Video call' : 'Customer office',
        created_by: creator,
        archived: i === 19,
      })),
    });

    // S5: internal management
    const members = await tx.members.createManyAndReturn({
      data: Array.from({ length: 10 }, (_, i) => ({
        first_name: pick(FIRST, i + 2),
        last_name: pick(LAST, i + 5),
        email: `member${i + 1}@example.org`,
        role: i === 0 ? 'coordinator' : 'volunteer',
      })),
    });
    await tx.tasks.createMany({
      data: Array.from({ length: 20 }, (_, i) => ({
        title: `Task ${i + 1}`,
        description: `Demo task ${i + 1}`,
        status: pick(['todo', 'in_progress', 'done'], i),
        completed: i % 3 === 2,
        due_date: new Date(now.getTime() + (i + 1) * day),
        assignee_id: pick(members, i).id,
      })),
    });
    await tx.participation_logs.createMany({
      data: Array.from({ length: 20 }, (_, i) => ({
        member_id: pick(members, i).id,
        activity: pick(['Workshop', 'Field day', 'Committee meeting'], i),
        hours: new Prisma.Decimal(1 + (i % 4) * 0.5),
        occurred_on: new Date(now.getTime() - i * day),
      })),
    });

    return { seeded: true, integrations: integrations.length };
  });
}
