import { describe, expect, it } from 'vitest';
import { generateKey, parseKeyRing } from './crypto.ts';

describe('key ring', () => {
  it('round-trips with a fresh IV every time and names its key', () => {
    const ring = parseKeyRing(`a:${generateKey()}`);
    const one = ring.encrypt('{"token":"secret-1"}');
    const two = ring.encrypt('{"token":"secret-1"}');
    expect(one.keyId).toBe('a');
    expect(one.ciphertext).not.toBe(two.ciphertext);
    expect(one.ciphertext).not.toContain('secret-1');
    expect(ring.decrypt(one.keyId, one.ciphertext)).toBe('{"token":"secret-1"}');
  });

  it('decrypts old values after rotating to a new primary, and refuses tampered data', () => {
    const a = generateKey();
    const before = parseKeyRing(`a:${a}`).encrypt('x');
    const after = parseKeyRing(`b:${generateKey()},a:${a}`, 'b');
    expect(after.decrypt('a', before.ciphertext)).toBe('x');
    expect(after.encrypt('y').keyId).toBe('b');
    const parts = before.ciphertext.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('zz').toString('base64url')].join('.');
    expect(() => after.decrypt('a', tampered)).toThrow(/could not be decrypted/);
    expect(() => after.decrypt('gone', before.ciphertext)).toThrow(/not configured/);
  });

  it('rejects keys of the wrong size', () => {
    expect(() => parseKeyRing('a:c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
