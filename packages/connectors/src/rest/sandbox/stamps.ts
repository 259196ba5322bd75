// Microsecond timestamps: updated_at must increase strictly per collection even when many writes
// land in one millisecond, without drifting into the future. Six fractional digits, always, so
// the strings also sort correctly as text.

/** Epoch microseconds → `2025-01-02T03:04:05.123456Z`. */
export function formatMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const extra = String(micros - ms * 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace(/Z$/, `${extra}Z`);
}

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/;

/** ISO-8601 (any fractional precision) → epoch microseconds; null when unparseable. */
export function parseMicros(value: string): number | null {
  const match = ISO.exec(value);
  if (!match) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms * 1000;
  }
  const [, base, fraction = '', zone] = match;
  const seconds = Date.parse(`${base}${zone}`);
  if (Number.isNaN(seconds)) return null;
  return seconds * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}
