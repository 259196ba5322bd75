// Vendor time values ↔ milliseconds: ISO strings (any offset form Date.parse reads, plus
// Salesforce's `+0000`), epoch seconds or milliseconds as numbers or numeric strings.
import type { TimeFormat } from './definition.ts';

/** Milliseconds since the epoch, or null when the value is not a time. */
export function parseTime(value: unknown, format: TimeFormat = 'iso'): number | null {
  if (value === null || value === undefined || value === '') return null;
  const numeric =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : null;
  if (numeric !== null) {
    if (format === 'epoch-seconds') return Math.round(numeric * 1000);
    return Math.round(numeric); // epoch-ms, or a number where an ISO string was expected
  }
  if (typeof value !== 'string') return null;
  // `+0000` (no colon) is ISO-8601 basic offset form; Date.parse wants `+00:00`.
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? null : ms;
}

export function formatTime(ms: number, format: Exclude<TimeFormat, 'raw'>): string {
  switch (format) {
    case 'epoch-ms':
      return String(Math.floor(ms));
    case 'epoch-seconds':
      return String(Math.floor(ms / 1000));
    case 'iso-seconds':
      return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    case 'iso':
      return new Date(ms).toISOString();
  }
}

export function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
