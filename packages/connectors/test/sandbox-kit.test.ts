import express from 'express';
import { once } from 'node:events';
import { request as httpRequest, Agent, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createRequestCounter } from '../src/sandbox-kit/counters.ts';
import { createFaultInjector, type FaultInjector } from '../src/sandbox-kit/faults.ts';
import { createRateLimiter } from '../src/sandbox-kit/rate-limiter.ts';
import { startSandbox, type SandboxServer } from '../src/sandbox-kit/server.ts';
import { timed } from './helpers.ts';

const servers: SandboxServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serveWithFaults(faults: FaultInjector): Promise<SandboxServer> {
  const app = express();
  app.use(faults.middleware);
  app.get('/ping', (_req, res) => {
    res.json({ ok: true });
  });
  const server = await startSandbox(app);
  servers.push(server);
  return server;
}

describe('startSandbox', () => {
  it('serves on 127.0.0.1 and a free port', async () => {
    const app = express().get('/', (_req, res) => {
      res.send('hi');
    });
    const server = await startSandbox(app);
    servers.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await (await fetch(server.url)).text()).toBe('hi');
  });

  it('close() ends promptly with an idle keep-alive connection and a request in flight', async () => {
    const faults = createFaultInjector();
    const server = await serveWithFaults(faults);
    const agent = new Agent({ keepAlive: true });
    // 1. A keep-alive connection left open after a complete response.
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest(`${server.url}/ping`, { agent }, resolve).on('error', reject).end();
    });
    response.resume();
    await once(response, 'end');
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
    // 2. A request the sandbox leaves hanging.
    faults.failNext(1, 'timeout');
    const arrived = once(server.server, 'request');
    const hanging = fetch(`${server.url}/ping`).then(
      () => 'answered',
      () => 'failed',
    );
    await arrived;
    expect(faults.hanging).toBe(1);
    const closing = await timed(() => server.close());
    expect(closing.error).toBeUndefined();
    expect(closing.ms).toBeLessThan(1000);
    expect(await hanging).toBe('failed');
    agent.destroy();
  });

  it('close() can be called twice', async () => {
    const server = await startSandbox(express());
    await Promise.all([server.close(), server.close()]);
  });
});

describe('fault injection', () => {
  it('failNext makes exactly the next n requests fail that way', async () => {
    const faults = createFaultInjector();
    const server = await serveWithFaults(faults);
    faults.failNext(2, 'error');
    faults.failNext(1, 'error', { status: 502 });
    faults.failNext(1, 'rate_limit');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${server.url}/ping`)).status);
    expect(statuses.slice(0, 2).every((status) => [500, 502, 503].includes(status))).toBe(true);
    expect(statuses.slice(2)).toEqual([502, 429, 200]);
    expect(faults.injected).toMatchObject({ error: 3, rate_limit: 1 });
  });

  it('a vendor-shaped 429 carries Retry-After', async () => {
    const faults = createFaultInjector({
      rateLimitResponse: () => ({
        status: 429,
        body: { errorCode: 4003, message: 'Rate limit exceeded.' },
        headers: { 'Retry-After': '7' },
      }),
    });
    const server = await serveWithFaults(faults);
    faults.set({ rateLimitRate: 1 });
    const response = await fetch(`${server.url}/ping`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ errorCode: 4003, message: 'Rate limit exceeded.' });
  });

  it('drop destroys the connection without a response', async () => {
    const faults = createFaultInjector();
    const server = await serveWithFaults(faults);
    faults.failNext(1, 'drop');
    await expect(fetch(`${server.url}/ping`)).rejects.toThrow();
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
  });

  it('timeout hangs until the client gives up', async () => {
    const faults = createFaultInjector();
    const server = await serveWithFaults(faults);
    faults.failNext(1, 'timeout');
    const result = await timed(() => fetch(`${server.url}/ping`, { signal: AbortSignal.timeout(150) }));
    expect(result.error).toMatchObject({ name: 'TimeoutError' });
    expect(result.ms).toBeGreaterThanOrEqual(140);
  });

  it('latency delays every request', async () => {
    const faults = createFaultInjector({ config: { latencyMs: 120 } });
    const server = await serveWithFaults(faults);
    const result = await timed(() => fetch(`${server.url}/ping`));
    expect(result.ms).toBeGreaterThanOrEqual(115);
    faults.clear();
    expect(faults.config).toEqual({ errorRate: 0, rateLimitRate: 0, latencyMs: 0, timeoutRate: 0, dropRate: 0 });
  });

  it('random faults are reproducible from a seed', async () => {
    async function run(seed: number): Promise<number[]> {
      const faults = createFaultInjector({ seed, config: { errorRate: 0.3, rateLimitRate: 0.2 } });
      const server = await serveWithFaults(faults);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await fetch(`${server.url}/ping`)).status);
      return statuses;
    }
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, ...first.filter((status) => status >= 500)]));
    expect(first.filter((status) => status !== 200).length).toBeGreaterThan(5);
    expect(await run(43)).not.toEqual(first);
  });

  it('rejects rates outside 0..1', () => {
    expect(() => createFaultInjector({ config: { errorRate: 2 } })).toThrow(RangeError);
    expect(() => createFaultInjector().set({ dropRate: -0.1 })).toThrow(RangeError);
  });
});

describe('rate limiter and request counter', () => {
  async function serveLimited(requestsPerWindow: number, windowMs: number, clock: () => number) {
    const counter = createRequestCounter({ clock });
    const limiter = createRateLimiter({
      requestsPerWindow,
      windowMs,
      clock,
      keyOf: (req) => (req.headers['x-key'] as string | undefined) ?? null,
    });
    const app = express();
    app.use(limiter.middleware);
    app.get('/items/:id', counter.middleware, (_req, res) => {
      res.json({ ok: true });
    });
    const server = await startSandbox(app);
    servers.push(server);
    return { url: server.url, counter, limiter };
  }

  it('answers 429 with Retry-After and X-RateLimit headers once N requests are in the window', async () => {
    const { url, counter, limiter } = await serveLimited(5, 10_000, Date.now);
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => fetch(`${url}/items/${i}`, { headers: { 'x-key': 'a' } })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
    const limited = responses.find((response) => response.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('5');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
    expect(responses.find((response) => response.status === 200)!.headers.get('x-ratelimit-limit')).toBe('5');
    expect(limiter.rejected).toBe(7);
    // Another credential has its own window.
    expect((await fetch(`${url}/items/x`, { headers: { 'x-key': 'b' } })).status).toBe(200);
    expect(counter.total).toBe(6);
    expect(counter.count('GET /items/:id')).toBe(6);
    expect(counter.byEndpoint()).toEqual({ 'GET /items/:id': 6 });
  });

  it('never admits more than N in any window; counters see exactly what was admitted', async () => {
    let now = 1_000_000;
    const { url, counter } = await serveLimited(4, 1000, () => now);
    const admittedAt: number[] = [];
    // Bursts and gaps across several windows, driven by a fake clock.
    const steps = [0, 0, 0, 0, 0, 0, 300, 0, 0, 400, 299, 1, 0, 0, 0, 1000, 0, 0, 0, 0, 0, 999, 1, 1];
    for (const step of steps) {
      now += step;
      const response = await fetch(`${url}/items/1`, { headers: { 'x-key': 'k' } });
      if (response.status === 200) admittedAt.push(now);
    }
    expect(counter.timestamps()).toEqual(admittedAt);
    expect(counter.maxRequestsInWindow(1000)).toBe(4);
    // Independent check: in every window (t - 1000, t] at most 4 were admitted.
    for (const t of admittedAt)
      expect(admittedAt.filter((at) => at > t - 1000 && at <= t).length).toBeLessThanOrEqual(4);
    expect(admittedAt.length).toBe(steps.length - 10);
    counter.reset();
    expect(counter.total).toBe(0);
    expect(counter.maxRequestsInWindow(1000)).toBe(0);
  });
});
