// HubSpot tasks (CRM v3 objects/tasks) through the HubSpot connector against the sandbox: task
// system properties (hs_createdate, hs_lastmodifieddate), hs_timestamp required on create,
// incremental reads by hs_lastmodifieddate and discovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpot, type HubSpotHarness } from '../src/hubspot/testing.ts';
import { collect } from './helpers.ts';

let h: HubSpotHarness;
const TASKS = { object: 'tasks', keyField: 'syncbridge_id' };

beforeAll(async () => {
  h = await startHubSpot({ taskProperties: [{ name: 'syncbridge_id', label: 'Syncbridge ID', hasUniqueValue: true }] });
});
afterAll(() => h.close());

describe('HubSpot tasks', () => {
  it('creates tasks (hs_timestamp required, the one without it fails alone) with task system properties', async () => {
    const results = await h.connector.upsertBatch(TASKS, [
      {
        internalId: 't-1',
        externalId: null,
        fields: { hs_task_subject: 'Call', hs_timestamp: '2026-04-01T09:30:00Z', hs_task_status: 'NOT_STARTED' },
      },
      { internalId: 't-2', externalId: null, fields: { hs_task_subject: 'No due time' } },
    ]);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'invalid', status: 400, code: 'VALIDATION_ERROR' } });
    expect(results[1]!.ok === false && results[1]!.error.message).toContain('hs_timestamp is required');
    const stored = h.sandbox.objects.tasks.get((results[0] as { externalId: string }).externalId)!;
    expect(stored.properties).toMatchObject({
      syncbridge_id: 't-1',
      hs_timestamp: '2026-04-01T09:30:00.000Z',
      hs_lastmodifieddate: new Date(stored.updatedAt).toISOString(),
      hs_createdate: new Date(stored.createdAt).toISOString(),
    });
    expect(stored.properties.lastmodifieddate).toBeUndefined();
    // Task and contact ids do not mix.
    expect(h.sandbox.objects.contacts.get(stored.id)).toBeUndefined();
    expect(await h.connector.findByKeys!(TASKS, ['t-1', 't-2'])).toEqual(new Map([['t-1', stored.id]]));
  });

  it('reads tasks in full, then incrementally by hs_lastmodifieddate', async () => {
    const ref = { ...TASKS, options: { properties: ['hs_task_subject'] } };
    const full = await collect(h.connector.listChanges(ref, null));
    expect(full.flatMap((page) => page.records.map((record) => record.fields.hs_task_subject))).toEqual(['Call']);
    const searches = h.sandbox.counters.count('POST /crm/v3/objects/:objectType/search');
    const made = h.sandbox.objects.tasks.create({ hs_task_subject: 'Later', hs_timestamp: Date.now() });
    const changes = await collect(h.connector.listChanges(ref, full.at(-1)!.nextCursor));
    expect(h.sandbox.counters.count('POST /crm/v3/objects/:objectType/search')).toBe(searches + 1);
    expect(changes.flatMap((page) => page.records.map((record) => record.id))).toContain(made.id);
  });

  it('discovers the task properties', async () => {
    const fields = await h.connector.discoverFields!(TASKS);
    expect(fields).toEqual(
      expect.arrayContaining([
        {
          name: 'hs_task_status',
          type: 'enum',
          options: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
        },
        { name: 'hs_task_priority', type: 'enum', options: ['NONE', 'LOW', 'MEDIUM', 'HIGH'] },
        { name: 'hs_timestamp', type: 'datetime' },
      ]),
    );
  });
});
