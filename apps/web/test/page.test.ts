import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createWebServer, webRoot } from '../server/app.ts';
import { signedInAs } from './auth-helpers.ts';
import { listen, SECRET, silentLogger } from './helpers.ts';

const db = useTestDatabase();
let http: Awaited<ReturnType<typeof listen>>;
let cookie: string;

// The test command builds first; building here only covers running this file on its own.
beforeAll(() => {
  if (existsSync(path.join(webRoot, 'build', 'server', 'index.js'))) return;
  const result = spawnSync('pnpm', ['--filter', '@syncbridge/web', 'build'], {
    cwd: path.resolve(webRoot, '../..'),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`web build failed (exit ${result.status ?? result.signal})`);
}, 180_000);

beforeAll(async () => {
  const web = await createWebServer({ db, logger: silentLogger, mode: 'production' });
  http = await listen(web.app);
  cookie = (await signedInAs(db, 'VIEWER')).cookie;
});
afterAll(async () => {
  await http?.close();
});

describe('the integrations page (production build)', () => {
  it('sends a signed-out visitor to the sign-in page, showing no integrations', async () => {
    await db.prisma.integration.create({ data: { name: 'Hidden from strangers', type: 'ASANA' } });
    const response = await fetch(`${http.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/sign-in');
    expect(await response.text()).not.toContain('Hidden from strangers');
    const html = await (await fetch(`${http.url}/sign-in`)).text();
    expect(html).toContain('<form method="post" action="/sign-in">');
    expect(html).not.toContain('Hidden from strangers');
    await db.prisma.integration.deleteMany();
  });

  it('shows an empty state when there are no integrations', async () => {
    const response = await fetch(`${http.url}/`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>Dashboard · Syncbridge</title>');
    expect(html).toContain('No integrations yet');
    expect(html).not.toContain('<table');
  });

  it('lists the integrations in a table, without secrets', async () => {
    await db.prisma.integration.createMany({
      data: [
        {
          name: 'HubSpot contacts',
          type: 'HUBSPOT',
          status: 'ERROR',
          direction: 'BIDIRECTIONAL',
          frequency: 'EVERY_15_MIN',
          credentialsEnc: SECRET,
          webhookSecretEnc: SECRET,
          lastSyncAt: new Date('2026-11-21T08:30:00.000Z'),
        },
        { name: 'Asana <tasks> & more', type: 'ASANA', credentialsEnc: SECRET },
      ],
    });
    const response = await fetch(`${http.url}/`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('<caption>');
    expect(html).toContain('HubSpot contacts');
    // React escapes names: no markup injection from integration data.
    expect(html).toContain('Asana &lt;tasks&gt; &amp; more');
    expect(html).toContain('Every 15 min');
    expect(html).toContain('2026-11-21 08:30 UTC');
    expect(html).toMatch(/class="badge badge--error[^"]*"[^>]*>Error</);
    // The page and the hydration data embedded in it.
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain('credentialsEnc');
    expect(html).not.toContain('webhookSecretEnc');
  });

  it('serves fingerprinted assets with an immutable cache', async () => {
    const html = await (await fetch(`${http.url}/`)).text();
    const asset = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const response = await fetch(`${http.url}${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('still answers /healthz and /trpc next to Remix', async () => {
    expect((await fetch(`${http.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${http.url}/trpc/health.check`)).status).toBe(200);
  });
});

describe('the server build', () => {
  it('imports only packages the web app depends on', () => {
    // A bare import of anything else (pg, @prisma/*) fails at start: pnpm links only declared
    // dependencies into apps/web/node_modules. See externalDatabasePackage in vite.config.ts.
    const manifest = JSON.parse(readFileSync(path.join(webRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const code = readFileSync(path.join(webRoot, 'build', 'server', 'index.js'), 'utf8');
    const specifiers = [...code.matchAll(/^import\s[^'"]*["']([^"']+)["']/gm)].map((m) => m[1] ?? '');
    const packages = specifiers
      .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
      .map((s) =>
        s
          .split('/')
          .slice(0, s.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.filter((name) => !(name in manifest.dependencies))).toEqual([]);
  });
});

describe('the sign-in form', () => {
  it('signs in with the form, then lists the integrations; a wrong password gets an error', async () => {
    const { createUser } = await import('@syncbridge/api');
    await createUser(
      db,
      { userId: null, ip: null },
      { email: 'form@signin.test', password: 'correct horse battery', role: 'VIEWER' },
    );
    await db.prisma.integration.create({ data: { name: 'Visible after sign-in', type: 'ASANA' } });

    const page = await fetch(`${http.url}/sign-in`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/sign-in">');

    const wrong = await fetch(`${http.url}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'form@signin.test', password: 'wrong password!!' }),
    });
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toBe('/sign-in?error=invalid');
    expect(await (await fetch(`${http.url}/sign-in?error=invalid`)).text()).toContain(
      'Email or password is incorrect.',
    );

    const ok = await fetch(`${http.url}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'form@signin.test', password: 'correct horse battery' }),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/');
    const session = ok.headers.getSetCookie().find((c) => c.startsWith('sb_session='));
    expect(session).toMatch(/HttpOnly/i);
    const html = await (await fetch(`${http.url}/`, { headers: { cookie: session!.split(';')[0]! } })).text();
    expect(html).toContain('Visible after sign-in');
  });
});
