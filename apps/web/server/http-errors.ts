import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, httpStatusForCode, type Logger } from '@syncbridge/engine';

interface ErrorBody {
  error: { code: string; message: string; requestId?: string };
}

function findAppError(error: unknown): AppError | null {
  // tRPC callers wrap thrown AppErrors in a TRPCError (cause); look one level down.
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.cause instanceof AppError) return error.cause;
  return null;
}

/**
 * Express's own client errors (bad JSON, payload too large) carry an exposable status; a path
 * parameter that is not valid percent-encoding is a URIError with status 400 but no `expose` (a 500
 * before apps/web/test/fuzz.test.ts sent `/api/webhooks/integrations/%E0%A4%A/receive`).
 */
function clientErrorStatus(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  const exposable = expose === true || error instanceof URIError;
  return typeof status === 'number' && status >= 400 && status < 500 && exposable ? status : null;
}

/**
 * The one place an error becomes an HTTP response outside tRPC: AppError codes map to statuses,
 * anything else is a 500 with a generic message. Stacks and messages of unexpected errors go to the
 * log only.
 */
export function errorResponder(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    // Errors raised before request logging ran have no request logger yet.
    const log: Logger = res.locals.log ?? logger;
    const requestId = res.locals.requestId;
    const appError = findAppError(error);
    const clientStatus = clientErrorStatus(error);
    let status: number;
    let body: ErrorBody;
    if (appError && appError.code !== 'INTERNAL') {
      status = httpStatusForCode[appError.code];
      body = { error: { code: appError.code, message: appError.message, requestId } };
      log.info({ code: appError.code, status }, 'request failed');
    } else if (clientStatus) {
      status = clientStatus;
      body = { error: { code: 'BAD_REQUEST', message: 'The request could not be processed.', requestId } };
      log.info({ status }, 'bad request');
    } else {
      status = 500;
      body = { error: { code: 'INTERNAL', message: 'Internal server error', requestId } };
      log.error({ err: error }, 'unhandled error');
    }
    if (res.headersSent) {
      // Part of a response is out: all we can do is cut it short.
      res.end();
      return;
    }
    res.status(status).set('cache-control', 'no-store').json(body);
  };
}

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found', requestId: res.locals.requestId } });
};
