import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { z } from 'zod';
import { AppError, type AppErrorCode } from '@syncbridge/engine';
import type { Context } from './context.ts';

/** The one table turning an AppError code into a tRPC code (and so an HTTP status on /trpc). */
export const trpcCodeForAppErrorCode: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  VALIDATION: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UPSTREAM_RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UPSTREAM_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  UPSTREAM_AUTH: 'BAD_GATEWAY',
  UPSTREAM_INVALID: 'BAD_GATEWAY',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** Normalises anything thrown under a procedure; an AppError (or one wrapped by tRPC) gets its mapped code. */
export function toTRPCError(error: unknown): TRPCError {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (cause instanceof AppError) {
    const code = trpcCodeForAppErrorCode[cause.code];
    if (error instanceof TRPCError && error.code === code) return error;
    return new TRPCError({ code, message: cause.message, cause });
  }
  if (error instanceof TRPCError) return error;
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error });
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Stack traces stay in the server log, never in a response.
  isDev: false,
  errorFormatter({ shape, error }) {
    const mapped = toTRPCError(error);
    const appError = mapped.cause instanceof AppError ? mapped.cause : null;
    // An unexpected failure (Prisma, pg, a bug) may carry SQL or connection details in its message.
    const message = mapped.code === 'INTERNAL_SERVER_ERROR' && !appError ? 'Internal server error' : mapped.message;
    return {
      code: TRPC_ERROR_CODES_BY_KEY[mapped.code],
      message,
      data: {
        code: mapped.code,
        httpStatus: getHTTPStatusCodeFromError(mapped),
        path: shape.data.path,
        appErrorCode: appError?.code ?? null,
        // Per-field messages for forms: { formErrors: [], fieldErrors: { name: ['…'] } }.
        zodError: mapped.cause instanceof z.ZodError ? z.flattenError(mapped.cause) : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Server-side callers (Remix loaders, scripts) skip the formatter, so AppErrors are mapped here
// too: a caller catching a TRPCError sees NOT_FOUND, not INTERNAL_SERVER_ERROR.
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error);
  return result;
});

export const publicProcedure = t.procedure.use(mapAppErrors);

// Placeholder until sessions exist: procedures needing a signed-in user (and later a role) build
// on these, so adding auth changes the context, not every procedure.
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
  return next({ ctx: { user: ctx.user } });
});

export function roleProcedure(...roles: readonly string[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.user.role)) throw new AppError('FORBIDDEN', 'Your role does not allow this.');
    return next();
  });
}
