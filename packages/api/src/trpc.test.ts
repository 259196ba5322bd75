import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { z } from 'zod';
import { AppError, createLogger } from '@syncbridge/engine';
import { createContext, type Context } from './context.ts';
import { authedProcedure, publicProcedure, roleProcedure, router } from './trpc.ts';

// A throwaway router: the formatter and the AppError mapping are what is under test.
const testRouter = router({
  missing: publicProcedure.query(() => {
    throw new AppError('NOT_FOUND', 'Integration not found.');
  }),
  broken: publicProcedure.query(() => {
    throw new Error('connect ECONNREFUSED postgres://admin:hunter2@db:5432/app');
  }),
  rename: publicProcedure.input(z.object({ name: z.string().min(1), port: z.number() })).mutation(() => 'ok'),
  mine: authedProcedure.query(({ ctx }) => ctx.user.id),
  adminOnly: roleProcedure('ADMIN').query(() => 'secret stuff'),
});

const logger = createLogger({ name: 'trpc-test', level: 'silent' });

function context(user: Context['user'] = null): Context {
  // No procedure here touches the database.
  return createContext({ prisma: {} as Context['prisma'], pool: {} as Context['pool'], logger, user });
}

async function call(path: string, init: RequestInit = {}) {
  const response = await fetchRequestHandler({
    endpoint: '/trpc',
    req: new Request(`http://localhost/trpc/${path}`, init),
    router: testRouter,
    createContext: () => context(),
  });
  // superjson wraps the error shape as { json: shape }.
  const body = (await response.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
  return { status: response.status, error: body.error.json };
}

describe('errorFormatter', () => {
  it('maps an AppError code to the tRPC code and HTTP status, with no stack', async () => {
    const { status, error } = await call('missing');
    expect(status).toBe(404);
    expect(error.message).toBe('Integration not found.');
    expect(error.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, appErrorCode: 'NOT_FOUND' });
    expect(JSON.stringify(error)).not.toContain('at ');
  });

  it('hides the message of an unexpected error', async () => {
    const { status, error } = await call('broken');
    expect(status).toBe(500);
    expect(error.message).toBe('Internal server error');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('flattens zod errors per field', async () => {
    const { status, error } = await call('rename', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { name: '', port: 'x' } }),
    });
    expect(status).toBe(400);
    const zodError = error.data.zodError as { fieldErrors: Record<string, string[]> };
    expect(Object.keys(zodError.fieldErrors).sort()).toEqual(['name', 'port']);
  });
});

describe('server-side callers', () => {
  it('see AppErrors with their mapped tRPC code', async () => {
    const caller = testRouter.createCaller(context());
    const error = await caller.missing().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('NOT_FOUND');
    expect((error as TRPCError).cause).toBeInstanceOf(AppError);
  });

  it('need a user for authed procedures and the right role for role procedures', async () => {
    await expect(testRouter.createCaller(context()).mine()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const viewer = testRouter.createCaller(context({ id: 'u1', email: 'v@example.com', role: 'VIEWER' }));
    expect(await viewer.mine()).toBe('u1');
    await expect(viewer.adminOnly()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = testRouter.createCaller(context({ id: 'u2', email: 'a@example.com', role: 'ADMIN' }));
    expect(await admin.adminOnly()).toBe('secret stuff');
  });
});
