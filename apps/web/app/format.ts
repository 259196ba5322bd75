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
