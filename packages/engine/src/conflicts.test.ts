import { describe, expect, it } from 'vitest';
import { detectConflict, parseMergeRules, resolveConflict, valuesForChoice, type ThreeWay } from './conflicts.ts';

const fields = ['title', 'notes', 'hours', 'due', 'status'];
const base = { title: 'Plan', notes: 'a', hours: 2, due: '2026-01-10T00:00:00.000Z', status: 'todo' };
const input: ThreeWay = {
  base,
  local: { ...base, title: 'Plan (local)', notes: 'local note', hours: 5, due: '2026-01-12T00:00:00.000Z' },
  external: {
    ...base,
    title: 'Plan (external)',
    notes: 'external note',
    hours: 3,
    due: '2026-01-15T00:00:00.000Z',
    status: 'done',
  },
  localUpdatedAt: new Date('2026-01-02T10:00:00Z'),
  externalUpdatedAt: new Date('2026-01-02T09:00:00Z'),
};

describe('detectConflict', () => {
  it('separates one-sided changes from overlapping ones', () => {
    const d = detectConflict(input, fields);
    expect(d.localChanged).toEqual(['title', 'notes', 'hours', 'due']);
    expect(d.externalChanged).toEqual(['title', 'notes', 'hours', 'due', 'status']);
    expect(d.overlapping).toEqual(['title', 'notes', 'hours', 'due']);
  });

  it('does not call equal edits on both sides a conflict', () => {
    const d = detectConflict({ base, local: { ...base, title: 'X' }, external: { ...base, title: 'X' } }, fields);
    expect(d.overlapping).toEqual([]);
  });
});

describe('resolveConflict', () => {
  const d = detectConflict(input, fields);
  const resolved = (strategy: Parameters<typeof resolveConflict>[0], rules?: unknown) => {
    const r = resolveConflict(strategy, input, d, fields, parseMergeRules(rules));
    if (r.kind !== 'resolved') throw new Error('expected resolved');
    return r.values;
  };

  it('LOCAL_WINS keeps local values and the external-only change', () => {
    expect(resolved('LOCAL_WINS')).toEqual({ ...input.local, status: 'done' });
  });

  it('EXTERNAL_WINS takes external values', () => {
    expect(resolved('EXTERNAL_WINS')).toEqual(input.external);
  });

  it('LATEST_WINS takes the side edited last', () => {
    expect(resolved('LATEST_WINS').title).toBe('Plan (local)');
    const older = resolveConflict(
      'LATEST_WINS',
      { ...input, localUpdatedAt: new Date('2026-01-01T00:00:00Z') },
      d,
      fields,
    );
    expect(older.kind === 'resolved' && older.values.title).toBe('Plan (external)');
  });

  it('MANUAL_REVIEW leaves overlapping conflicts to an admin', () => {
    expect(resolveConflict('MANUAL_REVIEW', input, d, fields).kind).toBe('manual');
  });

  it('CUSTOM_MERGE applies each rule: prefer_local, prefer_external, concatenate, max, min', () => {
    const values = resolved('CUSTOM_MERGE', {
      fields: { title: 'prefer_local', notes: 'concatenate', hours: 'max', due: 'min' },
      default: 'prefer_external',
      separator: ' / ',
    });
    expect(values).toEqual({
      title: 'Plan (local)',
      notes: 'local note / external note',
      hours: 5,
      due: '2026-01-12T00:00:00.000Z',
      status: 'done',
    });
    const inverse = resolved('CUSTOM_MERGE', { fields: { title: 'prefer_external', hours: 'min', due: 'max' } });
    expect(inverse).toMatchObject({
      title: 'Plan (external)',
      hours: 3,
      due: '2026-01-15T00:00:00.000Z',
      notes: 'external note',
    });
  });
});

describe('valuesForChoice', () => {
  it('takes a side, per-field picks or custom values', () => {
    expect(valuesForChoice({ choice: 'local' }, input.local, input.external, ['title'])).toEqual({
      title: 'Plan (local)',
    });
    expect(
      valuesForChoice(
        { choice: 'fields', fields: { title: 'local', hours: 'external' } },
        input.local,
        input.external,
        ['title', 'hours'],
      ),
    ).toEqual({
      title: 'Plan (local)',
      hours: 3,
    });
    expect(
      valuesForChoice({ choice: 'custom', values: { title: 'Agreed' } }, input.local, input.external, [
        'title',
        'hours',
      ]),
    ).toEqual({
      title: 'Agreed',
      hours: 3,
    });
  });
});
