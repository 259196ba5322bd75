import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sanitizeForLog, type Logger } from '@syncbridge/engine';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId: string;
      /** Child logger carrying the request id. */
      log: Logger;
    }
  }
}

/**
 * One line per request: method, path, status, duration. Headers and query strings are not logged,
 * so cookies, tokens and signed URLs cannot end up in the logs.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.locals.log = logger.child({ requestId });
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const quiet = req.path === '/healthz' || req.path.startsWith('/assets/');
      res.locals.log[quiet ? 'debug' : 'info'](
        {
          method: req.method,
          path: sanitizeForLog(req.path),
          status: res.statusCode,
          durationMs: Math.round(durationMs),
        },
        'request',
      );
    });
    next();
  };
}
