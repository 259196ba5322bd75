// Flow S5 end to end: `members` ↔ HubSpot contacts through the real HubSpot connector (official
// SDK) against the in-process HubSpot sandbox over HTTP, on a real Postgres. Pushes come from the
// change-capture outbox (drainOutbox), pulls are incremental by lastmodifieddate (the connector's
// cursor, as the scheduler runs them: the first pull is a full read, every later one a search from
// the cursor minus its safety margin), and each conflict strategy is exercised on the same field
// edited on both sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpot, type HubSpotHarness } from '@syncbridge/connectors/sandboxes';
import type { ConflictStrategy } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import type { EngineContext } from '../src/context.ts';
import { S5_HUBSPOT_PROPERTIES, s5MembersResource } from '../src/presets/s5-hubspot-members.ts';
import { pullResource } from '../src/pull.ts';
import { drainOutbox } from '../src/push.ts';
import { applyConflictResolution } from '../src/resolve.ts';
import { saveResource } from '../src/resources.ts';
import { engineContext } from './support.ts';

const db = useTestDatabase();
let h: HubSpotHarness;
let ctx: EngineContext;
let integrationId: string;
let resourceId: string;

beforeAll(async () => {
  // The portal's custom properties are exactly the preset's list (syncbridge_id among them).
  h = await startHubSpot({ contactProperties: [...S5_HUBSPOT_PROPERTIES] });
  ctx = engineContext(db, { connectorFor: (integration) => (integration.type === 'HUBSPOT' ? h.connector : undefined!) });
  const integration = await db.prisma.integration.create({
    data: {
      name: 'Members ↔ HubSpot',
      type: 'HUBSPOT',
      baseUrl: h.server.url,
      direction: 'BIDIRECTIONAL',
      conflictStrategy: 'LATEST_WINS',
    },
  });
  integrationId = integration.id;
  resourceId = (await saveResource(ctx, s5MembersResource(integrationId))).id;
});
afterAll(async () => {
  await h?.close();
});

const contacts = () => h.sandbox.objects.contacts;
const contact = (externalId: string) => {
  const found = contacts().get(externalId);
  if (!found) throw new Error(`no contact ${externalId}`);
  return found.properties;
};
/** Batch create/update/archive requests the sandbox received. */
const writes = () =>
  Object.entries(h.sandbox.counters.byEndpoint())
    .filter(([endpoint]) => /batch\/(create|update|archive)$/.test(endpoint))
    .reduce((sum, [, n]) => sum + n, 0);
const searchRequests = () =>
  Object.entries(h.sandbox.counters.byEndpoint())
    .filter(([endpoint]) => endpoint.endsWith('/search'))
    .reduce((sum, [, n]) => sum + n, 0);
const member = (id: string) => db.prisma.members.findUniqueOrThrow({ where: { id } });
const mappingOf = (internalId: string) =>
  db.prisma.integrationMapping.findFirstOrThrow({ where: { resourceId, internalId } });
const outboxSize = () => db.prisma.changeOutbox.count({ where: { resourceId } });

let serial = 0;
/** A member created locally and pushed; returns its id and its contact's id. */
async function newMember(extra: Partial<{ first_name: string; last_name: string | null; phone: string | null }> = {}) {
  serial++;
  const created = await db.prisma.members.create({
    data: { first_name: `First${serial}`, last_name: `Last${serial}`, email: `member${serial}@example.com`, phone: `+1 555 01${serial}`, ...extra },
  });
  await drainOutbox(ctx, resourceId);
  const { externalId } = await mappingOf(created.id);
  if (!externalId) throw new Error('member was not pushed');
  return { id: created.id, externalId };
}

async function setStrategy(strategy: ConflictStrategy) {
  await db.prisma.integration.update({ where: { id: integrationId }, data: { conflictStrategy: strategy } });
}

async function syncBothWays() {
  await pullResource(ctx, resourceId);
  await drainOutbox(ctx, resourceId);
}

describe('S5: members ↔ HubSpot contacts', () => {
  it('pushes new members as contacts carrying the member id in syncbridge_id, and pulls no echo', async () => {
    await db.prisma.members.createMany({
      data: [
        { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0001', role: 'steward' },
        { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', status: 'pending' },
        { first_name: 'Alan', email: 'alan@example.com', status: 'inactive' }, // no last name, no phone
      ],
    });
    const pushed = await drainOutbox(ctx, resourceId);
    expect(pushed).toMatchObject({ created: 3, failed: 0 });
    for (const m of await db.prisma.members.findMany()) {
      const { externalId, status } = await mappingOf(m.id);
      expect(status).toBe('SYNCED');
      expect(contact(externalId!)).toMatchObject({
        syncbridge_id: m.id,
        email: m.email,
        firstname: m.first_name,
        lastname: m.last_name ?? '',
        phone: m.phone ?? '',
        membership_status: m.status,
        britepool_role: m.role ?? '',
      });
    }
    // The first pull (a full read, which sets the incremental cursor) finds nothing new: the
    // contacts hold what was pushed ('' for the empty properties reads back as NULL).
    const before = writes();
    const pulled = await pullResource(ctx, resourceId);
    expect(pulled).toMatchObject({ processed: 3, added: 0, changed: 0, unchanged: 3, failed: 0 });
    expect((await db.prisma.syncResource.findUniqueOrThrow({ where: { id: resourceId } })).cursor).toContain('"changes"');
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
  });

  it('applies an edit made in HubSpot locally without echoing it back', async () => {
    const { id, externalId } = await newMember();
    contacts().update(externalId, { firstname: 'Renamed', membership_status: 'inactive' });
    const before = writes();
    const searches = searchRequests();
    const pulled = await pullResource(ctx, resourceId); // incremental: search by lastmodifieddate
    expect(searchRequests()).toBe(searches + 1);
    expect(pulled.changed).toBe(1);
    expect(await member(id)).toMatchObject({ first_name: 'Renamed', status: 'inactive' });
    expect(await outboxSize()).toBe(0);
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
    const again = await pullResource(ctx, resourceId);
    expect(again.changed).toBe(0);
    expect(writes()).toBe(before);
  });

  it('pulls a contact created in HubSpot as a new member', async () => {
    const made = contacts().create({ email: 'outside@example.com', firstname: 'Out', lastname: 'Side' });
    const before = writes();
    const pulled = await pullResource(ctx, resourceId);
    expect(pulled.added).toBe(1);
    const local = await db.prisma.members.findUniqueOrThrow({ where: { email: 'outside@example.com' } });
    expect(local).toMatchObject({ first_name: 'Out', last_name: 'Side', phone: null, status: 'active' });
    expect((await mappingOf(local.id)).externalId).toBe(made.id);
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
  });

  it('converges when each side edits a different field', async () => {
    const { id, externalId } = await newMember();
    await db.prisma.members.update({ where: { id }, data: { last_name: 'Local-Last', updated_at: new Date() } });
    contacts().update(externalId, { phone: '+1 555 9999' });
    await syncBothWays();
    expect(await member(id)).toMatchObject({ last_name: 'Local-Last', phone: '+1 555 9999' });
    expect(contact(externalId)).toMatchObject({ lastname: 'Local-Last', phone: '+1 555 9999' });
    // Settled: another round trip reads and writes nothing new.
    const before = writes();
    const again = await pullResource(ctx, resourceId);
    expect(again).toMatchObject({ changed: 0, conflicts: 0 });
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
  });

  it('keeps a HubSpot edit made between the push’s read and its write (only changed fields are sent)', async () => {
    const { id, externalId } = await newMember();
    await db.prisma.members.update({ where: { id }, data: { last_name: 'Local-Only', updated_at: new Date() } });
    // Someone edits the phone in HubSpot right after the push read the contact, before it writes.
    const racing = engineContext(db, {
      connectorFor: () => ({
        ...h.connector,
        getRecords: async (ref, ids) => {
          const read = await h.connector.getRecords!(ref, ids);
          contacts().update(externalId, { phone: '+1 555 7777' });
          return read;
        },
      }),
    });
    await drainOutbox(racing, resourceId);
    expect(contact(externalId)).toMatchObject({ lastname: 'Local-Only', phone: '+1 555 7777' });
    await syncBothWays();
    expect(await member(id)).toMatchObject({ last_name: 'Local-Only', phone: '+1 555 7777' });
  });

  /** firstname edited on both sides; the local edit time set as the test needs it. */
  async function conflictOnFirstName(strategy: ConflictStrategy, localUpdatedAt: Date) {
    await setStrategy(strategy);
    const m = await newMember();
    await db.prisma.members.update({ where: { id: m.id }, data: { first_name: 'Local name', updated_at: localUpdatedAt } });
    contacts().update(m.externalId, { firstname: 'HubSpot name' });
    await syncBothWays();
    return { ...m, local: await member(m.id), external: contact(m.externalId) };
  }

  it('LATEST_WINS takes the side edited last (members.updated_at against lastmodifieddate)', async () => {
    const newer = await conflictOnFirstName('LATEST_WINS', new Date(Date.now() + 3_600_000));
    expect(newer.local.first_name).toBe('Local name');
    expect(newer.external.firstname).toBe('Local name');
    const older = await conflictOnFirstName('LATEST_WINS', new Date(Date.now() - 3_600_000));
    expect(older.local.first_name).toBe('HubSpot name');
    expect(older.external.firstname).toBe('HubSpot name');
    expect(await db.prisma.conflictResolution.count({ where: { resourceId, status: 'PENDING' } })).toBe(0);
  });

  it('EXTERNAL_WINS takes the HubSpot value even when the local edit is newer', async () => {
    const r = await conflictOnFirstName('EXTERNAL_WINS', new Date(Date.now() + 3_600_000));
    expect(r.local.first_name).toBe('HubSpot name');
    expect(r.external.firstname).toBe('HubSpot name');
    expect((await mappingOf(r.id)).status).toBe('SYNCED');
  });

  it('MANUAL_REVIEW holds the record for an admin, then applies a per-field choice to both sides', async () => {
    await setStrategy('MANUAL_REVIEW');
    const { id, externalId } = await newMember({ phone: '+1 555 0000' });
    await db.prisma.members.update({ where: { id }, data: { first_name: 'Local name', phone: '+1 555 1111', updated_at: new Date() } });
    contacts().update(externalId, { firstname: 'HubSpot name', phone: '+1 555 2222' });
    const pulled = await pullResource(ctx, resourceId);
    expect(pulled.conflicts).toBe(1);

    const conflict = await db.prisma.conflictResolution.findFirstOrThrow({ where: { internalId: id, status: 'PENDING' } });
    expect(conflict.conflictedFields).toEqual(['firstname', 'phone']);
    expect(conflict.externalId).toBe(externalId);
    expect((await mappingOf(id)).status).toBe('CONFLICT');
    expect(await member(id)).toMatchObject({ first_name: 'Local name', phone: '+1 555 1111' });

    // While it is open, neither side overwrites the other.
    await syncBothWays();
    expect(await member(id)).toMatchObject({ first_name: 'Local name', phone: '+1 555 1111' });
    expect(contact(externalId)).toMatchObject({ firstname: 'HubSpot name', phone: '+1 555 2222' });

    const result = await applyConflictResolution(ctx, conflict.id, { choice: 'fields', fields: { firstname: 'local', phone: 'external' } });
    expect(result).toMatchObject({ pushed: true, values: { firstname: 'Local name', phone: '+1 555 2222' } });
    await drainOutbox(ctx, resourceId);
    expect(await member(id)).toMatchObject({ first_name: 'Local name', phone: '+1 555 2222' });
    expect(contact(externalId)).toMatchObject({ firstname: 'Local name', phone: '+1 555 2222' });
    expect((await db.prisma.conflictResolution.findUniqueOrThrow({ where: { id: conflict.id } })).status).toBe('RESOLVED');
    expect((await mappingOf(id)).status).toBe('SYNCED');

    // Settled: the next pull sees our own write and raises nothing.
    const again = await pullResource(ctx, resourceId);
    expect(again).toMatchObject({ changed: 0, conflicts: 0 });
    expect(await db.prisma.conflictResolution.count({ where: { internalId: id, status: 'PENDING' } })).toBe(0);
  });

  it('deletes are ignored both ways (deletePolicy IGNORE, pushDeletes ignore)', async () => {
    await setStrategy('LATEST_WINS');
    const archived = await newMember();
    contacts().archive(archived.externalId);
    await pullResource(ctx, resourceId, { full: true }); // archives are seen by a full read
    expect(await db.prisma.members.count({ where: { id: archived.id } })).toBe(1);
    expect((await mappingOf(archived.id)).status).toBe('DELETED');

    const removed = await newMember();
    const before = writes();
    await db.prisma.members.delete({ where: { id: removed.id } });
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
    expect(contacts().get(removed.externalId)).toBeDefined();
  });
});
