import { describe, expect, it } from 'vitest';
import { allHold, conditionHolds, parseSyncConditions } from './conditions.ts';

const now = new Date('2026-06-15T12:00:00Z');

describe('sync conditions', () => {
  it('evaluates relative dates', () => {
    const recent = { interaction_date: new Date('2026-05-20T00:00:00Z') };
    const old = { interaction_date: new Date('2026-05-01T00:00:00Z') };
    const rule = { field: 'interaction_date', op: 'gte' as const, value: 'now-30d' };
    expect(conditionHolds(recent, rule, now)).toBe(true);
    expect(conditionHolds(old, rule, now)).toBe(false);
    expect(conditionHolds({ interaction_date: null }, rule, now)).toBe(false);
  });

  it('supports equality, membership, null and emptiness checks', () => {
    const row = { archived: false, subject: '  ', role: 'staff', note: null };
    expect(conditionHolds(row, { field: 'archived', op: 'eq', value: false }, now)).toBe(true);
    expect(conditionHolds(row, { field: 'subject', op: 'notEmpty' }, now)).toBe(false);
    expect(conditionHolds(row, { field: 'role', op: 'in', value: ['staff', 'admin'] }, now)).toBe(true);
    expect(conditionHolds(row, { field: 'role', op: 'notIn', value: ['staff'] }, now)).toBe(false);
    expect(conditionHolds(row, { field: 'note', op: 'isNull' }, now)).toBe(true);
    expect(
      allHold(
        row,
        [
          { field: 'archived', op: 'eq', value: false },
          { field: 'note', op: 'notNull' },
        ],
        now,
      ),
    ).toBe(false);
  });

  it('rejects a condition on something that is not a column name', () => {
    expect(() => parseSyncConditions({ all: [{ field: 'x; drop table y', op: 'eq', value: 1 }] })).toThrow(
      /column name/,
    );
  });
});
