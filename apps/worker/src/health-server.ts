// A bare node:http server for the orchestrator's liveness/readiness probe (GET /healthz) and
// Prometheus (GET /metrics, behind METRICS_TOKEN when set).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerTokenMatches } from '@syncbridge/engine';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: boolean;
  queue: boolean;
  /** The realtime outbox drainer runs with its LISTEN connection up. */
  drainer: boolean;
}

export interface HealthServer {
  /** Resolves with the bound port (the real one when asked for port 0). */
  listen(port: number, host: string): Promise<number>;
  /** Stops listening and drops open keep-alive connections. Safe to call when not listening. */
  close(): Promise<void>;
}

export interface MetricsEndpoint {
  /** The exposition text (engine scrapeMetrics). */
  scrape(): Promise<{ contentType: string; body: string }>;
  /** METRICS_TOKEN: when set, /metrics asks for it as a bearer token. */
  token?: string | null;
}

export function createHealthServer(
  check: () => Promise<Omit<HealthReport, 'status'>>,
  metrics?: MetricsEndpoint,
): HealthServer {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://worker').pathname;
    if (metrics && req.method === 'GET' && path === '/metrics') {
      serveMetrics(req, res, metrics);
      return;
    }
    if (req.method !== 'GET' || path !== '/healthz') {
      respond(res, 404, { error: 'not found' });
      return;
    }
    check().then(
      (result) => {
        const healthy = result.database && result.queue && result.drainer;
        const report: HealthReport = { status: healthy ? 'ok' : 'unavailable', ...result };
        respond(res, healthy ? 200 : 503, report);
      },
      () =>
        respond(res, 503, {
          status: 'unavailable',
          database: false,
          queue: false,
          drainer: false,
        } satisfies HealthReport),
    );
  });
  // A probe that cannot get an answer in a few seconds has its answer already.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      if (!server.listening) return Promise.resolve();
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function serveMetrics(req: http.IncomingMessage, res: http.ServerResponse, metrics: MetricsEndpoint): void {
  if (metrics.token && !bearerTokenMatches(req.headers.authorization, metrics.token)) {
    res.setHeader('www-authenticate', 'Bearer');
    respond(res, 401, { error: 'a valid metrics token is required' });
    return;
  }
  metrics.scrape().then(
    ({ contentType, body }) => {
      res.writeHead(200, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      res.end(body);
    },
    () => respond(res, 500, { error: 'metrics unavailable' }),
  );
}

function respond(res: http.ServerResponse, status: number, body: object): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
}
