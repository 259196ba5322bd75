import { describe, expect, it } from 'vitest';
import { enumLabel, formatTimestamp, integrationTypeLabel } from './format.ts';

describe('labels', () => {
  it('turns enum values into words', () => {
    expect(enumLabel('EVERY_15_MIN')).toBe('Every 15 min');
    expect(enumLabel('ACTIVE')).toBe('Active');
    expect(integrationTypeLabel('GOOGLE_SHEETS')).toBe('Google Sheets');
    expect(integrationTypeLabel('ASANA')).toBe('Asana');
  });

  it('formats timestamps the same way everywhere', () => {
    expect(formatTimestamp(new Date('2026-11-22T06:17:45.123Z'))).toBe('2026-11-22 06:17 UTC');
  });
});
