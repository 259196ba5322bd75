import { describe, expect, it } from 'vitest';
import { HubSpotApiError } from './errors.ts';
import { DEFAULT_CONTACT_PROPERTIES } from './properties.ts';
import { searchObjects } from './search.ts';
import { HubSpotObjectStore } from './store.ts';

const frozen = () => 1_700_000_000_000;
const store = () =>
  new HubSpotObjectStore({
    objectType: 'contacts',
    clock: frozen,
    properties: [...DEFAULT_CONTACT_PROPERTIES, { name: 'units', type: 'number' }],
  });

describe('HubSpot object store', () => {
  it('stamps strictly increasing update times even on a frozen clock, and keeps values as strings', () => {
    const contacts = store();
    const a = contacts.create({ email: 'A@Example.com', units: 3 });
    const b = contacts.create({ email: 'b@example.com' });
    expect(b.updatedAt).toBeGreaterThan(a.updatedAt);
    expect(a.properties).toMatchObject({ email: 'a@example.com', units: '3', hs_object_id: a.id });
    const before = a.updatedAt;
    contacts.update(a.id, { firstname: 'Ada' });
    expect(a.updatedAt).toBeGreaterThan(b.updatedAt);
    expect(a.properties.lastmodifieddate).toBe(new Date(a.updatedAt).toISOString());
    expect(before).toBeLessThan(a.updatedAt);
  });

  it('creates all or nothing: invalid values (400) and existing emails (409) write nothing', () => {
    const contacts = store();
    contacts.create({ email: 'taken@example.com' });
    const attempt = (inputs: Record<string, unknown>[]) => {
      try {
        contacts.createMany(inputs.map((properties) => ({ properties })));
      } catch (error) {
        return error as HubSpotApiError;
      }
      throw new Error('expected a failure');
    };
    expect(attempt([{ email: 'ok@example.com' }, { units: 'many' }])).toMatchObject({
      status: 400,
      category: 'VALIDATION_ERROR',
    });
    expect(attempt([{ email: 'ok@example.com' }, { email: 'TAKEN@example.com' }])).toMatchObject({
      status: 409,
      category: 'CONFLICT',
    });
    expect(attempt([{ createdate: '2020-01-01' }])).toMatchObject({ status: 400 });
    expect(contacts.live()).toHaveLength(1);
  });

  it('updates what exists and reports missing ids; archived objects leave the live set', () => {
    const contacts = store();
    const a = contacts.create({ email: 'a@example.com' });
    const b = contacts.create({ email: 'b@example.com' });
    contacts.archive(b.id);
    const { updated, missing } = contacts.updateMany([
      { id: a.id, properties: { firstname: 'A' } },
      { id: b.id, properties: { firstname: 'B' } },
    ]);
    expect(updated.map((object) => object.id)).toEqual([a.id]);
    expect(missing).toEqual([b.id]);
    expect(contacts.live().map((object) => object.id)).toEqual([a.id]);
  });

  it('searches with GT on datetimes (ms or ISO), IN on strings, sorts, and pages by offset', () => {
    const contacts = store();
    const made = Array.from({ length: 4 }, (_, i) => contacts.create({ email: `p${i}@example.com` }));
    const definitions = new Map(contacts.properties.map((definition) => [definition.name, definition]));
    const gt = searchObjects(
      contacts.live(),
      {
        filterGroups: [
          {
            filters: [
              { propertyName: 'lastmodifieddate', operator: 'GT', value: new Date(made[1]!.updatedAt).toISOString() },
            ],
          },
        ],
        sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }],
        limit: 1,
      },
      definitions,
    );
    expect(gt).toMatchObject({ total: 2, nextAfter: '1' });
    expect(gt.results.map((object) => object.id)).toEqual([made[3]!.id]);
    const within = searchObjects(
      contacts.live(),
      {
        filterGroups: [
          { filters: [{ propertyName: 'email', operator: 'IN', values: ['P0@example.com', 'p2@example.com'] }] },
        ],
        limit: 10,
      },
      definitions,
    );
    expect(within.results.map((object) => object.id)).toEqual([made[0]!.id, made[2]!.id]);
    expect(() =>
      searchObjects(
        contacts.live(),
        { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 'x' }] }] },
        definitions,
      ),
    ).toThrow(HubSpotApiError);
    expect(() => searchObjects(contacts.live(), { limit: 201 }, definitions)).toThrow(HubSpotApiError);
  });
});
