// Three-way conflict detection and the five strategies. Values are compared in one normalised
// shape (the external shape a local row maps to), field by field, against the base both sides
// agreed on at the last sync.
import { z } from 'zod';
import type { FieldValue, Fields } from '@syncbridge/connectors';
import type { ConflictStrategy } from '@syncbridge/db';
import { canonicalJson } from './hash.ts';

export const ZMergeRule = z.enum(['prefer_local', 'prefer_external', 'concatenate', 'max', 'min']);
export type MergeRule = z.infer<typeof ZMergeRule>;

/** CUSTOM_MERGE rules per external field; fields without a rule follow `default`. */
export const ZCustomMergeRules = z.object({
  fields: z.record(z.string(), ZMergeRule).default({}),
  default: ZMergeRule.default('prefer_external'),
  separator: z.string().max(20).default(' | '),
});
export type CustomMergeRules = z.infer<typeof ZCustomMergeRules>;

export function parseMergeRules(input: unknown): CustomMergeRules {
  return ZCustomMergeRules.parse(input ?? {});
}

export interface ThreeWay {
  local: Fields;
  external: Fields;
  /** Null when the record was never synced (both sides created it independently). */
  base: Fields | null;
  localUpdatedAt?: Date | null;
  externalUpdatedAt?: Date | null;
}

export interface Detection {
  localChanged: string[];
  externalChanged: string[];
  /** Changed on both sides to different values: a conflict. */
  overlapping: string[];
}

const same = (a: FieldValue | undefined, b: FieldValue | undefined) =>
  canonicalJson(a ?? null) === canonicalJson(b ?? null);

export function detectConflict(input: ThreeWay, fields: string[]): Detection {
  const localChanged: string[] = [];
  const externalChanged: string[] = [];
  const overlapping: string[] = [];
  for (const field of fields) {
    const base = input.base?.[field];
    const l = input.local[field];
    const e = input.external[field];
    const lc = input.base === null ? !same(l, e) : !same(l, base);
    const ec = input.base === null ? !same(l, e) : !same(e, base);
    if (lc) localChanged.push(field);
    if (ec) externalChanged.push(field);
    if (lc && ec && !same(l, e)) overlapping.push(field);
  }
  return { localChanged, externalChanged, overlapping };
}

function mergeValue(
  rule: MergeRule,
  local: FieldValue | undefined,
  external: FieldValue | undefined,
  separator: string,
): FieldValue {
  const l = local ?? null;
  const e = external ?? null;
  switch (rule) {
    case 'prefer_local':
      return l;
    case 'prefer_external':
      return e;
    case 'concatenate':
      if (l === null || l === '') return e;
      if (e === null || e === '') return l;
      return `${String(l)}${separator}${String(e)}`;
    case 'max':
    case 'min': {
      if (l === null) return e;
      if (e === null) return l;
      const ln = typeof l === 'number' ? l : Date.parse(String(l));
      const en = typeof e === 'number' ? e : Date.parse(String(e));
      if (Number.isNaN(ln) || Number.isNaN(en)) return String(l) >= String(e) === (rule === 'max') ? l : e;
      return ln >= en === (rule === 'max') ? l : e;
    }
  }
}

export type Resolution =
  | { kind: 'manual' }
  | {
      kind: 'resolved';
      /** Final values of every compared field. */
      values: Fields;
      /** Which side each overlapping field came from (for logs and the admin). */
      winners: Record<string, 'local' | 'external' | 'merged'>;
    };

/**
 * Final values for a record both sides changed. Non-overlapping changes from either side are
 * always kept; overlapping fields follow the strategy.
 */
export function resolveConflict(
  strategy: ConflictStrategy,
  input: ThreeWay,
  detection: Detection,
  fields: string[],
  rules: CustomMergeRules = parseMergeRules({}),
): Resolution {
  if (strategy === 'MANUAL_REVIEW' && detection.overlapping.length > 0) return { kind: 'manual' };
  const values: Fields = {};
  const winners: Record<string, 'local' | 'external' | 'merged'> = {};
  const localIsNewer =
    (input.localUpdatedAt?.getTime() ?? Number.NEGATIVE_INFINITY) >=
    (input.externalUpdatedAt?.getTime() ?? Number.NEGATIVE_INFINITY);
  for (const field of fields) {
    const l = input.local[field] ?? null;
    const e = input.external[field] ?? null;
    if (!detection.overlapping.includes(field)) {
      values[field] = detection.externalChanged.includes(field) ? e : l;
      continue;
    }
    switch (strategy) {
      case 'LOCAL_WINS':
        values[field] = l;
        winners[field] = 'local';
        break;
      case 'EXTERNAL_WINS':
        values[field] = e;
        winners[field] = 'external';
        break;
      case 'LATEST_WINS':
        values[field] = localIsNewer ? l : e;
        winners[field] = localIsNewer ? 'local' : 'external';
        break;
      case 'CUSTOM_MERGE': {
        const rule = rules.fields[field] ?? rules.default;
        values[field] = mergeValue(rule, l, e, rules.separator);
        winners[field] = rule === 'prefer_local' ? 'local' : rule === 'prefer_external' ? 'external' : 'merged';
        break;
      }
      case 'MANUAL_REVIEW':
        break; // unreachable: handled above
    }
  }
  return { kind: 'resolved', values, winners };
}

/** Applies an admin's choice to a stored conflict: a side, per-field picks, or custom values. */
export type AdminChoice =
  | { choice: 'local' }
  | { choice: 'external' }
  | { choice: 'fields'; fields: Record<string, 'local' | 'external'> }
  | { choice: 'custom'; values: Fields };

export function valuesForChoice(choice: AdminChoice, local: Fields, external: Fields, fields: string[]): Fields {
  const out: Fields = {};
  for (const field of fields) {
    switch (choice.choice) {
      case 'local':
        out[field] = local[field] ?? null;
        break;
      case 'external':
        out[field] = external[field] ?? null;
        break;
      case 'fields':
        out[field] = (choice.fields[field] === 'local' ? local[field] : external[field]) ?? null;
        break;
      case 'custom':
        out[field] = field in choice.values ? (choice.values[field] ?? null) : (external[field] ?? null);
        break;
    }
  }
  return out;
}
