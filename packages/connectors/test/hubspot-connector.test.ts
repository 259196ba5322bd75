// The HubSpot connector against the sandbox over real HTTP: writes, reads, recovery and discovery.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ItemResult } from '../src/contract.ts';
import { CONTACTS, startHubSpot, type HubSpotHarness } from '../src/hubspot/testing.ts';

let h: HubSpotHarness;
let seq = 0;
const member = (name: string) => {
  seq += 1;
  return { internalId: `m-${seq}`, email: `member${seq}@britepool.test`, name };
};

beforeAll(async () => {
  h = await startHubSpot();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.faults.clear();
  h.sandbox.limiter.reset();
  h.sandbox.counters.reset();
});

const okIds = (results: ItemResult[]) => results.map((result) => (result.ok ? result.externalId : null));

describe('HubSpot connector', () => {
  it('reports HubSpot limits and tests the connection', async () => {
    expect(h.connector.limits).toEqual({ requestsPerWindow: 100, windowMs: 10_000, maxBatchSize: 100, partialUpdates: true });
    expect(h.connect({ requestsPerWindow: 190 }).limits.requestsPerWindow).toBe(190);
    expect(await h.connector.testConnection()).toMatchObject({ ok: true, apiVersion: 'crm/v3' });
    const bad = await h.connect({ accessToken: 'nope' }).testConnection();
    expect(bad).toMatchObject({ ok: false });
    expect(bad.message).toMatch(/^auth: HTTP 401 INVALID_AUTHENTICATION/);
  });

  it('creates in one batch request carrying the key property, then updates in one more', async () => {
    const members = Array.from({ length: 3 }, (_, i) => member(`Ada Lovelace${i}`));
    const created = await h.connector.upsertBatch(
      CONTACTS,
      members.map((m) => ({
        internalId: m.internalId,
        externalId: null,
        fields: { email: m.email, firstname: 'Ada', britepool_equity_units: 12.5 },
      })),
    );
    expect(created.every((result) => result.ok)).toBe(true);
    expect(h.sandbox.counters.count('POST /crm/v3/objects/:objectType/batch/create')).toBe(1);
    const ids = okIds(created) as string[];
    const stored = h.sandbox.objects.contacts.get(ids[0]!)!;
    expect(stored.properties).toMatchObject({
      email: members[0]!.email,
      syncbridge_id: members[0]!.internalId,
      britepool_equity_units: '12.5',
    });
    expect(created[0]).toMatchObject({ updatedAt: new Date(stored.updatedAt).toISOString() });

    const updated = await h.connector.upsertBatch(
      CONTACTS,
      members.map((m, i) => ({
        internalId: m.internalId,
        externalId: ids[i]!,
        fields: { lastname: `L${i}`, britepool_role: null },
      })),
    );
    expect(okIds(updated)).toEqual(ids);
    expect(h.sandbox.counters.count('POST /crm/v3/objects/:objectType/batch/update')).toBe(1);
    expect(h.sandbox.objects.contacts.get(ids[2]!)!.properties).toMatchObject({ lastname: 'L2', britepool_role: '' });
  });

  it('splits 250 creates into requests of at most 100', async () => {
    const items = Array.from({ length: 250 }, () => {
      const m = member('Bulk');
      return { internalId: m.internalId, externalId: null, fields: { email: m.email } };
    });
    const results = await h.connector.upsertBatch(CONTACTS, items);
    expect(results.filter((result) => result.ok)).toHaveLength(250);
    expect(h.sandbox.counters.count('POST /crm/v3/objects/:objectType/batch/create')).toBe(3);
    expect(results.map((result) => result.internalId)).toEqual(items.map((item) => item.internalId));
  });

  it('fails one bad record alone: invalid values and existing emails are isolated, the rest is written', async () => {
    const taken = h.sandbox.objects.contacts.create({ email: `taken${++seq}@britepool.test` });
    const items = Array.from({ length: 8 }, () => {
      const m = member('Ok');
      return { internalId: m.internalId, externalId: null, fields: { email: m.email } as Record<string, string> };
    });
    items[2]!.fields.email = 'not-an-email';
    items[5]!.fields.email = taken.properties.email!;
    const results = await h.connector.upsertBatch(CONTACTS, items);
    expect(results.map((result) => result.ok)).toEqual([true, true, false, true, true, false, true, true]);
    expect(results[2]).toMatchObject({ ok: false, error: { kind: 'invalid', status: 400, code: 'VALIDATION_ERROR' } });
    expect(results[5]).toMatchObject({ ok: false, error: { kind: 'invalid', status: 409, code: 'CONFLICT' } });
    expect((results[5] as { error: { message: string } }).error.message).toContain(`Existing ID: ${taken.id}`);
    for (const [i, result] of results.entries())
      if (result.ok)
        expect(h.sandbox.objects.contacts.get(result.externalId)?.properties.syncbridge_id).toBe(items[i]!.internalId);
  });

  it('fails every item naming an unknown property at once, without splitting per item', async () => {
    const items = Array.from({ length: 6 }, (_, i) => {
      const m = member('P');
      const fields: Record<string, string> = i % 2 ? { email: m.email, no_such_property: 'x' } : { email: m.email };
      return { internalId: m.internalId, externalId: null, fields };
    });
    const results = await h.connector.upsertBatch(CONTACTS, items);
    expect(results.map((result) => result.ok)).toEqual([true, false, true, false, true, false]);
    expect(h.sandbox.counters.count('POST /crm/v3/objects/:objectType/batch/create')).toBe(2);
  });

  it('adopts its own earlier create when the response was lost (409 on the same key)', async () => {
    const m = member('Lost Response');
    const earlier = h.sandbox.objects.contacts.create({ email: m.email, syncbridge_id: m.internalId });
    const [result] = await h.connector.upsertBatch(CONTACTS, [
      { internalId: m.internalId, externalId: null, fields: { email: m.email, firstname: 'Lost' } },
    ]);
    expect(result).toMatchObject({ ok: true, externalId: earlier.id });
    expect(h.sandbox.objects.contacts.get(earlier.id)?.properties.firstname).toBe('Lost');
    expect(h.sandbox.objects.contacts.live().filter((contact) => contact.properties.email === m.email)).toHaveLength(1);
  });

  it('maps a 207 on update back to the items HubSpot did not know', async () => {
    const live = h.sandbox.objects.contacts.create({ email: `u${++seq}@britepool.test` });
    const gone = h.sandbox.objects.contacts.create({ email: `g${++seq}@britepool.test` });
    h.sandbox.objects.contacts.archive(gone.id);
    const results = await h.connector.upsertBatch(CONTACTS, [
      { internalId: 'a', externalId: live.id, fields: { firstname: 'Live' } },
      { internalId: 'b', externalId: gone.id, fields: { firstname: 'Gone' } },
    ]);
    expect(results[0]).toMatchObject({ ok: true, externalId: live.id });
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'invalid', code: 'OBJECT_NOT_FOUND' } });
  });

  it('throws a whole-request failure before anything succeeded, and fails the rest per item after', async () => {
    const items = Array.from({ length: 150 }, () => {
      const m = member('R');
      return { internalId: m.internalId, externalId: null, fields: { email: m.email } };
    });
    h.sandbox.faults.failNext(1, 'error', { status: 503 });
    const thrown = await h.connector.upsertBatch(CONTACTS, items.slice(0, 10)).catch((error: unknown) => error);
    expect(h.connector.classifyError(thrown)).toMatchObject({ kind: 'retryable', status: 503, code: 'INTERNAL_ERROR' });
    // One request admitted per window: the second chunk (items 100–149) is answered 429.
    h.sandbox.limiter.configure({ requestsPerWindow: 1 });
    try {
      const results = await h.connector.upsertBatch(CONTACTS, items);
      expect(results.slice(0, 100).every((result) => result.ok)).toBe(true);
      expect(
        results
          .slice(100)
          .every(
            (result) => !result.ok && result.error.kind === 'rate_limited' && result.error.retryAfterMs === 10_000,
          ),
      ).toBe(true);
    } finally {
      h.sandbox.limiter.configure({ requestsPerWindow: 100 });
    }
  });

  it('archives in batches and counts ids already gone as deleted', async () => {
    const a = h.sandbox.objects.contacts.create({ email: `d${++seq}@britepool.test` });
    const b = h.sandbox.objects.contacts.create({ email: `d${++seq}@britepool.test` });
    h.sandbox.objects.contacts.archive(b.id);
    const results = await h.connector.deleteBatch(CONTACTS, [
      { internalId: 'a', externalId: a.id },
      { internalId: 'b', externalId: b.id },
    ]);
    expect(results).toEqual([
      { internalId: 'a', ok: true, externalId: a.id },
      { internalId: 'b', ok: true, externalId: b.id },
    ]);
    expect(h.sandbox.objects.contacts.get(a.id)).toBeUndefined();
  });

  it('gets records by id (missing ids absent) and finds records by key', async () => {
    const m1 = member('Find');
    const m2 = member('Find');
    const [r1, r2] = await h.connector.upsertBatch(CONTACTS, [
      { internalId: m1.internalId, externalId: null, fields: { email: m1.email, firstname: 'One' } },
      { internalId: m2.internalId, externalId: null, fields: { email: m2.email, firstname: 'Two' } },
    ]);
    const id1 = (r1 as { externalId: string }).externalId;
    const id2 = (r2 as { externalId: string }).externalId;
    const records = await h.connector.getRecords!(CONTACTS, [id1, '987654321']);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: id1,
      fields: { firstname: 'One', email: m1.email, syncbridge_id: m1.internalId },
    });
    const found = await h.connector.findByKeys!(CONTACTS, [m1.internalId, m2.internalId, 'never-created']);
    expect(found).toEqual(
      new Map([
        [m1.internalId, id1],
        [m2.internalId, id2],
      ]),
    );
    await expect(h.connector.findByKeys!({ object: 'contacts' }, ['x'])).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('discovers fields from the property definitions', async () => {
    const fields = await h.connector.discoverFields!(CONTACTS);
    const byName = new Map(fields.map((field) => [field.name, field]));
    expect(byName.get('email')).toEqual({ name: 'email', type: 'string' });
    expect(byName.get('britepool_equity_units')).toEqual({ name: 'britepool_equity_units', type: 'number' });
    expect(byName.get('lastmodifieddate')).toEqual({ name: 'lastmodifieddate', type: 'datetime' });
    expect(byName.get('lifecyclestage')).toMatchObject({
      type: 'enum',
      options: expect.arrayContaining(['lead', 'customer']),
    });
  });

  it('gives up on a hung request after timeoutMs as a retryable error', async () => {
    const quick = h.connect({ timeoutMs: 150 });
    h.sandbox.faults.failNext(1, 'timeout');
    const error = await quick.getRecords!(CONTACTS, ['1']).catch((e: unknown) => e);
    expect(quick.classifyError(error)).toMatchObject({ kind: 'retryable' });
    h.sandbox.faults.releaseHanging();
  });
});
