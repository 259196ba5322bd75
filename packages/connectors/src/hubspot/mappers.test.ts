import { describe, expect, it } from 'vitest';
import type { HubSpotBatchResponse, HubSpotObject, HubSpotProperty } from './client.ts';
import { decodeHubSpotCursor, encodeHubSpotCursor } from './cursor.ts';
import { classifyHubSpotError, existingIdOf, fromBatchError } from './errors.ts';
import { loadFixture } from './fixtures/load.ts';
import { isReadOnly, toExternalRecord, toFieldDescriptors, toHubSpotProperties, updatedAtMs } from './mappers.ts';

describe('HubSpot mappers', () => {
  it('turns a CRM object into a record with its properties as fields', () => {
    const contact = loadFixture('contact.json') as HubSpotObject;
    expect(toExternalRecord(contact)).toEqual({
      id: '512',
      fields: { ...contact.properties },
      updatedAt: '2019-12-07T16:50:06.678Z',
    });
    expect(updatedAtMs({ ...contact, updatedAt: new Date('2019-12-07T16:50:06.678Z') })).toBe(
      Date.parse('2019-12-07T16:50:06.678Z'),
    );
  });

  it('writes every value as HubSpot’s string form, clearing with ""', () => {
    expect(toHubSpotProperties({ a: 'x', b: 12.5, c: true, d: null, e: ['A', 'B'], f: { k: 1 } })).toEqual({
      a: 'x',
      b: '12.5',
      c: 'true',
      d: '',
      e: 'A;B',
      f: '{"k":1}',
    });
  });

  it('describes visible properties for mapping suggestions', () => {
    const { results } = loadFixture('properties.json') as { results: HubSpotProperty[] };
    expect(toFieldDescriptors(results)).toEqual([
      { name: 'email', type: 'string' },
      { name: 'hs_lead_status', type: 'enum', options: ['NEW'] },
      { name: 'hs_buying_role', type: 'array', options: ['CHAMPION'] },
      { name: 'britepool_equity_units', type: 'number' },
      { name: 'lastmodifieddate', type: 'datetime' },
      { name: 'hs_avatar_filemanager_key', type: 'string' },
    ]);
    expect(results.filter(isReadOnly).map((property) => property.name)).toEqual(['lastmodifieddate']);
  });

  it('classifies 207 entries, 409 bodies and 429s', () => {
    const response = loadFixture('batch-update-207.json') as HubSpotBatchResponse;
    expect(fromBatchError(response.errors![0]!)).toMatchObject({ kind: 'invalid', code: 'OBJECT_NOT_FOUND' });
    const conflict = { code: 409, body: loadFixture('error-409-contact-exists.json'), headers: {} };
    expect(existingIdOf(conflict)).toBe('2926551');
    expect(classifyHubSpotError(conflict)).toMatchObject({ kind: 'invalid', status: 409, code: 'CONFLICT' });
    const limited = {
      code: 429,
      body: loadFixture('error-429.json'),
      headers: { 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
    };
    expect(classifyHubSpotError(limited)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 10_000 });
    expect(classifyHubSpotError({ ...limited, headers: { 'retry-after': '3' } })).toMatchObject({
      retryAfterMs: 3_000,
    });
    expect(classifyHubSpotError({ code: 401, body: {}, headers: {} })).toMatchObject({ kind: 'auth' });
    expect(classifyHubSpotError({ code: 504, body: 'Gateway Timeout', headers: {} })).toMatchObject({
      kind: 'retryable',
    });
  });

  it('round-trips cursors and rejects foreign ones', () => {
    for (const cursor of [
      { v: 1, mode: 'full', after: '1234', started: 1 },
      { v: 1, mode: 'changes', since: 5 },
      { v: 1, mode: 'changes', since: 5, after: '100' },
    ] as const) {
      expect(decodeHubSpotCursor(encodeHubSpotCursor(cursor))).toEqual(cursor);
    }
    expect(() => decodeHubSpotCursor('2024-01-01T00:00:00Z')).toThrow(/not a HubSpot cursor/);
  });
});
