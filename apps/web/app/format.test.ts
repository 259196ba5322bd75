import { describe, expect, it } from 'vitest';
import {
  enumLabel,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  formatRelative,
  formatTimestamp,
  integrationTypeLabel,
} from './format.ts';

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

describe('relative times and numbers', () => {
  const now = new Date('2026-11-22T12:00:00.000Z');
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it('says how long ago or how soon', () => {
    expect(formatRelative(at(-10), now)).toBe('just now');
    expect(formatRelative(at(20), now)).toBe('in a few seconds');
    expect(formatRelative(at(-50), now)).toBe('1 minute ago');
    expect(formatRelative(at(-5 * 60), now)).toBe('5 minutes ago');
    expect(formatRelative(at(15 * 60), now)).toBe('in 15 minutes');
    expect(formatRelative(at(-3 * 3600), now)).toBe('3 hours ago');
    expect(formatRelative(at(26 * 3600), now)).toBe('in 1 day');
    expect(formatRelative(at(-3 * 7 * 24 * 3600), now)).toBe('3 weeks ago');
  });

  it('formats percentages, counts, durations and rates', () => {
    expect(formatPercent(0.9342)).toBe('93.4%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.75)).toBe('75%');
    expect(formatPercent(0.99999)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('—');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(7500)).toBe('2 h 5 min');
    expect(formatRate(12.46)).toBe('12.5/s');
    expect(formatRate(240.4)).toBe('240/s');
  });
});
