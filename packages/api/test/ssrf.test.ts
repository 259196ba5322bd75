// SSRF: an integration may not make the server connect to loopback, link-local, private or other
// internal addresses unless OUTBOUND_ALLOWLIST allows them. Checked twice: when a base URL is saved
// or tested (a VALIDATION error naming the host, never the credentials), and at connect time for
// every socket (installOutboundGuard), so that a redirect or a DNS answer cannot get around it.
//
// Only loopback servers are ever connected to here. Private and link-local addresses appear only
// where the check refuses them before any connection is attempted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createRestSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import type { IntegrationType, UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import {
  createConnectorProvider,
  createOutboundPolicy,
  endpointEntry,
  installOutboundGuard,
  OUTBOUND_REFUSED,
  parseAllowlist,
  testSecret,
  type OutboundPolicy,
} from '@syncbridge/engine';
import type { AppCaller, SessionUser } from '../src/index.ts';
import { callerFor, createRoleUsers, keyRingWith } from './helpers.ts';

const db = useTestDatabase();
const { ring } = keyRingWith('k1');
const TOKEN = testSecret();

interface CountingServer {
  port: number;
  url: string;
  /** TCP connections accepted so far: a refused connection never gets here. */
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

async function countingServer(handler: http.RequestListener): Promise<CountingServer> {
  const server = http.createServer(handler);
  const state = { connections: 0, requests: [] as string[] };
  server.on('connection', () => state.connections++);
  server.on('request', (req: http.IncomingMessage) => state.requests.push(`${req.method} ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

let users: Record<UserRole, SessionUser>;
let sandbox: SandboxServer;
/** Not allowlisted: the internal service an attacker wants to reach. Answers anything with 200 {}. */
let target: CountingServer;
/** Allowlisted, standing in for a public host: redirects every request to `target`. */
let redirector: CountingServer;
/** Where the redirector sends requests: `target` except in a control check. */
let redirectTo: CountingServer;
let policy: OutboundPolicy;
let admin: AppCaller;

/** The TRPCError a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw error;
  return error;
}

beforeAll(async () => {
  users = await createRoleUsers(db);
  sandbox = await createRestSandbox({ token: TOKEN }).start();
  target = await countingServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  redirectTo = target;
  redirector = await countingServer((req, res) => {
    res.writeHead(302, { location: `${redirectTo.url}${req.url ?? '/'}` });
    res.end();
  });
  policy = createOutboundPolicy(parseAllowlist(`${new URL(sandbox.url).host},127.0.0.1:${redirector.port}`));
  admin = callerFor(db, users.ADMIN, { keyRing: ring, outbound: policy });
});

afterAll(async () => {
  await Promise.all([sandbox?.close(), target?.close(), redirector?.close()]);
});

describe('base URL validation (integrations.create and testConnection)', () => {
  const refused = () => [
    // Loopback, in every spelling the WHATWG URL parser accepts.
    `http://127.0.0.1:${target.port}/api`,
    'http://127.1.2.3/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://017700000001/',
    'http://127.1/',
    `http://[::1]:${target.port}/`,
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    // A host name resolving to loopback.
    `http://localhost:${target.port}/`,
    'http://LOCALHOST./',
    // Cloud metadata and link-local.
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fe80::1]/',
    // Private ranges.
    'http://10.0.0.5/',
    'http://172.16.0.1/',
    'http://172.31.255.254/',
    'http://192.168.1.1/',
    'http://[::ffff:10.0.0.1]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    // Shared address space, "this network", multicast, broadcast.
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://0/',
    'http://224.0.0.1/',
    'http://[ff02::1]/',
    'http://255.255.255.255/',
  ];

  it('refuses every internal address on create, before storing anything or connecting', async () => {
    const before = await db.prisma.integration.count();
    for (const baseUrl of refused()) {
      const error = await failure(
        admin.integrations.create({
          name: 'internal',
          type: 'GENERIC_REST',
          baseUrl,
          credentials: { token: TOKEN },
          testConnection: true,
        }),
      );
      expect(error.code, baseUrl).toBe('BAD_REQUEST');
      expect(error.message, baseUrl).toMatch(/base URL points at a private\/loopback address/);
      expect(error.message).not.toContain(TOKEN);
    }
    expect(await db.prisma.integration.count()).toBe(before);
    expect(target.connections).toBe(0);
  });

  it('refuses the same addresses in a connection test of a draft', async () => {
    for (const baseUrl of refused()) {
      const error = await failure(
        admin.integrations.testConnection({ type: 'GENERIC_REST', baseUrl, credentials: { token: TOKEN } }),
      );
      expect(error.code, baseUrl).toBe('BAD_REQUEST');
      expect(error.message, baseUrl).toMatch(/private\/loopback address/);
    }
    expect(target.connections).toBe(0);
  });

  it('names the host and the kind of address, never the path, query or credentials', async () => {
    const error = await failure(
      admin.integrations.create({
        name: 'metadata',
        type: 'GENERIC_REST',
        baseUrl: `http://169.254.169.254/latest/meta-data/iam?key=${TOKEN}`,
        credentials: { token: TOKEN },
      }),
    );
    expect(error.message).toContain('169.254.169.254');
    expect(error.message).toContain('link-local');
    expect(error.message).toContain('OUTBOUND_ALLOWLIST');
    expect(error.message).not.toContain('meta-data');
    expect(error.message).not.toContain(TOKEN);
    const resolved = await failure(
      admin.integrations.create({ name: 'local', type: 'GENERIC_REST', baseUrl: `http://localhost:${target.port}/x` }),
    );
    expect(resolved.message).toMatch(/localhost, which resolves to (127\.0\.0\.1|::1): a loopback address/);
  });

  it('refuses non-http schemes and user:password in the URL', async () => {
    for (const baseUrl of [
      'file:///etc/passwd',
      'ftp://example.com/',
      'gopher://127.0.0.1:70/',
      'javascript:alert(1)',
    ]) {
      const error = await failure(admin.integrations.create({ name: 'scheme', type: 'GENERIC_REST', baseUrl }));
      expect(error.code, baseUrl).toBe('BAD_REQUEST');
    }
    const withUser = await failure(
      admin.integrations.create({
        name: 'userinfo',
        type: 'GENERIC_REST',
        baseUrl: `https://user:${TOKEN}@api.example.com/`,
      }),
    );
    expect(withUser.code).toBe('BAD_REQUEST');
    expect(withUser.message).toContain('must not contain a user name or password');
    expect(withUser.message).not.toContain(TOKEN);
  });

  it('checks a stored integration again before testing it (saved around the API or before the allowlist changed)', async () => {
    const stored = await db.prisma.integration.create({
      data: { name: 'legacy', type: 'GENERIC_REST', baseUrl: `http://127.0.0.1:${target.port}/` },
    });
    const error = await failure(admin.integrations.testConnection({ id: stored.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(target.connections).toBe(0);
  });

  it('accepts public addresses and allowlisted ones: exact host:port, CIDR, host name', async () => {
    // Saved without a connection test: nothing connects to the public address.
    const publicOne = await admin.integrations.create({
      name: 'public',
      type: 'GENERIC_REST',
      baseUrl: 'https://93.184.215.14/api',
    });
    expect(publicOne.integration.baseUrl).toBe('https://93.184.215.14/api');

    const created = await admin.integrations.create({
      name: 'sandbox',
      type: 'GENERIC_REST',
      baseUrl: sandbox.url,
      authType: 'BEARER_TOKEN',
      credentials: { token: TOKEN },
      testConnection: true,
    });
    expect(created.connection).toMatchObject({ ok: true, status: 'connected' });

    const byRange = callerFor(db, users.ADMIN, {
      keyRing: ring,
      outbound: createOutboundPolicy(parseAllowlist('127.0.0.0/8')),
    });
    const ranged = await byRange.integrations.testConnection({
      type: 'GENERIC_REST',
      baseUrl: sandbox.url,
      credentials: { token: TOKEN },
    });
    expect(ranged).toMatchObject({ ok: true });

    const byName = callerFor(db, users.ADMIN, {
      keyRing: ring,
      outbound: createOutboundPolicy(parseAllowlist(`localhost:${new URL(sandbox.url).port}`)),
    });
    const named = await byName.integrations.testConnection({
      type: 'GENERIC_REST',
      baseUrl: `http://localhost:${new URL(sandbox.url).port}`,
      credentials: { token: TOKEN },
    });
    expect(named).toMatchObject({ ok: true });
  });
});

describe('connect-time guard (every socket of the process)', () => {
  let uninstall: () => void;
  const guard = (extra: string[] = []) =>
    installOutboundGuard(
      createOutboundPolicy([...policy.allow, ...parseAllowlist(extra.join(',')), endpointEntry(db.url)]),
    );

  beforeAll(() => {
    uninstall = guard();
  });
  afterAll(() => uninstall?.());

  /** An integration row at the redirector, saved around the API (so only the connect-time guard is tested). */
  type HttpType = 'GENERIC_REST' | 'SMARTSHEET' | 'WEBFLOW' | 'SMARTSUITE' | 'HUBSPOT' | 'ASANA' | 'GOOGLE_SHEETS';
  /**
   * One per HTTP stack: fetch (REST, SmartSuite, the Webflow SDK), axios (Smartsheet SDK), the HubSpot
   * SDK with its own keep-alive http.Agent, superagent (Asana SDK), gaxios (googleapis).
   */
  const viaRedirector: Record<HttpType, { path: string; credentials: Record<string, unknown> }> = {
    GENERIC_REST: { path: '', credentials: { token: TOKEN } },
    SMARTSHEET: { path: '/2.0', credentials: { accessToken: TOKEN } },
    WEBFLOW: { path: '', credentials: { accessToken: TOKEN } },
    SMARTSUITE: { path: '', credentials: { apiKey: TOKEN } },
    HUBSPOT: { path: '', credentials: { accessToken: TOKEN } },
    ASANA: { path: '/api/1.0', credentials: { accessToken: TOKEN } },
    GOOGLE_SHEETS: { path: '/', credentials: { accessToken: TOKEN } },
  };

  async function storedAt(type: IntegrationType, baseUrl: string, credentials: Record<string, unknown>) {
    const sealed = ring.encrypt(JSON.stringify(credentials));
    return db.prisma.integration.create({
      data: {
        name: `${type} at ${baseUrl}`,
        type,
        baseUrl,
        credentialsEnc: sealed.ciphertext,
        credentialsKeyId: sealed.keyId,
        settings: type === 'SMARTSUITE' ? { accountId: 'ws1' } : {},
      },
    });
  }

  /**
   * Runs `probe` once with `control` (a fresh loopback server) allowlisted, and says how many
   * connections it got: proves the client really goes there when allowed, so that a refusal seen
   * elsewhere is the guard's doing. The server is closed afterwards, so no kept-alive connection to an
   * address allowed only here outlives the check.
   */
  async function connectionsWhenAllowed(probe: (control: CountingServer) => Promise<unknown>): Promise<number> {
    const control = await countingServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    guard([`127.0.0.1:${control.port}`]);
    try {
      await probe(control);
      return control.connections;
    } finally {
      guard();
      await control.close();
    }
  }

  const types = Object.keys(viaRedirector) as (keyof typeof viaRedirector)[];

  it.each(types)('%s: its HTTP client is refused a loopback address that validation never saw', async (type) => {
    const { path, credentials } = viaRedirector[type];
    // The connector straight from the registry, as the worker builds it: no base URL validation.
    const connectors = createConnectorProvider({ pool: db.pool, keyRing: ring });
    const integration = await storedAt(type, `${target.url}${path}`, credentials);
    const check = await (await connectors(integration)).testConnection();
    expect(check.ok).toBe(false);
    expect(target.connections).toBe(0);

    const allowed = await connectionsWhenAllowed(async (control) => {
      const same = await storedAt(type, `${control.url}${path}`, credentials);
      await (await connectors(same)).testConnection();
    });
    expect(allowed).toBeGreaterThan(0);
  });

  // The clients that follow redirects (fetch in the REST connector, superagent in the Asana SDK,
  // gaxios in googleapis); the others stop at the 302 whatever the guard says.
  it.each(['GENERIC_REST', 'ASANA', 'GOOGLE_SHEETS'] as const)(
    '%s: a redirect from an allowlisted host to an internal one is refused at connect time',
    async (type) => {
      const { path, credentials } = viaRedirector[type];
      const integration = await storedAt(type, `${redirector.url}${path}`, credentials);
      // The validation passes (the redirector is allowlisted): only the connect-time guard can stop it.
      const redirectsBefore = redirector.requests.length;
      const check = await admin.integrations.testConnection({ id: integration.id });
      expect(redirector.requests.length).toBeGreaterThan(redirectsBefore);
      expect(check.ok).toBe(false);
      expect(target.connections).toBe(0);

      // The same redirect to an allowlisted server is followed.
      const followed = await connectionsWhenAllowed(async (control) => {
        redirectTo = control;
        try {
          await admin.integrations.testConnection({ id: integration.id });
        } finally {
          redirectTo = target;
        }
      });
      expect(followed).toBeGreaterThan(0);
    },
  );

  it('refuses a direct connection to a loopback host name or address that validation never saw', async () => {
    const connectors = createConnectorProvider({ pool: db.pool, keyRing: ring });
    for (const baseUrl of [
      `http://localhost:${target.port}`,
      `http://[::1]:${target.port}`,
      `http://127.0.0.1:${target.port}`,
    ]) {
      const integration = await storedAt('GENERIC_REST', baseUrl, { token: TOKEN });
      const result = await (await connectors(integration)).testConnection();
      expect(result.ok, baseUrl).toBe(false);
      expect(result.error?.message ?? result.message, baseUrl).toMatch(/refused: a loopback address/);
    }
    expect(target.connections).toBe(0);
  });

  it('checks the address DNS answers with, not the name (rebinding)', async () => {
    // A resolver answering 127.0.0.1 for a public-looking name, as a rebinding attacker's would.
    const rebinding = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as never;
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const request = http.get({ host: 'api.rebind.example', port: target.port, path: '/', lookup: rebinding }, () =>
        reject(new Error('connected')),
      );
      request.on('error', resolve);
    });
    expect(error.code).toBe(OUTBOUND_REFUSED);
    expect(error.message).toContain('api.rebind.example (127.0.0.1)');
    expect(target.connections).toBe(0);
  });

  it('lets allowlisted services and the database through', async () => {
    const integration = await storedAt('GENERIC_REST', sandbox.url, { token: TOKEN });
    const check = await admin.integrations.testConnection({ id: integration.id });
    expect(check).toMatchObject({ ok: true, status: 'connected' });
    // A fresh database connection (pool clients are opened on demand) passes through the guard.
    const client = await db.pool.connect();
    try {
      expect((await client.query<{ one: number }>('select 1 as one')).rows[0]?.one).toBe(1);
    } finally {
      client.release();
    }
  });
});
