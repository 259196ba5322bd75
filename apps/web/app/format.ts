import type { TIntegrationSummary } from '@syncbridge/api';

const SPECIAL_WORDS: Record<string, string> = { MIN: 'min', API: 'API', URL: 'URL' };

/** `GOOGLE_SHEETS` → `Google Sheets`, `EVERY_15_MIN` → `Every 15 min`. */
export function enumLabel(value: string): string {
  return value
    .split('_')
    .map((word, index) => {
      const special = SPECIAL_WORDS[word];
      if (special) return special;
      const lower = word.toLowerCase();
      return index === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
    })
    .join(' ');
}

const TITLE_CASE_TYPES: Record<string, string> = {
  GOOGLE_SHEETS: 'Google Sheets',
  SMARTSHEET: 'Smartsheet',
  SMARTSUITE: 'SmartSuite',
  HUBSPOT: 'HubSpot',
  CLICKUP: 'ClickUp',
};

export function integrationTypeLabel(type: TIntegrationSummary['type']): string {
  return TITLE_CASE_TYPES[type] ?? enumLabel(type);
}

export const directionLabels: Record<TIntegrationSummary['direction'], string> = {
  PUSH: 'Push (Postgres → tool)',
  PULL: 'Pull (tool → Postgres)',
  BIDIRECTIONAL: 'Both ways',
};

/**
 * The same text on the server and in the browser (a locale- or timezone-dependent format would
 * differ between the two and break hydration): `2026-11-22 06:17 UTC`.
 */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const RELATIVE_UNITS: [unit: string, seconds: number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * `3 minutes ago`, `in 2 hours`, `just now`: relative to `now`, which the caller passes in so the
 * server and the first browser render agree (see components/RelativeTime.tsx).
 */
export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return seconds < 0 || seconds === 0 ? 'just now' : 'in a few seconds';
  for (const [unit, size] of RELATIVE_UNITS) {
    if (abs >= size * 0.95 || unit === 'minute') {
      const count = Math.max(1, Math.round(abs / size));
      const words = `${count} ${unit}${count === 1 ? '' : 's'}`;
      return seconds < 0 ? `${words} ago` : `in ${words}`;
    }
  }
  return formatTimestamp(date);
}

/** `0.9342` → `93.4%`; null stays a dash. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  // One decimal at most, none when it is .0: `75%`, `93.4%`, `100%`.
  return `${Number((ratio * 100).toFixed(1))}%`;
}

const NUMBER = new Intl.NumberFormat('en-US');

/** `12345` → `12,345` (one fixed locale: the server and the browser must print the same text). */
export function formatCount(value: number): string {
  return NUMBER.format(value);
}

/** Seconds left → `45 s`, `3 min 20 s`, `2 h 5 min`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** Records per second → `12.5/s`, `240/s`. */
export function formatRate(perSecond: number): string {
  return `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`;
}
