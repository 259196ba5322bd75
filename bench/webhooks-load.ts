// Load generator for bench/webhooks.ts, run as its own process so that autocannon does not share an
// event loop with the server it measures: `tsx bench/webhooks-load.ts '<json config>'` drives one
// URL and prints autocannon's result as JSON on its last stdout line. Every request is a new
// delivery: a unique X-Webhook-Id and body, signed at the moment it is built (autocannon calls
// setupRequest for each request it sends).
import { createRequire } from 'node:module';
import { restWebhookHeaders } from '@syncbridge/connectors';

export interface LoadConfig {
  url: string;
  path: string;
  secret: string;
  seconds: number;
  connections: number;
  /** Makes delivery ids unique across runs against the same database. */
  prefix: string;
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  duration: number;
  requests: Histogram & { total: number; sent: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  requests: (AutocannonRequest & { setupRequest: (req: AutocannonRequest) => AutocannonRequest })[];
}) => Promise<LoadResult>;

const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
// autocannon ships no types; only the options above are used.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

let sequence = 0;
function nextDelivery(request: AutocannonRequest): AutocannonRequest {
  const deliveryId = `${config.prefix}-${++sequence}`;
  const body = JSON.stringify({
    id: deliveryId,
    type: 'task.updated',
    occurred_at: new Date().toISOString(),
    data: { id: `task-${sequence % 1000}`, title: `Task ${sequence}`, status: 'doing', assignee: 'ops@example.test' },
  });
  const headers = restWebhookHeaders({ secret: config.secret, deliveryId, rawBody: body, eventType: 'task.updated' });
  return { ...request, headers: { ...headers, 'content-type': 'application/json' }, body };
}

const result = await autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.seconds,
  pipelining: 1,
  requests: [{ method: 'POST', path: config.path, setupRequest: nextDelivery }],
});
process.stdout.write(`\n${JSON.stringify(result)}\n`);
