// Sync conditions: which local rows may leave the app. Data, validated with zod, evaluated here.
// Values may be relative times: "now", "now-30d", "now+2h".
import { z } from 'zod';

const ZScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ZCondition = z.object({
  field: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a column name'),
  op: z.enum(['eq', 'neq', 'in', 'notIn', 'isNull', 'notNull', 'notEmpty', 'gt', 'gte', 'lt', 'lte']),
  value: z.union([ZScalar, z.array(ZScalar)]).optional(),
});
export type Condition = z.infer<typeof ZCondition>;

export const ZSyncConditions = z.object({
  /** Every condition must hold for a row to be pushed (created or updated). */
  all: z.array(ZCondition).default([]),
  /** Additionally required to create a new external record (e.g. not archived), not to update one. */
  createOnly: z.array(ZCondition).default([]),
});
export type SyncConditions = z.infer<typeof ZSyncConditions>;

export function parseSyncConditions(input: unknown): SyncConditions {
  return ZSyncConditions.parse(input ?? {});
}

const RELATIVE = /^now(?:([+-])(\d+)([smhdw]))?$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function resolveValue(value: unknown, now: Date): unknown {
  if (typeof value !== 'string') return value;
  const match = RELATIVE.exec(value);
  if (!match) return value;
  const [, sign, amount, unit] = match;
  const offset = amount && unit ? Number(amount) * (UNIT_MS[unit] ?? 0) * (sign === '-' ? -1 : 1) : 0;
  return new Date(now.getTime() + offset);
}

function comparable(value: unknown): number | string | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return t;
  }
  if (typeof value === 'object' && typeof (value as { toFixed?: unknown }).toFixed === 'function') return Number(value);
  return value as number | string | boolean;
}

export function conditionHolds(row: Record<string, unknown>, condition: Condition, now: Date): boolean {
  const actual = comparable(row[condition.field]);
  const expected = Array.isArray(condition.value)
    ? condition.value.map((v) => comparable(resolveValue(v, now)))
    : comparable(resolveValue(condition.value, now));
  switch (condition.op) {
    case 'isNull':
      return actual === null;
    case 'notNull':
      return actual !== null;
    case 'notEmpty':
      return actual !== null && String(actual).trim() !== '';
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
    case 'notIn':
      return Array.isArray(expected) && !expected.includes(actual);
    case 'gt':
      return actual !== null && expected !== null && (actual as number) > (expected as number);
    case 'gte':
      return actual !== null && expected !== null && (actual as number) >= (expected as number);
    case 'lt':
      return actual !== null && expected !== null && (actual as number) < (expected as number);
    case 'lte':
      return actual !== null && expected !== null && (actual as number) <= (expected as number);
  }
}

export function allHold(row: Record<string, unknown>, conditions: Condition[], now: Date): boolean {
  return conditions.every((c) => conditionHolds(row, c, now));
}

/** Columns the conditions read. */
export function conditionColumns(conditions: SyncConditions): string[] {
  return [...new Set([...conditions.all, ...conditions.createOnly].map((c) => c.field))];
}
