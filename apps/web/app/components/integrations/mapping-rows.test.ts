import { describe, expect, it } from 'vitest';
import { checkRow, emptyRow, mappingFromRow, rowFromMapping, rowsFromMappings } from './mapping-rows.ts';

describe('mapping editor rows', () => {
  it('round-trips what it edits and keeps what it does not', () => {
    const saved = [
      { local: 'created_at', external: 'Registration Date', transform: { type: 'date', format: 'date' } },
      { external: 'Last Synced', transform: { type: 'function', name: 'now', options: {} }, volatile: true },
      { local: 'status', external: 'Status', transform: { type: 'enum', map: { a: 'A' } }, direction: 'push' },
      {
        local: ['first', 'last'],
        external: 'Name',
        transform: { type: 'function', name: 'join', options: { separator: '-' } },
      },
      { local: 'title', external: 'Title', required: true, reverseTransform: { type: 'string' }, default: 'x' },
      { external: 'Sync Status', transform: { type: 'constant', value: 'synced' } },
      { external: 'Count', transform: { type: 'constant', value: 3 } },
    ];
    const rows = rowsFromMappings(saved, 'transform');
    expect(rows.map((row) => row.kind)).toEqual(['date', 'function', 'other', 'function', '', 'constant', 'constant']);
    expect(rows[3]?.local).toBe('first, last');
    expect(rows.map((row) => mappingFromRow(row, 'transform'))).toEqual(saved);
  });

  it('edits the reverse transform for pull resources and builds JSONata and constants from the inputs', () => {
    const row = rowFromMapping(
      { local: 'email', external: 'Email', reverseTransform: { type: 'string' } },
      'reverseTransform',
    );
    expect(row.kind).toBe('string');
    const edited = { ...row, kind: 'jsonata' as const, expression: '$lowercase($value)' };
    expect(mappingFromRow(edited, 'reverseTransform')).toEqual({
      local: 'email',
      external: 'Email',
      reverseTransform: { type: 'jsonata', expression: '$lowercase($value)' },
    });
    expect(
      mappingFromRow({ ...emptyRow(), external: 'Flag', kind: 'constant', constant: 'true' }, 'transform'),
    ).toEqual({
      external: 'Flag',
      transform: { type: 'constant', value: true },
    });
  });

  it('asks for what a row lacks before saving', () => {
    expect(checkRow({ ...emptyRow(), local: 'a' })).toMatch(/field in the tool/);
    expect(checkRow({ ...emptyRow(), external: 'A' })).toMatch(/column/);
    expect(checkRow({ ...emptyRow(), external: 'A', kind: 'jsonata' })).toMatch(/expression/);
    expect(checkRow({ ...emptyRow(), external: 'A', kind: 'constant', constant: 'x' })).toBeNull();
  });
});
