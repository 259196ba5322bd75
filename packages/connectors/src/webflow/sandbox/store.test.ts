import { describe, expect, it } from 'vitest';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { WebflowApiError } from './errors.ts';
import { WebflowCollectionStore, type ItemChange } from './store.ts';

function store(now = () => 1_700_000_000_000) {
  const cms = new WebflowCollectionStore({ clock: now, rng: seededRng(7), maxItemsPerRequest: () => 3 });
  const id = cms.createCollection({
    displayName: 'Events',
    fields: [{ slug: 'seats', type: 'Number', isRequired: true }],
  }).id;
  return { cms, id };
}

function thrown(run: () => unknown): WebflowApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebflowApiError) return error;
    throw error;
  }
  throw new Error('expected a WebflowApiError');
}

describe('WebflowCollectionStore', () => {
  it('gives strictly increasing lastUpdated values even on a frozen clock', () => {
    const { cms, id } = store();
    const [a, b] = cms.createItems(
      id,
      [{ fieldData: { name: 'A', slug: 'a', seats: 1 } }, { fieldData: { name: 'B', slug: 'b', seats: 2 } }],
      true,
    );
    expect(Date.parse(b!.lastUpdated)).toBeGreaterThan(Date.parse(a!.lastUpdated));
    const [updated] = cms.updateItems(id, [{ id: a!.id, fieldData: { seats: 5 } }]);
    expect(Date.parse(updated!.lastUpdated)).toBeGreaterThan(Date.parse(b!.lastUpdated));
  });

  it('validates required fields, types, unknown fields and slugs; nothing is written on failure', () => {
    const { cms, id } = store();
    const error = thrown(() =>
      cms.createItems(
        id,
        [
          { fieldData: { name: 'A', slug: 'Bad Slug', seats: 1 } },
          { fieldData: { name: 'B', slug: 'b', colour: 'red' } },
        ],
        true,
      ),
    );
    expect(error.toBody().details).toEqual([
      { param: 'items[0].fieldData.slug', description: "Invalid slug: 'Bad Slug'" },
      { param: 'items[1].fieldData.colour', description: "Field not described in schema: 'colour'" },
      { param: 'items[1].fieldData.seats', description: "Field 'seats' is required" },
    ]);
    expect(cms.items(id)).toEqual([]);
    expect(thrown(() => cms.createItems(id, [{}, {}, {}, {}], true)).toBody().details[0]?.param).toBe('items');
  });

  it('checks slug uniqueness within a request and against stored items, but not against the item itself', () => {
    const { cms, id } = store();
    const [a] = cms.createItems(id, [{ fieldData: { name: 'A', slug: 'a', seats: 1 } }], false);
    expect(
      thrown(() =>
        cms.createItems(
          id,
          [{ fieldData: { name: 'X', slug: 'x', seats: 1 } }, { fieldData: { name: 'Y', slug: 'x', seats: 1 } }],
          true,
        ),
      ).status,
    ).toBe(400);
    expect(
      thrown(() => cms.createItems(id, [{ fieldData: { name: 'A2', slug: 'a', seats: 1 } }], false)).toBody().details[0]
        ?.param,
    ).toBe('fieldData.slug');
    expect(cms.updateItems(id, [{ id: a!.id, fieldData: { slug: 'a', seats: 2 } }])[0]?.fieldData.seats).toBe(2);
  });

  it('publishes to the live copy, deletes both, and reports changes', () => {
    const { cms, id } = store();
    const changes: ItemChange['type'][] = [];
    cms.onChange((change) => changes.push(change.type));
    const [a] = cms.createItems(id, [{ fieldData: { name: 'A', slug: 'a', seats: 1 } }], false);
    expect(cms.publishItems(id, [a!.id, 'missing'])).toEqual({
      publishedItemIds: [a!.id],
      errors: ["Item not found: 'missing'"],
    });
    cms.edit(id, a!.id, { seats: 9 });
    expect(cms.liveItem(id, a!.id)?.fieldData.seats).toBe(1);
    expect(thrown(() => cms.deleteItems(id, ['missing'])).status).toBe(404);
    cms.deleteItems(id, [a!.id]);
    expect(cms.liveItems(id)).toEqual([]);
    expect(changes).toEqual(['created', 'published', 'changed', 'deleted']);
  });
});
