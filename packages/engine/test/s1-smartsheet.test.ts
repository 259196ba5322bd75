// Flow S1 end to end: the event app's profiles, RSVPs, connections and session analytics pushed
// into four Smartsheet sandbox sheets through the official SDK-based connector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmartsheetConnector } from '@syncbridge/connectors';
import { createSmartsheetSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import { useTestDatabase } from '@syncbridge/db/testing';
import { drainOutbox, pushAll } from '../src/push.ts';
import { promoteDueRetries } from '../src/schedule.ts';
import { saveResource } from '../src/resources.ts';
import { S1_COLUMN_TYPES, S1_SHEET_COLUMNS, s1EventResources, type S1Sheets } from '../src/presets/s1-event-smartsheet.ts';
import { engineContext } from './support.ts';

const TOKEN = 's1-token';
const ADD = 'POST /2.0/sheets/:sheetId/rows';
const UPDATE = 'PUT /2.0/sheets/:sheetId/rows';
const DELETE = 'DELETE /2.0/sheets/:sheetId/rows';
const db = useTestDatabase();
const sandbox = createSmartsheetSandbox({ accessToken: TOKEN, seed: 7 });
let server: SandboxServer;
let ctx: ReturnType<typeof engineContext>;
let sheets: Record<keyof S1Sheets, number>;
const resources: Record<string, string> = {};

const writes = () => sandbox.counters.count(ADD) + sandbox.counters.count(UPDATE) + sandbox.counters.count(DELETE);
const rows = (sheet: keyof S1Sheets) => sandbox.sheets.readRows(sheets[sheet]).map((r) => r.values);

beforeAll(async () => {
  server = await sandbox.start();
  const connector = createSmartsheetConnector({ accessToken: TOKEN, baseUrl: `${server.url}/2.0` });
  ctx = engineContext(db, { connectorFor: (i) => (i.type === 'SMARTSHEET' ? connector : undefined!), retry: { baseMs: 10, maxMs: 200, inRunAttempts: 3, maxWaitMs: 500 } });
  const create = (name: string, titles: readonly string[]) =>
    sandbox.sheets.createSheet({ name, columns: titles.map((title, i) => ({ title, type: S1_COLUMN_TYPES[title], primary: i === 0 })) }).id;
  sheets = {
    registrations: create('User Registrations', S1_SHEET_COLUMNS.registrations),
    rsvps: create('Session RSVPs', S1_SHEET_COLUMNS.rsvps),
    connections: create('Connections', S1_SHEET_COLUMNS.connections),
    analytics: create('Session Analytics', S1_SHEET_COLUMNS.analytics),
  };

  // 2,000 profiles, every fifth private; 10 sessions; two RSVPs each; 1,000 connections.
  await db.pool.query(
    `insert into profiles (full_name, email, role, organization, profile_visibility)
     select 'Person ' || g, 'p' || g || '@s1.test', (array['student','faculty','industry','staff'])[1 + g % 4], 'Org ' || (g % 7),
            case when g % 5 = 0 then 'private' else 'public' end
       from generate_series(1, 2000) as g`,
  );
  await db.pool.query(
    `insert into event_sessions (title, speaker, track, start_time, location, capacity)
     select 'Session ' || g, 'Speaker ' || g, (array['AI/ML','Cybersecurity'])[1 + g % 2], now() + (g || ' days')::interval, 'Room ' || g, 100 + g * 10
       from generate_series(1, 10) as g`,
  );
  await db.pool.query(
    `insert into rsvps (user_id, session_id, status)
     select p.id, s.id, (array['attending','attending','maybe','cancelled'])[1 + (p.n + s.n) % 4]
       from (select id, row_number() over (order by email) as n from profiles) p
       join (select id, row_number() over (order by title) as n from event_sessions) s on s.n in (1 + p.n % 10, 1 + (p.n + 3) % 10)`,
  );
  await db.pool.query(
    `insert into connections (scanner_id, scanned_id, connection_method)
     select a.id, b.id, case when a.n % 4 = 0 then 'manual_entry' else 'qr_scan' end
       from (select id, row_number() over (order by email) as n from profiles) a
       join (select id, row_number() over (order by email) as n from profiles) b on b.n = a.n + 1
      where a.n <= 1000`,
  );
  const integration = await db.prisma.integration.create({ data: { name: 'Event app → Smartsheet', type: 'SMARTSHEET', direction: 'PUSH', frequency: 'EVERY_15_MIN' } });
  const ids = { registrations: String(sheets.registrations), rsvps: String(sheets.rsvps), connections: String(sheets.connections), analytics: String(sheets.analytics) };
  for (const input of s1EventResources(integration.id, ids)) resources[input.name] = (await saveResource(ctx, input)).id;
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('S1: event app → Smartsheet', () => {
  it('pushes exactly the expected rows into the four sheets, private profiles excluded', async () => {
    for (const id of Object.values(resources)) {
      const outcome = await pushAll(ctx, id, { jobType: 'INITIAL_IMPORT' });
      expect(outcome.failed).toBe(0);
    }
    const expected = async (sql: string) => (await db.pool.query<{ n: number }>(sql)).rows[0]!.n;
    const publicProfiles = await expected(`select count(*)::int as n from profiles where profile_visibility <> 'private'`);
    expect(publicProfiles).toBe(1600);

    const registrations = rows('registrations');
    expect(registrations).toHaveLength(publicProfiles);
    const { rows: publicIds } = await db.pool.query<{ id: string }>(`select id::text as id from profiles where profile_visibility <> 'private'`);
    expect(new Set(registrations.map((r) => r['User ID']))).toEqual(new Set(publicIds.map((p) => p.id)));
    expect(registrations.some((r) => r['Profile Status'] === 'private')).toBe(false);
    const sample = registrations.find((r) => r.Email === 'p1@s1.test')!;
    expect(sample).toMatchObject({ 'Full Name': 'Person 1', Role: 'faculty', 'QR Scanning Enabled': true, 'Sync Status': 'synced' });
    expect(sample['Registration Date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sample['Last Synced']).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    expect(rows('rsvps')).toHaveLength(await expected(`select count(*)::int as n from rsvp_sheet_rows where profile_visibility <> 'private'`));
    expect(rows('connections')).toHaveLength(await expected(`select count(*)::int as n from connection_sheet_rows where both_public`));

    const analytics = rows('analytics');
    expect(analytics).toHaveLength(10);
    const { rows: stats } = await db.pool.query<{ id: string; attending: number; capacity: number }>(`select id::text as id, attending, capacity from session_analytics`);
    for (const s of stats) {
      const row = analytics.find((r) => r['Session ID'] === s.id)!;
      expect(row['RSVPs (Attending)']).toBe(s.attending);
      expect(row['Fill Rate']).toBeCloseTo(s.attending / s.capacity, 4);
    }
  }, 120_000);

  it('a re-sync with no changes makes no write calls', async () => {
    const before = writes();
    for (const id of Object.values(resources)) await pushAll(ctx, id, { jobType: 'SCHEDULED_SYNC', trigger: 'schedule' });
    expect(writes()).toBe(before);
  }, 60_000);

  it('an edit to one profile makes exactly one update call for exactly that row', async () => {
    const before = { add: sandbox.counters.count(ADD), update: sandbox.counters.count(UPDATE), del: sandbox.counters.count(DELETE) };
    const { rows: [profile] } = await db.pool.query<{ id: string }>(`update profiles set full_name = 'Renamed Person' where email = 'p2@s1.test' returning id::text as id`);
    await drainOutbox(ctx, resources.user_registrations!);
    expect(sandbox.counters.count(UPDATE) - before.update).toBe(1);
    expect(sandbox.counters.count(ADD) - before.add).toBe(0);
    expect(sandbox.counters.count(DELETE) - before.del).toBe(0);
    const changed = rows('registrations').filter((r) => r['Full Name'] === 'Renamed Person');
    expect(changed.map((r) => r['User ID'])).toEqual([profile!.id]);
  });

  it('a profile made private leaves the sheet', async () => {
    await db.pool.query(`update profiles set profile_visibility = 'private' where email = 'p3@s1.test'`);
    await drainOutbox(ctx, resources.user_registrations!);
    expect(rows('registrations').some((r) => r.Email === 'p3@s1.test')).toBe(false);
  });

  it('with 10% 5xx and 5% 429 everything still lands, and no minute ever sees more than 300 requests', async () => {
    sandbox.faults.set({ errorRate: 0.1, rateLimitRate: 0.05 });
    await db.pool.query(
      `insert into profiles (full_name, email, profile_visibility) select 'Late ' || g, 'late' || g || '@s1.test', 'public' from generate_series(1, 1200) as g`,
    );
    // Changes in small commits: many requests, each with its chance of failing.
    for (let i = 0; i < 40; i++) {
      await db.pool.query(`update profiles set organization = 'Batch ' || $1 where email like 'late%' and (substring(email from 5)::text)::int % 40 = $1`, [i]).catch(() => undefined);
    }
    const resourceId = resources.user_registrations!;
    for (let round = 0; round < 30; round++) {
      await drainOutbox(ctx, resourceId);
      const pending = await db.prisma.integrationMapping.count({ where: { resourceId, status: { not: 'SYNCED' } } });
      const outbox = await db.prisma.changeOutbox.count({ where: { resourceId } });
      if (pending === 0 && outbox === 0) break;
      // Time passes: whatever is waiting for a retry is due now.
      await db.prisma.integrationMapping.updateMany({ where: { resourceId, status: 'PENDING_SYNC' }, data: { nextRetryAt: new Date(Date.now() - 1000) } });
      await promoteDueRetries(ctx);
    }
    sandbox.faults.clear();
    expect(sandbox.faults.injected.error + sandbox.faults.injected.rate_limit).toBeGreaterThan(0);
    const { rows: publicIds } = await db.pool.query<{ id: string }>(`select id::text as id from profiles where profile_visibility <> 'private'`);
    const registrations = rows('registrations');
    expect(registrations).toHaveLength(publicIds.length);
    expect(new Set(registrations.map((r) => r['User ID']))).toEqual(new Set(publicIds.map((p) => p.id)));
    expect(sandbox.counters.maxRequestsInWindow(60_000)).toBeLessThanOrEqual(300);
  }, 120_000);
});
