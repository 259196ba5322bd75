// Field values of a conflict as the review page shows and edits them. Values come from external
// systems: they are only ever turned into text (React escapes it), never into markup.
import type { RouterInputs, RouterOutputs } from '../../trpc.ts';

export type ConflictDetail = RouterOutputs['conflicts']['get'];
export type ConflictField = ConflictDetail['fields'][number];
export type ConflictChoiceInput = RouterInputs['conflicts']['resolve']['choice'];

/** What a person picked for one differing field. */
export type FieldPick = 'local' | 'external' | 'custom';

/** A value as one line of text; `empty` for null, undefined and the empty string. */
export function displayValue(value: unknown): { text: string; empty: boolean } {
  if (value === null || value === undefined || value === '') return { text: 'empty', empty: true };
  if (typeof value === 'string') return { text: value, empty: false };
  if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value), empty: false };
  return { text: JSON.stringify(value), empty: false };
}

type Kind = 'string' | 'number' | 'boolean' | 'json';

/** The kind of value a field holds, from its two versions (null says nothing). */
export function kindOf(field: Pick<ConflictField, 'local' | 'external'>): Kind {
  for (const value of [field.local, field.external]) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'string') return 'string';
    if (typeof value === 'number') return 'number';
    if (typeof value === 'boolean') return 'boolean';
    return 'json';
  }
  return 'string';
}

/** The text a custom-value box starts with: the local value, written the way it is parsed back. */
export function customTextOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A custom value typed for a field, read back in the field's kind; an empty box is null (except for text). */
export function parseCustomValue(
  text: string,
  kind: Kind,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (kind === 'string') return { ok: true, value: text };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  if (kind === 'number') {
    const number = Number(trimmed);
    return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, message: 'Enter a number.' };
  }
  if (kind === 'boolean') {
    if (trimmed === 'true' || trimmed === 'false') return { ok: true, value: trimmed === 'true' };
    return { ok: false, message: 'Enter true or false.' };
  }
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch {
    return { ok: false, message: 'Enter valid JSON.' };
  }
}

/**
 * The side to start with for a differing field: the side that changed when only one did (the base
 * tells); none for a field both sides changed, or when no base was stored — the person decides.
 */
export function defaultPick(field: ConflictField): FieldPick | null {
  if (!field.differs || field.conflicted || !('base' in field)) return null;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(field.local, field.base) && same(field.external, field.base)) return 'local';
  if (same(field.local, field.base) && !same(field.external, field.base)) return 'external';
  return null;
}

export type ChoiceResult =
  { ok: true; choice: ConflictChoiceInput } | { ok: false; missing: string[]; invalid: Record<string, string> };

/**
 * The conflicts.resolve choice for per-field picks: `fields` when every pick is a side, `custom`
 * (with every differing field's value) when any value was typed. Fields that do not differ are the
 * same on both sides and need no pick.
 */
export function choiceFromPicks(
  fields: ConflictField[],
  picks: Record<string, FieldPick | undefined>,
  customTexts: Record<string, string | undefined>,
): ChoiceResult {
  const differing = fields.filter((field) => field.differs);
  const missing = differing.filter((field) => !picks[field.field]).map((field) => field.field);
  const invalid: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const field of differing) {
    const pick = picks[field.field];
    if (pick === 'custom') {
      const parsed = parseCustomValue(customTexts[field.field] ?? '', kindOf(field));
      if (parsed.ok) values[field.field] = parsed.value;
      else invalid[field.field] = parsed.message;
    } else if (pick) {
      values[field.field] = pick === 'local' ? field.local : field.external;
    }
  }
  if (missing.length || Object.keys(invalid).length) return { ok: false, missing, invalid };
  if (differing.some((field) => picks[field.field] === 'custom')) {
    return { ok: true, choice: { choice: 'custom', values } };
  }
  const sides: Record<string, 'local' | 'external'> = {};
  for (const field of differing) sides[field.field] = picks[field.field] === 'local' ? 'local' : 'external';
  return { ok: true, choice: { choice: 'fields', fields: sides } };
}

export const choiceLabels: Record<string, string> = {
  local: 'Kept local',
  external: 'Kept external',
  fields: 'Chosen per field',
  custom: 'Edited values',
};
