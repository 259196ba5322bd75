import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { z } from 'zod';
import { AppError, type AppErrorCode } from '@syncbridge/engine';
import type { Context } from './context.ts';
import { csrfTokenMatches } from './services/sessions.ts';
import type { UserRole } from '@syncbridge/db';

export interface ProcedureMeta {
  /** Mutations that need no CSRF token even with a session cookie (signing in). */
  csrfExempt?: boolean;
}

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

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
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

// A mutation from a browser holding our session cookie must prove it came from our page: the
// `x-csrf-token` header has to carry the session's CSRF token, which another site can neither read
// nor guess. In-process callers (no cookie session) are not subject to it.
const csrfGuard = t.middleware(({ ctx, type, meta, next }) => {
  if (
    type === 'mutation' &&
    ctx.session &&
    !meta?.csrfExempt &&
    !csrfTokenMatches(ctx.session.csrfToken, ctx.csrfHeader)
  ) {
    throw new AppError('FORBIDDEN', 'Missing or invalid CSRF token (x-csrf-token header).');
  }
  return next();
});

/** True when any string in `value` (keys included) passes `test`. */
function someText(value: unknown, test: (text: string) => boolean): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (test(item)) return true;
    } else if (Array.isArray(item)) {
      // One by one: spreading a 200,000-item array into push() overflows the stack.
      for (const entry of item as unknown[]) pending.push(entry);
    } else if (item !== null && typeof item === 'object' && !(item instanceof Date)) {
      for (const [key, entry] of Object.entries(item)) {
        if (test(key)) return true;
        pending.push(entry);
      }
    }
  }
  return false;
}

/** True when any string in `value` (keys included) holds U+0000. */
export function containsNulCharacter(value: unknown): boolean {
  return someText(value, (text) => text.includes('\u0000'));
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when any string in `value` (keys included) holds half of a UTF-16 surrogate pair. */
export function containsUnpairedSurrogate(value: unknown): boolean {
  return someText(value, (text) => UNPAIRED_SURROGATE.test(text));
}

// Postgres text and jsonb cannot hold U+0000: such input would otherwise reach the database and fail
// there as a 500 ("invalid byte sequence"). No field of any procedure can legitimately carry one.
const rejectNulCharacters = t.middleware(async ({ getRawInput, next }) => {
  const input = await getRawInput();
  if (containsNulCharacter(input)) {
    throw new AppError('VALIDATION', 'Text must not contain NUL characters (U+0000).');
  }
  // Nor can jsonb hold an unpaired UTF-16 surrogate ("\ud800" in JSON): found by
  // apps/web/test/fuzz.test.ts as a 500, through the audit row of a failed sign-in.
  if (containsUnpairedSurrogate(input)) {
    throw new AppError('VALIDATION', 'Text must be well-formed Unicode (no unpaired surrogates).');
  }
  return next();
});

export const publicProcedure = t.procedure.use(mapAppErrors).use(rejectNulCharacters).use(csrfGuard);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
  return next({ ctx: { user: ctx.user } });
});

/** Higher roles can do everything lower ones can. */
const ROLE_RANK: Record<UserRole, number> = { VIEWER: 1, STAFF: 2, ADMIN: 3 };

/** Signed in with at least `minimum` (UNAUTHORIZED when signed out, FORBIDDEN when the role is too low). */
export function roleProcedure(minimum: UserRole) {
  return authedProcedure.use(({ ctx, next }) => {
    if ((ROLE_RANK[ctx.user.role] ?? 0) < ROLE_RANK[minimum]) {
      throw new AppError('FORBIDDEN', 'Your role does not allow this.');
    }
    return next();
  });
}

/** Reads: any signed-in user. */
export const viewerProcedure = roleProcedure('VIEWER');
/** Operations: trigger syncs, retry failures, resolve conflicts. */
export const staffProcedure = roleProcedure('STAFF');
/** Configuration: integrations, credentials, users. */
export const adminProcedure = roleProcedure('ADMIN');
