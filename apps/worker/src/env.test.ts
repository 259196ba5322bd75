import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWorkerEnv } from './env.ts';

const url = 'postgresql://sync:s3cret@db.internal:5432/syncbridge';
const key = () => randomBytes(32).toString('base64');

describe('parseWorkerEnv', () => {
  it('applies the defaults', () => {
    expect(parseWorkerEnv({ DATABASE_URL: url })).toEqual({
      ok: true,
      env: {
        DATABASE_URL: url,
        WORKER_PORT: 3001,
        WORKER_HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        WORKER_CONCURRENCY: 4,
        OUTBOUND_ALLOWLIST: [],
        keyRing: null,
      },
    });
  });

  it('parses OUTBOUND_ALLOWLIST and names a bad entry', () => {
    const good = parseWorkerEnv({ DATABASE_URL: url, OUTBOUND_ALLOWLIST: '127.0.0.1:4010, 10.0.0.0/8' });
    expect(good.ok && good.env.OUTBOUND_ALLOWLIST.map((entry) => entry.text)).toEqual(['127.0.0.1:4010', '10.0.0.0/8']);
    expect(parseWorkerEnv({ DATABASE_URL: url, OUTBOUND_ALLOWLIST: '127.0.0.1,10.0.0.0/40' })).toEqual({
      ok: false,
      problems: ['OUTBOUND_ALLOWLIST: "10.0.0.0/40" has a prefix longer than 32 bits'],
    });
  });

  it('reads numbers, allows port 0 and treats empty values as unset', () => {
    const result = parseWorkerEnv({ DATABASE_URL: url, WORKER_PORT: '0', WORKER_CONCURRENCY: '8', WORKER_HOST: '' });
    expect(result).toMatchObject({
      ok: true,
      env: { WORKER_PORT: 0, WORKER_CONCURRENCY: 8, WORKER_HOST: '127.0.0.1' },
    });
  });

  it('lists every bad variable by name, without echoing values', () => {
    const result = parseWorkerEnv({
      DATABASE_URL: 'mysql://root:hunter2@localhost/app',
      WORKER_PORT: '70000',
      LOG_LEVEL: 'loud',
      WORKER_CONCURRENCY: 'many',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const names = result.problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(['DATABASE_URL', 'WORKER_PORT', 'LOG_LEVEL', 'WORKER_CONCURRENCY']);
    expect(result.problems.join('\n')).not.toContain('hunter2');
  });

  it('requires DATABASE_URL', () => {
    expect(parseWorkerEnv({})).toEqual({ ok: false, problems: ['DATABASE_URL: is required'] });
  });

  it('turns ENCRYPTION_KEYS into a key ring whose primary is the first key or the one named', () => {
    const keys = `old:${key()}, new:${key()}`;
    const first = parseWorkerEnv({ DATABASE_URL: url, ENCRYPTION_KEYS: keys });
    expect(first.ok && first.env.keyRing?.primaryId).toBe('old');
    const named = parseWorkerEnv({ DATABASE_URL: url, ENCRYPTION_KEYS: keys, ENCRYPTION_PRIMARY_KEY_ID: 'new' });
    if (!named.ok) throw new Error(named.problems.join('; '));
    expect(named.env.keyRing?.primaryId).toBe('new');
    expect(named.env.keyRing?.has('old')).toBe(true);
    // The raw keys are not part of the parsed environment.
    expect(Object.keys(named.env)).not.toContain('ENCRYPTION_KEYS');
    const sealed = named.env.keyRing!.encrypt('{"token":"t"}');
    expect(named.env.keyRing!.decrypt(sealed.keyId, sealed.ciphertext)).toBe('{"token":"t"}');
  });

  it('names a bad key list or primary key id without echoing key material', () => {
    const short = Buffer.from('too-short-key').toString('base64');
    const bad = parseWorkerEnv({ DATABASE_URL: url, WORKER_PORT: 'x', ENCRYPTION_KEYS: `k1:${short}` });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.split(':')[0])).toEqual(['WORKER_PORT', 'ENCRYPTION_KEYS']);
    expect(bad.problems[1]).toMatch(/k1 must be 32 bytes/);
    expect(bad.problems.join('\n')).not.toContain(short);

    for (const ENCRYPTION_KEYS of ['nocolon', ':abc', ',']) {
      const result = parseWorkerEnv({ DATABASE_URL: url, ENCRYPTION_KEYS });
      expect(result.ok ? [] : result.problems.map((p) => p.split(':')[0])).toEqual(['ENCRYPTION_KEYS']);
    }

    const secret = key();
    const unknown = parseWorkerEnv({
      DATABASE_URL: url,
      ENCRYPTION_KEYS: `k1:${secret}`,
      ENCRYPTION_PRIMARY_KEY_ID: 'k2',
    });
    expect(unknown).toEqual({
      ok: false,
      problems: ['ENCRYPTION_PRIMARY_KEY_ID: is not one of the ENCRYPTION_KEYS ids'],
    });
    const orphan = parseWorkerEnv({ DATABASE_URL: url, ENCRYPTION_PRIMARY_KEY_ID: 'k1' });
    expect(orphan).toEqual({ ok: false, problems: ['ENCRYPTION_PRIMARY_KEY_ID: is set but ENCRYPTION_KEYS is not'] });
  });
});
