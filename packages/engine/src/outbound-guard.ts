// The SSRF guard: integrations may not make the server connect to loopback, link-local, private or
// other internal addresses (outbound-policy.ts) unless OUTBOUND_ALLOWLIST allows them. Two levels:
//
//  - checkOutboundUrl / assertOutboundUrl: when an integration's base URL is saved or tested, so the
//    admin gets a clear VALIDATION error at once;
//  - installOutboundGuard: every TCP connection the process opens is checked against the address it
//    actually connects to, after DNS resolution. Each HTTP stack the connectors use (fetch/undici,
//    node:http with the SDKs' own agents, axios, superagent, gaxios, node-fetch) ends in
//    net.Socket#connect, so one check there covers all of them, every redirect hop (a new
//    connection) and DNS rebinding (the address checked is the address connected to).
//
// The connect-time guard sees every socket, the database's too: the web and worker processes add
// the endpoints their own configuration names (DATABASE_URL, SMTP, alert webhooks) to the policy
// they install (endpointEntry). Unix-socket connections are not network connections and pass.
import dns from 'node:dns';
import net from 'node:net';
import { AppError } from './errors.ts';
import {
  addressBytes,
  hostAllowed,
  normaliseHost,
  refusalFor,
  type OutboundPolicy,
  type OutboundRefusal,
} from './outbound-policy.ts';

export {
  classifyAddress,
  createOutboundPolicy,
  endpointEntry,
  outboundEnvFields,
  parseAllowlist,
  ZOutboundAllowlist,
  type OutboundAllowEntry,
  type OutboundPolicy,
  type OutboundRefusal,
} from './outbound-policy.ts';

export const OUTBOUND_REFUSED = 'ERR_OUTBOUND_REFUSED';

/** The error a refused connection fails with (as the socket's error, so every HTTP client reports it). */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
  readonly code = OUTBOUND_REFUSED;
  constructor(readonly refusal: OutboundRefusal) {
    const target = refusal.address === refusal.host ? refusal.host : `${refusal.host} (${refusal.address})`;
    super(
      `outbound connection to ${target} port ${refusal.port} refused: ${refusal.reason}; allow it in OUTBOUND_ALLOWLIST if it is intended`,
    );
  }
}

// ── At validation ─────────────────────────────────────────────────────────────────────────────────

export type UrlRefusal = { kind: 'scheme'; protocol: string } | { kind: 'address'; refusal: OutboundRefusal };

type LookupAll = (host: string) => Promise<{ address: string }[]>;

const defaultLookup: LookupAll = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/** How long validation waits for DNS; a name that does not resolve in time is left to the connect-time guard. */
export const URL_CHECK_DNS_TIMEOUT_MS = 3_000;

/**
 * Why the server must not connect to `url`, or null. Only http and https are allowed. A host name is
 * resolved and refused when any of its addresses is; a name that does not resolve is not refused
 * here (the connection test reports it unreachable, and the connect-time guard still applies).
 */
export async function checkOutboundUrl(
  url: string,
  policy: OutboundPolicy,
  options: { lookup?: LookupAll; timeoutMs?: number } = {},
): Promise<UrlRefusal | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'scheme', protocol: '(not a URL)' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'scheme', protocol: parsed.protocol };
  const host = normaliseHost(parsed.hostname);
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  let addresses: string[];
  if (addressBytes(host)) addresses = [host];
  else if (hostAllowed(policy, host, port)) return null;
  else {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), options.timeoutMs ?? URL_CHECK_DNS_TIMEOUT_MS);
    });
    const found = await Promise.race([(options.lookup ?? defaultLookup)(host).catch(() => null), timeout]).finally(() =>
      clearTimeout(timer),
    );
    addresses = found?.map((entry) => entry.address) ?? [];
  }
  for (const address of addresses) {
    const refusal = refusalFor(policy, host, address, port);
    if (refusal) return { kind: 'address', refusal };
  }
  return null;
}

/**
 * Throws a VALIDATION AppError when `url` is refused. The message names the host, the address and
 * why, never the whole URL (it may carry credentials in its user info or query).
 */
export async function assertOutboundUrl(
  url: string,
  policy: OutboundPolicy,
  options: { what?: string; lookup?: LookupAll; timeoutMs?: number } = {},
): Promise<void> {
  const what = options.what ?? 'base URL';
  const refused = await checkOutboundUrl(url, policy, options);
  if (!refused) return;
  if (refused.kind === 'scheme') {
    throw new AppError('VALIDATION', `The ${what} must be an http:// or https:// URL (not ${refused.protocol}).`, {
      details: { field: 'baseUrl' },
    });
  }
  const { refusal } = refused;
  const where =
    refusal.address === refusal.host ? refusal.host : `${refusal.host}, which resolves to ${refusal.address}`;
  throw new AppError(
    'VALIDATION',
    `The ${what} points at a private/loopback address (${where}: ${refusal.reason}). ` +
      'The server does not connect there unless OUTBOUND_ALLOWLIST allows it.',
    { details: { field: 'baseUrl', host: refusal.host, port: refusal.port, reason: refusal.reason } },
  );
}

// ── At connect time ───────────────────────────────────────────────────────────────────────────────

type LookupFunction = NonNullable<net.TcpSocketConnectOpts['lookup']>;
type LookupCallback = Parameters<LookupFunction>[2];
type ConnectFunction = (this: net.Socket, ...args: unknown[]) => net.Socket;

const ORIGINAL_CONNECT = Symbol.for('syncbridge.outboundGuard.originalConnect');
type GuardedPrototype = net.Socket & { [ORIGINAL_CONNECT]?: ConnectFunction };

// Process-wide, like the patched prototype itself (should this module ever be loaded twice).
const ACTIVE_POLICY = Symbol.for('syncbridge.outboundGuard.policy');
const state = globalThis as { [ACTIVE_POLICY]?: OutboundPolicy | null };

/** net.Socket#connect's arguments as options, or null for a Unix socket / named pipe (not guarded). */
function connectOptions(args: unknown[]): { options: net.TcpSocketConnectOpts; callback?: unknown } | null {
  const [first] = args;
  let options: Record<string, unknown>;
  let callback: unknown;
  if (Array.isArray(first)) {
    // net.connect() hands over its already-normalised [options, callback].
    options = first[0] as Record<string, unknown>;
    callback = first[1];
  } else if (typeof first === 'object' && first !== null) {
    options = first as Record<string, unknown>;
    callback = args[1];
  } else {
    // socket.connect(port[, host][, cb]) or socket.connect(path[, cb]), as net's normalizeArgs reads them.
    const isPath = typeof first === 'string' && !(Number(first) >= 0);
    options = isPath ? { path: first } : { port: first, ...(typeof args[1] === 'string' ? { host: args[1] } : {}) };
    callback = args.at(-1);
  }
  // As net does: a truthy `path` is a Unix socket or named pipe (http.Agent passes `path: null` otherwise).
  if (options.path) return null;
  return {
    options: options as unknown as net.TcpSocketConnectOpts,
    callback: typeof callback === 'function' ? callback : undefined,
  };
}

/** Wraps a lookup so that it fails when any address it finds is refused. */
function guardedLookup(policy: OutboundPolicy, port: number, lookup: LookupFunction): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const found = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      for (const candidate of found) {
        const refusal = refusalFor(policy, hostname, candidate, port);
        if (refusal) return callback(new OutboundRefusedError(refusal) as NodeJS.ErrnoException, '', 0);
      }
      callback(null, address, family);
    });
  }) as LookupFunction;
}

function guardedConnect(original: ConnectFunction): ConnectFunction {
  return function connect(this: net.Socket, ...args: unknown[]): net.Socket {
    const policy = state[ACTIVE_POLICY] ?? null;
    const parsed = policy ? connectOptions(args) : null;
    if (!policy || !parsed) return original.apply(this, args);
    const { options, callback } = parsed;
    const host = options.host ?? 'localhost';
    const port = Number(options.port);
    if (net.isIP(normaliseHost(host))) {
      const refusal = refusalFor(policy, host, host, port);
      if (!refusal) return original.apply(this, args);
      // Failed like a refused connection: asynchronously, as the socket's error.
      process.nextTick(() => this.destroy(new OutboundRefusedError(refusal)));
      return this;
    }
    if (hostAllowed(policy, host, port)) return original.apply(this, args);
    const lookup = guardedLookup(policy, port, (options.lookup ?? dns.lookup) as LookupFunction);
    const next = Object.setPrototypeOf(
      { ...options, lookup },
      Object.getPrototypeOf(options) as object | null,
    ) as object;
    return callback ? original.call(this, next, callback) : original.call(this, next);
  };
}

/**
 * Checks every TCP connection of this process against `policy` from now on (a second call replaces
 * the policy). Returns a function that removes the guard (tests).
 */
export function installOutboundGuard(policy: OutboundPolicy): () => void {
  const proto = net.Socket.prototype as GuardedPrototype;
  if (!proto[ORIGINAL_CONNECT]) {
    const original = proto.connect as unknown as ConnectFunction;
    proto[ORIGINAL_CONNECT] = original;
    proto.connect = guardedConnect(original) as unknown as net.Socket['connect'];
  }
  state[ACTIVE_POLICY] = policy;
  return () => {
    state[ACTIVE_POLICY] = null;
    const original = proto[ORIGINAL_CONNECT];
    if (original) {
      proto.connect = original as unknown as net.Socket['connect'];
      delete proto[ORIGINAL_CONNECT];
    }
  };
}

/** The policy the connect-time guard applies, or null when none is installed. */
export function installedOutboundPolicy(): OutboundPolicy | null {
  return state[ACTIVE_POLICY] ?? null;
}
