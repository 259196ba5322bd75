// Sign-in over HTTP with a real tRPC client: cookie flags, CSRF on cookie-authenticated mutations,
// throttling as 429, and credentials absent from every response and log line.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@syncbridge/api';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createKeyRing, createLogger } from '@syncbridge/engine';
import { createWebServer, type WebApiOptions } from '../server/app.ts';
import { createUser, PASSWORD } from './auth-helpers.ts';
import { listen } from './helpers.ts';

const db = useTestDatabase();
const TOKEN = 'sk_live_token-that-must-stay-secret';
const logLines: string[] = [];
const logger = createLogger({
  name: 'web-auth-test',
  level: 'trace',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  }),
});
const keyRing = createKeyRing(new Map([['k1', Buffer.alloc(32, 7)]]), 'k1');
const servers: Awaited<ReturnType<typeof listen>>[] = [];
let secure: string;
let insecure: string;
let adminEmail: string;
let viewerEmail: string;

async function start(api: WebApiOptions) {
  const web = await createWebServer({ db, logger, mode: 'api-only', api });
  const http = await listen(web.app);
  servers.push(http);
  return http.url;
}

beforeAll(async () => {
  secure = await start({ keyRing });
  insecure = await start({ keyRing, auth: { secureCookies: false } });
  adminEmail = (await createUser(db, 'ADMIN')).email;
  viewerEmail = (await createUser(db, 'VIEWER')).email;
});
afterAll(async () => {
  for (const http of servers) await http.close();
});

/** A browser-like client: keeps cookies from Set-Cookie, sends them back, optionally the CSRF header. */
function browser(baseUrl: string, options: { csrf?: boolean } = {}) {
  const jar = new Map<string, string>();
  const setCookies: string[] = [];
  let csrfToken: string | null = null;
  const trackingFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    if (options.csrf !== false && csrfToken) headers.set('x-csrf-token', csrfToken);
    const response = await fetch(input, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      setCookies.push(cookie);
      const [pair] = cookie.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value) jar.set(name, value);
      else jar.delete(name);
      if (name === 'sb_csrf') csrfToken = value || null;
    }
    return response;
  };
  const trpc = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/trpc`, transformer: superjson, fetch: trackingFetch })],
  });
  return { trpc, jar, setCookies };
}

function codeOf(error: unknown) {
  expect(error).toBeInstanceOf(TRPCClientError);
  const data = (error as TRPCClientError<AppRouter>).data;
  return { code: data?.code, status: data?.httpStatus };
}

describe('signing in over HTTP', () => {
  it('sets an HttpOnly, Secure, SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    const b = browser(secure);
    const result = await b.trpc.auth.signIn.mutate({ email: adminEmail, password: PASSWORD });
    expect(result.user.role).toBe('ADMIN');
    const session = b.setCookies.find((c) => c.startsWith('sb_session='))!;
    const csrf = b.setCookies.find((c) => c.startsWith('sb_csrf='))!;
    expect(session.split('; ').slice(1).sort()).toEqual([
      'HttpOnly',
      'Max-Age=604800',
      'Path=/',
      'SameSite=Lax',
      'Secure',
    ]);
    expect(csrf).not.toContain('HttpOnly');
    expect(csrf).toContain('Secure');
    expect(csrf).toContain(`sb_csrf=${result.csrfToken};`);
    expect((await b.trpc.auth.me.query()).user?.email).toBe(adminEmail);
  });

  it('leaves out Secure when configured for http://localhost', async () => {
    const b = browser(insecure);
    await b.trpc.auth.signIn.mutate({ email: viewerEmail, password: PASSWORD });
    const session = b.setCookies.find((c) => c.startsWith('sb_session='))!;
    expect(session).toContain('HttpOnly');
    expect(session).not.toContain('Secure');
  });

  it('answers a wrong password with 401 and a sixth failure with 429', async () => {
    const b = browser(secure);
    for (let i = 0; i < 5; i++) {
      const error = await b.trpc.auth.signIn
        .mutate({ email: viewerEmail, password: `wrong ${i}` })
        .catch((e: unknown) => e);
      expect(codeOf(error)).toEqual({ code: 'UNAUTHORIZED', status: 401 });
    }
    const limited = await b.trpc.auth.signIn
      .mutate({ email: viewerEmail, password: PASSWORD })
      .catch((e: unknown) => e);
    expect(codeOf(limited)).toEqual({ code: 'TOO_MANY_REQUESTS', status: 429 });
    expect(b.jar.size).toBe(0);
  });

  it('signed out, protected procedures answer 401', async () => {
    const error = await browser(secure)
      .trpc.integrations.list.query()
      .catch((e: unknown) => e);
    expect(codeOf(error)).toEqual({ code: 'UNAUTHORIZED', status: 401 });
  });
});

describe('CSRF', () => {
  it('rejects a cookie-authenticated mutation without the x-csrf-token header, accepts it with', async () => {
    const withHeader = browser(secure);
    await withHeader.trpc.auth.signIn.mutate({ email: adminEmail, password: PASSWORD });
    // Same cookies, no header: what a cross-site form or fetch would send.
    const forged = browser(secure, { csrf: false });
    for (const [k, v] of withHeader.jar) forged.jar.set(k, v);
    const error = await forged.trpc.users.list
      .query()
      .then(() => forged.trpc.integrations.create.mutate({ name: 'Forged', type: 'ASANA' }))
      .catch((e: unknown) => e);
    expect(codeOf(error)).toEqual({ code: 'FORBIDDEN', status: 403 });
    expect((error as Error).message).toMatch(/CSRF/);
    expect(await db.prisma.integration.count({ where: { name: 'Forged' } })).toBe(0);
    // A wrong token is no better than none.
    const wrong = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${secure}/trpc`,
          transformer: superjson,
          headers: {
            cookie: [...withHeader.jar].map(([k, v]) => `${k}=${v}`).join('; '),
            'x-csrf-token': 'x'.repeat(43),
          },
        }),
      ],
    });
    expect(codeOf(await wrong.auth.signOut.mutate().catch((e: unknown) => e))).toEqual({
      code: 'FORBIDDEN',
      status: 403,
    });

    const created = await withHeader.trpc.integrations.create.mutate({ name: 'Real', type: 'ASANA' });
    expect(created.integration.name).toBe('Real');
    await withHeader.trpc.auth.signOut.mutate();
    expect(withHeader.jar.size).toBe(0);
    const after = await browser(secure).trpc.auth.me.query();
    expect(after.user).toBeNull();
  });
});

describe('credentials over HTTP', () => {
  it('are never in a response body or a log line', async () => {
    const bodies: string[] = [];
    const b = browser(secure);
    await b.trpc.auth.signIn.mutate({ email: adminEmail, password: PASSWORD });
    const { integration, webhookSecret } = await b.trpc.integrations.create.mutate({
      name: 'REST',
      type: 'GENERIC_REST',
      credentials: { token: TOKEN },
    });
    await b.trpc.integrations.update.mutate({ id: integration.id, credentials: { token: `${TOKEN}-2` } });
    for (const path of [
      'integrations.list',
      `integrations.get?input=${encodeURIComponent(JSON.stringify({ json: { id: integration.id } }))}`,
    ]) {
      const response = await fetch(`${secure}/trpc/${path}`, {
        headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      expect(response.status).toBe(200);
      bodies.push(await response.text());
    }
    const stored = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(stored.credentialsEnc).toBeTruthy();
    const logs = logLines.join('');
    expect(logs).toContain('"status":200');
    for (const secret of [TOKEN, webhookSecret, stored.credentialsEnc!, stored.webhookSecretEnc!, PASSWORD]) {
      for (const body of bodies) expect(body).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // Session tokens are not logged either.
    for (const value of b.jar.values()) expect(logs).not.toContain(value);
  });
});
