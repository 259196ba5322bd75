// The incremental pull cursor: the newest `last_updated.on` seen. SmartSuite filters dates by day
// (`is_on_or_after` with `{ date_mode: "exact_date", date_mode_value: "YYYY-MM-DD" }`), so the next
// read starts at the cursor's day, less a safety margin for records committed late: everything of
// that day is read again, and the engine skips what did not change by hash.
import { z } from 'zod';
import type { SmartSuiteFilter } from './client.ts';

const ZCursor = z.object({ v: z.literal(1), since: z.string().min(1) });
export type SmartSuiteCursor = z.infer<typeof ZCursor>;

/** Records may become visible up to this long after their `last_updated` (clock skew, slow commits). */
export const CURSOR_SAFETY_MARGIN_MS = 60 * 60 * 1000;

export function encodeCursor(since: string): string {
  return JSON.stringify({ v: 1, since } satisfies SmartSuiteCursor);
}

/** A stored cursor, or null when absent or unreadable (then a full read starts over). */
export function decodeCursor(cursor: string | null): SmartSuiteCursor | null {
  if (!cursor) return null;
  try {
    const parsed = ZCursor.safeParse(JSON.parse(cursor));
    return parsed.success && !Number.isNaN(Date.parse(parsed.data.since)) ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The later of two ISO instants (either may be null). */
export function later(a: string | null, b: string | null | undefined): string | null {
  if (!b || Number.isNaN(Date.parse(b))) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Records changed on or after the cursor's day (less the margin). */
export function changedSinceFilter(since: string): SmartSuiteFilter {
  const day = new Date(Date.parse(since) - CURSOR_SAFETY_MARGIN_MS).toISOString().slice(0, 10);
  return {
    operator: 'and',
    fields: [
      {
        field: 'last_updated',
        comparison: 'is_on_or_after',
        value: { date_mode: 'exact_date', date_mode_value: day },
      },
    ],
  };
}

/** Records whose `field` is one of `values` (an OR of `is` comparisons). */
export function anyOfFilter(field: string, values: readonly string[]): SmartSuiteFilter {
  return { operator: 'or', fields: values.map((value) => ({ field, comparison: 'is', value })) };
}
