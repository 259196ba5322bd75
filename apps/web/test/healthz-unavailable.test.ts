import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '@syncbridge/db';
import { findFreePort } from '@syncbridge/db/embedded';
import { createWebServer } from '../server/app.ts';
import { listen, silentLogger } from './helpers.ts';

// A port nothing listens on: every connection attempt is refused at once.
let db: ReturnType<typeof createDatabase>;
let http: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  db = createDatabase({ connectionString: `postgres://nobody:secret-pw@127.0.0.1:${await findFreePort()}/none` });
  const web = await createWebServer({ db, logger: silentLogger, mode: 'api-only' });
  http = await listen(web.app);
});
afterAll(async () => {
  await http?.close();
  await db?.close();
});

describe('/healthz without a database', () => {
  it('answers 503 so load balancers and senders back off', async () => {
    const response = await fetch(`${http.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', database: false });
  });

  it('hides the driver error from tRPC clients', async () => {
    // A session cookie makes the request look the session up, which meets the dead database.
    const response = await fetch(`${http.url}/trpc/integrations.list`, {
      headers: { cookie: `sb_session=${'a'.repeat(43)}` },
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain('Internal server error');
    expect(text).not.toContain('secret-pw');
    expect(text).not.toContain('ECONNREFUSED');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
