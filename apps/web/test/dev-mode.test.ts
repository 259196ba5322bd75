import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createWebServer, type WebServer } from '../server/app.ts';
import { signedInAs } from './auth-helpers.ts';
import { listen, SECRET, silentLogger } from './helpers.ts';

// Development mode renders through vite's dev server (no build needed).
const db = useTestDatabase();
let web: WebServer;
let http: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  web = await createWebServer({ db, logger: silentLogger, mode: 'development' });
  http = await listen(web.app);
});
afterAll(async () => {
  await http?.close();
  await web?.close();
});

describe('development mode', () => {
  it('server-renders the integrations page through vite', async () => {
    await db.prisma.integration.create({ data: { name: 'Dev Trello board', type: 'TRELLO', credentialsEnc: SECRET } });
    const { cookie } = await signedInAs(db, 'VIEWER');
    const response = await fetch(`${http.url}/`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Dev Trello board');
    expect(html).not.toContain(SECRET);
    // Sources come straight from vite, not from build/ (no fingerprinted /assets/ files).
    expect(html).toContain('href="/app/styles.css"');
    const css = await fetch(`${http.url}/app/styles.css?direct`);
    expect(css.status).toBe(200);
  });
});
