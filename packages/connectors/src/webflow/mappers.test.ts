import { describe, expect, it } from 'vitest';
import { ZWebflowCollection, ZWebflowItemList } from './api-types.ts';
import { loadFixture } from './fixtures/load.ts';
import { toExternalRecord, toFieldDescriptors, toWebflowSlug, webflowFieldDataForCreate } from './mappers.ts';

describe('Webflow mappers', () => {
  it('items → records: fieldData as fields, lastUpdated as updatedAt', () => {
    const list = ZWebflowItemList.parse(loadFixture('list-items.json'));
    expect(list.items.map(toExternalRecord)).toEqual([
      {
        id: '62b720ef280c7a7a3be8cabe',
        fields: {
          name: 'Pan Galactic Gargle Blaster Recipe',
          slug: 'pan-galactic-gargle-blaster',
          'syncbridge-id': 'local-42',
          price: 42,
          featured: true,
          'main-image': { fileId: '62b720ef280c7a7a3be8cabe', url: '/files/62b720ef280c7a7a3be8cabe_image.png' },
        },
        updatedAt: '2023-03-17T18:47:35.560Z',
      },
      {
        id: '62b720ef280c7a7a3be8cabf',
        fields: { name: 'Babel Fish', slug: 'babel-fish' },
        updatedAt: '2023-03-18T09:12:01.002Z',
      },
    ]);
  });

  it('collection fields → descriptors by slug', () => {
    const collection = ZWebflowCollection.parse(loadFixture('collection.json'));
    expect(toFieldDescriptors(collection.fields)).toEqual([
      { name: 'name', type: 'string', required: true },
      { name: 'slug', type: 'string', required: true },
      { name: 'syncbridge-id', type: 'string', required: false },
      { name: 'post-body', type: 'string', required: false },
      { name: 'price', type: 'number', required: false },
      { name: 'featured', type: 'boolean', required: false },
      { name: 'published-on', type: 'datetime', required: false },
      { name: 'category', type: 'enum', required: false, options: ['News', 'Guides'] },
      { name: 'main-image', type: 'json', required: false },
      { name: 'authors', type: 'array', required: false },
    ]);
  });

  it('creates carry the key and a slug derived from the name unless given', () => {
    expect(
      webflowFieldDataForCreate(
        { internalId: 'u1', externalId: null, fields: { name: 'Crème Brûlée & Co.' } },
        'syncbridge-id',
      ),
    ).toEqual({
      name: 'Crème Brûlée & Co.',
      slug: 'creme-brulee-co',
      'syncbridge-id': 'u1',
    });
    expect(
      webflowFieldDataForCreate({ internalId: 'u2', externalId: null, fields: { name: 'X', slug: 'mine' } }),
    ).toEqual({
      name: 'X',
      slug: 'mine',
    });
    expect(toWebflowSlug('  Hello,   World!! ')).toBe('hello-world');
  });
});
