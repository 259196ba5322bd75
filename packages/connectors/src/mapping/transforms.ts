// Named transforms a mapping may use. Mappings are data; only functions registered here run.
import type { FieldValue } from '../contract.ts';
import type { Transform } from './mapping.ts';

export type TransformFunction = (args: unknown[], options: Record<string, unknown>) => FieldValue;

const pad = (n: number) => String(n).padStart(2, '0');

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** HH:MM:SS of a timestamp, in UTC. */
function timeOfDay(date: Date): string {
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

export const transformFunctions: Record<string, TransformFunction> = {
  /** [timestamp] → 'HH:MM:SS' (UTC). */
  timeOfDay: ([value]) => {
    const date = toDate(value);
    return date ? timeOfDay(date) : null;
  },
  /** [start, durationMinutes] → 'HH:MM:SS' of start + duration; null when no duration (all day). */
  endTimeFromDuration: ([start, minutes]) => {
    const date = toDate(start);
    const duration = Number(minutes);
    if (!date || !minutes || !Number.isFinite(duration) || duration === 0) return null;
    return timeOfDay(new Date(date.getTime() + duration * 60_000));
  },
  /** [durationMinutes] → true when there is no duration. */
  isAllDay: ([minutes]) => minutes === null || minutes === undefined || Number(minutes) === 0,
  /** [fullName] → { first, last }. */
  splitName: ([name]) => {
    const parts = String(name ?? '').trim().split(/\s+/).filter(Boolean);
    return { first: parts[0] ?? '', last: parts.slice(1).join(' ') };
  },
  /** [status] → boolean: true for done/complete/completed/closed. */
  taskStatusToBool: ([status]) => ['done', 'complete', 'completed', 'closed'].includes(String(status ?? '').toLowerCase()),
  /** [] → the time of the sync (ISO-8601). Use with `volatile`, or every row looks changed. */
  now: () => new Date().toISOString(),
  /** [date] → epoch milliseconds. */
  dateToTimestamp: ([value]) => toDate(value)?.getTime() ?? null,
  /** [...values] → non-empty values joined by options.separator (default ' '). */
  join: (values, options) =>
    values
      .filter((v) => v !== null && v !== undefined && v !== '')
      .map(String)
      .join(typeof options.separator === 'string' ? options.separator : ' '),
};

/**
 * Named functions that lose nothing on their domain, each with the transform that undoes it (what
 * the mapping's reverseTransform should be). Functions not listed here are one way.
 * mapping.property.test.ts checks every entry with generated values.
 */
export const transformFunctionInverses: Record<string, Transform> = {
  /** Epoch milliseconds back to the same instant (ISO-8601); domain: valid dates. */
  dateToTimestamp: { type: 'date', format: 'datetime' },
};

export function registerTransformFunction(name: string, fn: TransformFunction): void {
  transformFunctions[name] = fn;
}
