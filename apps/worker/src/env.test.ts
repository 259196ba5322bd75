import { describe, expect, it } from 'vitest';
import { parseWorkerEnv } from './env.ts';

const url = 'postgresql://sync:s3cret@db.internal:5432/syncbridge';

describe('parseWorkerEnv', () => {
  it('applies the defaults', () => {
    expect(parseWorkerEnv({ DATABASE_URL: url })).toEqual({
      ok: true,
      env: { DATABASE_URL: url, WORKER_PORT: 3001, WORKER_HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKER_CONCURRENCY: 4 },
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
});
