import { describe, expect, it } from 'vitest';
import { decodeRestCursor, encodeRestCursor } from './cursor.ts';

describe('REST cursor', () => {
  it('round-trips', () => {
    const state = { since: '2025-12-18T15:00:00.000001Z', page: 'abc', high: '2025-12-18T15:02:00.000000Z' };
    expect(decodeRestCursor(encodeRestCursor(state))).toEqual(state);
  });

  it('rejects cursors it did not issue as invalid', () => {
    for (const bad of ['', 'xyz', '{}', '{"v":2}', '[]']) {
      expect(() => decodeRestCursor(bad)).toThrow(expect.objectContaining({ kind: 'invalid' }));
    }
  });
});
