import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@syncbridge/api';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createWebServer } from '../server/app.ts';
import { signedInAs } from './auth-helpers.ts';
import { listen, SECRET, silentLogger } from './helpers.ts';

const db = useTestDatabase();
let http: Awaited<ReturnType<typeof listen>>;
let cookie: string;

beforeAll(async () => {
  const web = await createWebServer({ db, logger: silentLogger, mode: 'api-only' });
  http = await listen(web.app);
  // Reads need a signed-in user (auth-http.test.ts covers signing in itself).
  cookie = (await signedInAs(db, 'VIEWER')).cookie;
});
afterAll(async () => {
  await http?.close();
});

function client() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${http.url}/trpc`, transformer: superjson, headers: { cookie } })],
  });
}

describe('tRPC over Express', () => {
  it('lists integrations through a real client, without secrets', async () => {
    const lastSyncAt = new Date('2026-11-20T10:00:00.000Z');
    await db.prisma.integration.create({
      data: {
        name: 'Smartsheet projects',
        type: 'SMARTSHEET',
        authType: 'BEARER_TOKEN',
        credentialsEnc: SECRET,
        credentialsKeyId: 'k1',
        webhookSecretEnc: SECRET,
        lastSyncAt,
      },
    });

    const trpc = client();
    const [all, paused] = await Promise.all([
      trpc.integrations.list.query(),
      trpc.integrations.list.query({ status: 'PAUSED' }),
    ]);
    expect(paused.items).toEqual([]);
    expect(all.items).toHaveLength(1);
    const [item] = all.items;
    expect(item).toMatchObject({ name: 'Smartsheet projects', type: 'SMARTSHEET', status: 'ACTIVE' });
    // superjson brings Dates back as Dates.
    expect(item?.lastSyncAt).toEqual(lastSyncAt);
    expect(item).not.toHaveProperty('credentialsEnc');
    expect(item).not.toHaveProperty('webhookSecretEnc');
    expect(item).not.toHaveProperty('credentialsKeyId');

    const raw = await fetch(`${http.url}/trpc/integrations.list`, { headers: { cookie } });
    expect(raw.status).toBe(200);
    expect(await raw.text()).not.toContain(SECRET);
  });

  it('answers bad input with 400 and per-field zod errors', async () => {
    const error = await client()
      .integrations.list.query({ status: 'SOMETIMES' as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data;
    expect(data?.httpStatus).toBe(400);
    expect(data?.zodError?.fieldErrors).toHaveProperty('status');
  });

  it('reports health over tRPC and on /healthz', async () => {
    const health = await client().health.check.query();
    expect(health).toMatchObject({ status: 'ok', database: true });
    expect(health.timestamp).toBeInstanceOf(Date);

    const response = await fetch(`${http.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(await response.json()).toEqual({ status: 'ok', database: true });
  });

  it('answers unknown paths with a JSON 404 when Remix is not mounted', async () => {
    const response = await fetch(`${http.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
