import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('scrypt password hashes', () => {
  it('are salted, carry their parameters and verify only the right password', async () => {
    const a = await hashPassword('correct horse battery', FAST);
    const b = await hashPassword('correct horse battery', FAST);
    expect(a).toMatch(/^scrypt\$N=1024,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'plain-text')).toBe(false);
  });

  it('use OWASP strength by default', async () => {
    expect(await hashPassword('x')).toMatch(/^scrypt\$N=131072,r=8,p=1\$/);
  });
});
