// GET /metrics: this process's Prometheus metrics (packages/engine/src/metrics.ts), with the queue
// and outbox gauges read from the database at scrape time. With METRICS_TOKEN set it asks for
// `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time.
import express, { type Router } from 'express';
import type { Database } from '@syncbridge/db';
import { bearerTokenMatches, scrapeMetrics } from '@syncbridge/engine';

export interface MetricsRouterOptions {
  pool: Database['pool'];
  /** METRICS_TOKEN; null or undefined serves the metrics to anyone who can reach the port. */
  token?: string | null;
  /** pg-boss's schema (default 'pgboss'). */
  queueSchema?: string;
}

export function createMetricsRouter(options: MetricsRouterOptions): Router {
  const router = express.Router();
  router.get('/metrics', (req, res, next) => {
    if (options.token && !bearerTokenMatches(req.get('authorization'), options.token)) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer')
        .set('cache-control', 'no-store')
        .json({
          error: {
            code: 'UNAUTHORIZED',
            message: 'A valid metrics token is required.',
            requestId: res.locals.requestId,
          },
        });
      return;
    }
    scrapeMetrics({ pool: options.pool, queueSchema: options.queueSchema }).then(({ contentType, body }) => {
      // setHeader, not set(): Express would rewrite the media type's parameters.
      res.status(200).setHeader('content-type', contentType);
      res.setHeader('cache-control', 'no-store');
      res.end(body);
    }, next);
  });
  return router;
}
