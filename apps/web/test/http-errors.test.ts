import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { TRPCError } from '@trpc/server';
import { AppError } from '@syncbridge/engine';
import { errorResponder } from '../server/http-errors.ts';
import { requestLogging } from '../server/request-logging.ts';
import { listen, silentLogger } from './helpers.ts';

let http: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  const app = express();
  app.use(requestLogging(silentLogger));
  app.get('/missing', () => {
    throw new AppError('NOT_FOUND', 'Integration not found.');
  });
  app.get('/rate-limited', (_req, _res, next) => {
    // As a loader calling tRPC server-side would see it.
    next(new TRPCError({ code: 'TOO_MANY_REQUESTS', cause: new AppError('UPSTREAM_RATE_LIMITED', 'Slow down.') }));
  });
  app.get('/internal', () => {
    throw new AppError('INTERNAL', 'pool exhausted on db.internal:5432');
  });
  app.get('/crash', () => {
    throw new Error('connect ECONNREFUSED postgres://admin:hunter2@db:5432/app');
  });
  app.use(errorResponder(silentLogger));
  http = await listen(app);
});
afterAll(async () => {
  await http?.close();
});

async function get(path: string) {
  const response = await fetch(`${http.url}${path}`);
  return { status: response.status, text: await response.text(), requestId: response.headers.get('x-request-id') };
}

describe('errorResponder', () => {
  it('maps AppError codes to HTTP statuses, also when wrapped by tRPC', async () => {
    const missing = await get('/missing');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual({
      error: { code: 'NOT_FOUND', message: 'Integration not found.', requestId: missing.requestId },
    });
    const limited = await get('/rate-limited');
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text).error.code).toBe('UPSTREAM_RATE_LIMITED');
  });

  it('answers unexpected errors with a bare 500: no message, no stack', async () => {
    for (const path of ['/internal', '/crash']) {
      const { status, text } = await get(path);
      expect(status).toBe(500);
      expect(JSON.parse(text).error).toMatchObject({ code: 'INTERNAL', message: 'Internal server error' });
      expect(text).not.toMatch(/hunter2|5432|ECONNREFUSED|\.ts:\d+/);
    }
  });
});
