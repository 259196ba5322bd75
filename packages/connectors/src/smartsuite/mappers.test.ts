import { describe, expect, it } from 'vitest';
import { ZSmartSuiteApplication, ZSmartSuiteRecord } from './api-types.ts';
import { blamedRecordIndexes, describeSmartSuiteError } from './errors.ts';
import { loadFixture, loadFixtureBytes } from './fixtures/load.ts';
import { isDeleted, toExternalRecord, toFieldDescriptors, toSmartSuiteRecord } from './mappers.ts';
import { parseSmartSuiteWebhook } from './webhooks.ts';

describe('SmartSuite mappers', () => {
  it('keeps the whole record as fields and last_updated.on as updatedAt', () => {
    const record = ZSmartSuiteRecord.parse(loadFixture('record.json'));
    const external = toExternalRecord(record);
    expect(external.id).toBe('64a1c2e3f4b5a6978899aabb');
    expect(external.updatedAt).toBe('2024-03-04T16:40:11.532000Z');
    expect(external.fields).toMatchObject({ title: 'Oak desk', price: 420.5, status: 'status_1' });
    expect(isDeleted(record)).toBe(false);
    expect(isDeleted({ ...record, deleted_date: { date: '2024-03-05T00:00:00Z', include_time: true } })).toBe(true);
  });

  it('writes mapped fields plus our key, never system fields', () => {
    const body = toSmartSuiteRecord(
      {
        internalId: 'local-1',
        externalId: null,
        fields: { title: 'Desk', id: 'x', last_updated: { on: 'y' }, price: 3 },
      },
      'syncbridge_id',
    );
    expect(body).toEqual({ title: 'Desk', price: 3, syncbridge_id: 'local-1' });
  });

  it('describes the structure by slug, with choices and types', () => {
    const app = ZSmartSuiteApplication.parse(loadFixture('application.json'));
    expect(toFieldDescriptors(app.structure)).toEqual([
      { name: 'title', type: 'string', required: true },
      { name: 'description', type: 'string', required: false },
      { name: 'price', type: 'number', required: false },
      { name: 'status', type: 'enum', required: false, options: ['Draft', 'Live'] },
      { name: 'in_stock', type: 'boolean', required: false },
      { name: 'first_created', type: 'json', required: false },
      { name: 'last_updated', type: 'json', required: false },
      { name: 'a1b2c3d4e5', type: 'unknown', required: false },
    ]);
  });

  it('reads per-record blame from a bulk 422 and a throttled detail', () => {
    const body = loadFixture('error-422-bulk.json');
    expect([...blamedRecordIndexes(body)]).toEqual([
      [1, 'title: This field is required.'],
      [3, 'price: A valid number is required.'],
    ]);
    expect(describeSmartSuiteError(body)).toBe(
      'items[1]: title: This field is required.; items[3]: price: A valid number is required.',
    );
    expect(describeSmartSuiteError(loadFixture('error-429.json'))).toMatch(/throttled/);
    expect(describeSmartSuiteError({ title: ['This field is required.'] })).toBe('title: This field is required.');
  });

  it('parses a webhook event as a skinny change, ignoring the stale copy it carries', () => {
    const changes = parseSmartSuiteWebhook({
      method: 'POST',
      url: '/hook',
      headers: {},
      rawBody: loadFixtureBytes('webhook-record-updated.json'),
    });
    expect(changes).toEqual([
      {
        externalId: '64a1c2e3f4b5a6978899aabb',
        action: 'updated',
        object: '6451093119bcf22befaed847',
        occurredAt: '2024-03-04T16:40:11.532000Z',
      },
    ]);
  });
});
