import { describe, expect, it } from 'vitest';
import {
  choiceFromPicks,
  customTextOf,
  defaultPick,
  displayValue,
  kindOf,
  parseCustomValue,
  type ConflictField,
} from './values.ts';

const field = (overrides: Partial<ConflictField> & { field: string }): ConflictField => ({
  local: null,
  external: null,
  differs: true,
  conflicted: false,
  ...overrides,
});

describe('displayValue', () => {
  it('shows every kind of value as plain text, and says when it is empty', () => {
    expect(displayValue('<img src=x onerror=alert(1)>')).toEqual({
      text: '<img src=x onerror=alert(1)>',
      empty: false,
    });
    expect(displayValue(42)).toEqual({ text: '42', empty: false });
    expect(displayValue(false)).toEqual({ text: 'false', empty: false });
    expect(displayValue({ a: [1, 'b'] })).toEqual({ text: '{"a":[1,"b"]}', empty: false });
    expect(displayValue(null)).toEqual({ text: 'empty', empty: true });
    expect(displayValue('')).toEqual({ text: 'empty', empty: true });
  });
});

describe('custom values', () => {
  it('reads a typed value back in the kind the field holds', () => {
    expect(kindOf(field({ field: 'n', local: null, external: 3 }))).toBe('number');
    expect(kindOf(field({ field: 's', local: 'a', external: 3 }))).toBe('string');
    expect(kindOf(field({ field: 'x', local: null, external: null }))).toBe('string');
    expect(parseCustomValue(' 12.5 ', 'number')).toEqual({ ok: true, value: 12.5 });
    expect(parseCustomValue('twelve', 'number')).toEqual({ ok: false, message: 'Enter a number.' });
    expect(parseCustomValue('true', 'boolean')).toEqual({ ok: true, value: true });
    expect(parseCustomValue('yes', 'boolean')).toEqual({ ok: false, message: 'Enter true or false.' });
    expect(parseCustomValue('{"a":1}', 'json')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseCustomValue('{a', 'json')).toEqual({ ok: false, message: 'Enter valid JSON.' });
    expect(parseCustomValue('', 'number')).toEqual({ ok: true, value: null });
    // Text stays exactly as typed, spaces and markup included.
    expect(parseCustomValue(' <b>x</b> ', 'string')).toEqual({ ok: true, value: ' <b>x</b> ' });
    expect(customTextOf({ a: 1 })).toBe('{"a":1}');
    expect(customTextOf(null)).toBe('');
  });
});

describe('defaultPick', () => {
  it('starts with the side that changed alone, and leaves real conflicts to the person', () => {
    expect(defaultPick(field({ field: 'status', local: 'doing', external: 'todo', base: 'todo' }))).toBe('local');
    expect(defaultPick(field({ field: 'due', local: 'a', external: 'b', base: 'a' }))).toBe('external');
    expect(defaultPick(field({ field: 'title', local: 'L', external: 'E', base: 'B', conflicted: true }))).toBeNull();
    expect(defaultPick(field({ field: 'title', local: 'L', external: 'E' }))).toBeNull();
    expect(defaultPick(field({ field: 'same', local: 'x', external: 'x', base: 'x', differs: false }))).toBeNull();
  });
});

describe('choiceFromPicks', () => {
  const fields = [
    field({ field: 'title', local: 'L', external: 'E', conflicted: true }),
    field({ field: 'points', local: 3, external: 5 }),
    field({ field: 'notes', local: 'n', external: 'n', differs: false }),
  ];

  it('asks for a pick on every differing field', () => {
    expect(choiceFromPicks(fields, { title: 'local' }, {})).toEqual({ ok: false, missing: ['points'], invalid: {} });
  });

  it('sends a side per differing field when no value was typed', () => {
    expect(choiceFromPicks(fields, { title: 'external', points: 'local' }, {})).toEqual({
      ok: true,
      choice: { choice: 'fields', fields: { title: 'external', points: 'local' } },
    });
  });

  it('sends every differing field’s value once one was typed, and flags values that do not parse', () => {
    expect(choiceFromPicks(fields, { title: 'custom', points: 'external' }, { title: 'Mine' })).toEqual({
      ok: true,
      choice: { choice: 'custom', values: { title: 'Mine', points: 5 } },
    });
    expect(choiceFromPicks(fields, { title: 'local', points: 'custom' }, { points: 'many' })).toEqual({
      ok: false,
      missing: [],
      invalid: { points: 'Enter a number.' },
    });
  });
});
