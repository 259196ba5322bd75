import express from 'express';
import { once } from 'node:events';
import type { ChangePage, Connector } from '../src/contract.ts';
import { createRestConnector, type RestConnectorOptions } from '../src/rest/index.ts';
import { createRestSandbox, type RestSandbox, type RestSandboxOptions } from '../src/rest/sandbox/index.ts';
import { startSandbox, type SandboxServer } from '../src/sandbox-kit/server.ts';

export const TOKEN = 'test-token';

export interface RestHarness {
  sandbox: RestSandbox;
  server: SandboxServer;
  connector: Connector;
  connect(options?: Partial<RestConnectorOptions>): Connector;
  close(): Promise<void>;
}

/** A REST sandbox on a free port plus a connector pointed at it. */
export async function startRest(
  sandboxOptions: RestSandboxOptions = {},
  connectorOptions: Partial<RestConnectorOptions> = {},
): Promise<RestHarness> {
  const sandbox = createRestSandbox({ token: TOKEN, ...sandboxOptions });
  const server = await sandbox.start();
  const connect = (options: Partial<RestConnectorOptions> = {}) =>
    createRestConnector({ baseUrl: server.url, token: TOKEN, ...connectorOptions, ...options });
  return { sandbox, server, connector: connect(), connect, close: () => server.close() };
}

export async function collect(pages: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const all: ChangePage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

/** Runs fn and returns its result (or rejection) with how long it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

export interface ReceivedWebhook {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  url: string;
}

/**
 * A webhook receiver: records every delivery and answers with `respond` (default 200). `next()`
 * resolves when the nth delivery (counting from 1) has arrived, so tests wait on events.
 */
export async function startReceiver(respond: (delivery: ReceivedWebhook, index: number) => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const app = express();
  app.post('/hook', express.raw({ type: '*/*' }), (req, res) => {
    const delivery = { headers: req.headers, rawBody: req.body as Buffer, url: req.originalUrl };
    received.push(delivery);
    res.status(respond(delivery, received.length - 1)).end();
    app.emit('delivery', received.length);
  });
  const server = await startSandbox(app);
  return {
    url: `${server.url}/hook`,
    received,
    async waitFor(count: number) {
      while (received.length < count) await once(app, 'delivery');
    },
    close: () => server.close(),
  };
}
