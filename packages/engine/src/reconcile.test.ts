import { describe, expect, it } from 'vitest';
import { microIso } from './reconcile.ts';

describe('microIso', () => {
  it('orders versions by their microseconds', () => {
    expect(microIso('2026-11-22T06:44:14.123456Z')).toBe('2026-11-22T06:44:14.123456Z');
    expect(microIso('2026-11-22 06:44:14.1234+00')).toBe('2026-11-22T06:44:14.123400Z');
    expect(microIso('2026-11-22T06:44:14Z')).toBe('2026-11-22T06:44:14.000000Z');
    expect(microIso(new Date('2026-11-22T06:44:14.123Z'))).toBe('2026-11-22T06:44:14.123000Z');
    expect(microIso('2026-11-22T07:44:14.5+01:00')).toBe('2026-11-22T06:44:14.500000Z');
    expect(microIso('2026-11-22T06:44:14.123401Z') > microIso('2026-11-22T06:44:14.1234Z')).toBe(true);
  });
});
