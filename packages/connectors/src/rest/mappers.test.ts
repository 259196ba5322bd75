import { describe, expect, it } from 'vitest';
import { ZApiRecord, ZBatchResponse, ZFieldsResponse, ZListResponse, ZWebhookEvent } from './api-types.ts';
import { loadFixture } from './fixtures/load.ts';
import {
  toDeleteResult,
  toExternalRecord,
  toFieldDescriptors,
  toRestRecordInput,
  toUpsertOutcome,
  toWebhookChange,
} from './mappers.ts';

const record = ZApiRecord.parse(loadFixture('record.json'));

describe('toExternalRecord', () => {
  it('keeps id, fields and updated_at', () => {
    expect(toExternalRecord(record)).toEqual({
      id: 'rec_00000a',
      fields: record.fields,
      updatedAt: '2025-12-18T14:35:00.000001Z',
    });
  });

  it('exposes the key under the resource key field', () => {
    expect(toExternalRecord(record, 'internal_id').fields.internal_id).toBe('task-42');
    const list = ZListResponse.parse(loadFixture('list-page.json'));
    expect(toExternalRecord(list.records[0]!, 'internal_id').fields).not.toHaveProperty('internal_id');
  });
});

describe('toRestRecordInput', () => {
  const fields = { title: 'T', internal_id: 'ignored' };
  it('creates carry the internal id as key when the resource has a key field', () => {
    expect(
      toRestRecordInput({ internalId: 'i1', externalId: null, fields }, { object: 'tasks', keyField: 'internal_id' }),
    ).toEqual({
      key: 'i1',
      fields: { title: 'T' },
    });
  });
  it('creates without a key field send fields only', () => {
    expect(
      toRestRecordInput({ internalId: 'i1', externalId: null, fields: { title: 'T' } }, { object: 'tasks' }),
    ).toEqual({
      fields: { title: 'T' },
    });
  });
  it('updates carry the external id and no key', () => {
    expect(
      toRestRecordInput(
        { internalId: 'i1', externalId: 'rec_1', fields },
        { object: 'tasks', keyField: 'internal_id' },
      ),
    ).toEqual({
      id: 'rec_1',
      fields: { title: 'T' },
    });
  });
});

describe('batch results', () => {
  const { results } = ZBatchResponse.parse(loadFixture('batch-response.json'));
  const item = (internalId: string) => ({ internalId, externalId: null, fields: {} });

  it('maps success, validation failure and duplicate key', () => {
    expect(toUpsertOutcome(item('a'), results[0]!)).toEqual({
      type: 'done',
      result: { internalId: 'a', ok: true, externalId: 'rec_000010', updatedAt: '2025-12-18T15:10:00.000000Z' },
    });
    expect(toUpsertOutcome(item('b'), results[1]!)).toMatchObject({
      type: 'done',
      result: { internalId: 'b', ok: false, error: { kind: 'invalid', code: 'validation_failed' } },
    });
    expect(toUpsertOutcome(item('c'), results[2]!)).toEqual({ type: 'duplicate', existingId: 'rec_000009' });
    expect(toUpsertOutcome(item('d'), results[3]!)).toMatchObject({
      result: { ok: false, error: { kind: 'invalid', code: 'not_found' } },
    });
  });

  it('treats deleting a missing record as done', () => {
    expect(toDeleteResult('d', 'rec_999999', results[3]!)).toEqual({
      internalId: 'd',
      ok: true,
      externalId: 'rec_999999',
    });
    expect(toDeleteResult('b', 'x', results[1]!)).toMatchObject({ ok: false, error: { kind: 'invalid' } });
  });
});

describe('toFieldDescriptors', () => {
  it('maps types and nullability', () => {
    const fields = toFieldDescriptors(ZFieldsResponse.parse(loadFixture('fields.json')).fields);
    expect(fields.map((field) => [field.name, field.type, field.required])).toEqual([
      ['assignee', 'json', false],
      ['done', 'boolean', true],
      ['due_on', 'date', false],
      ['estimate_hours', 'number', true],
      ['started_at', 'datetime', false],
      ['tags', 'array', true],
      ['title', 'string', true],
      ['mixed', 'unknown', false],
    ]);
  });
});

describe('toWebhookChange', () => {
  it('carries the record on updates', () => {
    const change = toWebhookChange(ZWebhookEvent.parse(loadFixture('webhook-record-updated.json')));
    expect(change).toEqual({
      object: 'tasks',
      externalId: 'rec_00000a',
      action: 'updated',
      occurredAt: '2025-12-18T14:35:00.000001Z',
      record: {
        id: 'rec_00000a',
        fields: { title: 'Complete documentation', status: 'completed' },
        updatedAt: '2025-12-18T14:35:00.000001Z',
      },
    });
  });
  it('omits the record on deletes', () => {
    const change = toWebhookChange(ZWebhookEvent.parse(loadFixture('webhook-record-deleted.json')));
    expect(change).toMatchObject({ action: 'deleted', externalId: 'rec_00000a' });
    expect(change.record).toBeUndefined();
  });
});
