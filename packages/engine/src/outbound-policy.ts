// Which network addresses the server may connect to on behalf of an integration (the SSRF policy).
// Pure: address parsing, the refused ranges, and the OUTBOUND_ALLOWLIST entries; outbound-guard.ts
// applies it to URLs (when an integration is saved or tested) and to every TCP connection.
import net from 'node:net';
import { z } from 'zod';

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
type AddressBytes = number[];

function ipv4Bytes(text: string): AddressBytes | null {
  if (!net.isIPv4(text)) return null;
  return text.split('.').map(Number);
}

function ipv6Bytes(input: string): AddressBytes | null {
  const text = input.replace(/%.*$/, ''); // zone id (fe80::1%eth0)
  if (!net.isIPv6(text)) return null;
  let tail: number[] = [];
  let head = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail = ipv4Bytes(dotted[1]!) ?? [];
    head = text.slice(0, -dotted[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const leftGroups = groups(left ?? '');
  const rightGroups = right === undefined ? [] : groups(right);
  const missing = 8 - tail.length / 2 - leftGroups.length - rightGroups.length;
  const all = [...leftGroups, ...Array<number>(right === undefined ? 0 : missing).fill(0), ...rightGroups];
  return [...all.flatMap((group) => [group >> 8, group & 0xff]), ...tail];
}

/** Bytes of an IP literal (brackets allowed around IPv6), IPv4-mapped IPv6 reduced to IPv4; null if not an IP. */
export function addressBytes(literal: string): AddressBytes | null {
  const text = literal.startsWith('[') && literal.endsWith(']') ? literal.slice(1, -1) : literal;
  const v4 = ipv4Bytes(text);
  if (v4) return v4;
  const v6 = ipv6Bytes(text);
  if (!v6) return null;
  // ::ffff:a.b.c.d is a.b.c.d on a dual-stack socket.
  if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return v6.slice(12);
  return v6;
}

function inPrefix(address: AddressBytes, network: AddressBytes, prefix: number): boolean {
  if (address.length !== network.length) return false;
  for (let bit = 0; bit < prefix; bit += 8) {
    const bits = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((address[bit / 8]! & mask) !== (network[bit / 8]! & mask)) return false;
  }
  return true;
}

interface Range {
  bytes: AddressBytes;
  prefix: number;
  label: string;
}

function range(cidr: string, label: string): Range {
  const [address, prefix] = cidr.split('/');
  return { bytes: addressBytes(address!)!, prefix: Number(prefix), label };
}

// Special-purpose registries: https://www.iana.org/assignments/iana-ipv4-special-registry and
// https://www.iana.org/assignments/iana-ipv6-special-registry. Everything here is refused by default.
const REFUSED_V4: Range[] = [
  range('0.0.0.0/8', 'an unspecified ("this network") address'),
  range('10.0.0.0/8', 'a private address'),
  range('100.64.0.0/10', 'a shared (carrier-grade NAT) address'),
  range('127.0.0.0/8', 'a loopback address'),
  range('169.254.0.0/16', 'a link-local address'),
  range('172.16.0.0/12', 'a private address'),
  range('192.0.0.0/24', 'a reserved address'),
  range('192.0.2.0/24', 'a documentation address'),
  range('192.88.99.0/24', 'a reserved address'),
  range('192.168.0.0/16', 'a private address'),
  range('198.18.0.0/15', 'a reserved (benchmarking) address'),
  range('198.51.100.0/24', 'a documentation address'),
  range('203.0.113.0/24', 'a documentation address'),
  range('224.0.0.0/4', 'a multicast address'),
  range('240.0.0.0/4', 'a reserved address'),
];

const REFUSED_V6: Range[] = [
  range('::/128', 'an unspecified address'),
  range('::1/128', 'a loopback address'),
  range('::/96', 'a reserved (IPv4-compatible) address'),
  range('64:ff9b:1::/48', 'a reserved (local NAT64) address'),
  range('100::/64', 'a reserved (discard) address'),
  range('2001::/32', 'a reserved (Teredo) address'),
  range('2001:db8::/32', 'a documentation address'),
  range('fc00::/7', 'a private (unique local) address'),
  range('fe80::/10', 'a link-local address'),
  range('fec0::/10', 'a reserved (site-local) address'),
  range('ff00::/8', 'a multicast address'),
];

/** IPv6 forms that carry an IPv4 address a gateway would connect to: NAT64 and 6to4. */
const EMBEDDED_V4: { range: Range; offset: number }[] = [
  { range: range('64:ff9b::/96', 'NAT64'), offset: 12 },
  { range: range('2002::/16', '6to4'), offset: 2 },
];

/**
 * Why an address must not be connected to by default ("a loopback address", …), or null for a
 * public one. Accepts any IP literal: IPv4, IPv6, bracketed, IPv4-mapped; null for a non-IP.
 */
export function classifyAddress(literal: string): string | null {
  const bytes = addressBytes(literal);
  if (!bytes) return null;
  const ranges = bytes.length === 4 ? REFUSED_V4 : REFUSED_V6;
  for (const { bytes: network, prefix, label } of ranges) if (inPrefix(bytes, network, prefix)) return label;
  if (bytes.length === 16) {
    for (const { range: embedding, offset } of EMBEDDED_V4) {
      if (!inPrefix(bytes, embedding.bytes, embedding.prefix)) continue;
      const inner = classifyAddress(bytes.slice(offset, offset + 4).join('.'));
      if (inner) return `${inner} (through ${embedding.label})`;
    }
  }
  return null;
}

// ── OUTBOUND_ALLOWLIST ────────────────────────────────────────────────────────────────────────────

/** One allowlist entry: a network (CIDR or one address) or a host name, optionally on one port. */
export type OutboundAllowEntry =
  | { kind: 'network'; bytes: AddressBytes; prefix: number; port: number | null; text: string }
  | { kind: 'host'; host: string; port: number | null; text: string };

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Lower case, no trailing dot, no IPv6 brackets: the form hosts are compared in. */
export function normaliseHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.toLowerCase().replace(/\.$/, '');
}

function parsePort(text: string | undefined): number | null | undefined {
  if (text === undefined) return null;
  const port = Number(text);
  return /^\d{1,5}$/.test(text) && port >= 1 && port <= 65_535 ? port : undefined;
}

/**
 * Parses one entry: `10.0.0.0/8`, `fd00::/8`, `127.0.0.1`, `127.0.0.1:4010`, `[::1]:4010`,
 * `sandbox.internal`, `sandbox.internal:8080`. Throws with a message naming the entry when malformed.
 */
export function parseAllowEntry(raw: string): OutboundAllowEntry {
  const text = raw.trim();
  const fail = (why: string): never => {
    throw new Error(`"${text.slice(0, 100)}" ${why}`);
  };
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (cidr) {
    const bytes = addressBytes(cidr[1]!);
    const prefix = Number(cidr[2]);
    if (!bytes) return fail('is not a CIDR range (address/prefix)');
    if (prefix > bytes.length * 8) return fail(`has a prefix longer than ${bytes.length * 8} bits`);
    return { kind: 'network', bytes, prefix, port: null, text };
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4 = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(text);
  const address = bracketed ?? v4 ?? (net.isIPv6(text) ? [text, text, undefined] : null);
  if (address) {
    const bytes = addressBytes(address[1]!);
    if (!bytes) return fail('is not an IP address');
    const port = parsePort(address[2]);
    if (port === undefined) return fail('has a port outside 1–65535');
    return { kind: 'network', bytes, prefix: bytes.length * 8, port, text };
  }
  const named = /^([^:]+)(?::(\d+))?$/.exec(text);
  const host = named ? normaliseHost(named[1]!) : '';
  if (!named || !HOST_NAME.test(host)) return fail('is not a host, host:port, IP address or CIDR range');
  const port = parsePort(named[2]);
  if (port === undefined) return fail('has a port outside 1–65535');
  return { kind: 'host', host, port, text };
}

/** A comma-separated OUTBOUND_ALLOWLIST; throws naming the first bad entry. */
export function parseAllowlist(text: string): OutboundAllowEntry[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseAllowEntry);
}

/** OUTBOUND_ALLOWLIST as an env-schema field: a string in, the parsed entries out. */
export const ZOutboundAllowlist = z.string().transform((text, ctx): OutboundAllowEntry[] => {
  try {
    return parseAllowlist(text);
  } catch (error) {
    ctx.issues.push({ code: 'custom', message: error instanceof Error ? error.message : 'is invalid', input: '' });
    return z.NEVER;
  }
});

/** Fields to spread into an app's env z.object({...}). */
export const outboundEnvFields = {
  /**
   * Private, loopback and other internal addresses integrations may connect to anyway: comma-separated
   * hosts, host:port, IP addresses ([::1]:port for IPv6) or CIDR ranges. Default: none.
   */
  OUTBOUND_ALLOWLIST: ZOutboundAllowlist.default([]),
};

const DEFAULT_PORTS: Record<string, number> = {
  'http:': 80,
  'https:': 443,
  'postgres:': 5432,
  'postgresql:': 5432,
  'smtp:': 587,
  'smtps:': 465,
};

/**
 * The exact host:port a configured service URL connects to (the database, an SMTP server, an alert
 * webhook), as an allowlist entry; null when the URL names no TCP host (a Unix socket) or is unset.
 */
export function endpointEntry(url: string | null | undefined): OutboundAllowEntry | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  // postgres://…?host=/var/run/postgresql: a socket path, not a TCP host.
  if (!parsed.hostname || parsed.searchParams.get('host')?.startsWith('/')) return null;
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol];
  if (!port) return null;
  const host = normaliseHost(parsed.hostname);
  return parseAllowEntry(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
}

// ── The policy ────────────────────────────────────────────────────────────────────────────────────

export interface OutboundPolicy {
  readonly allow: readonly OutboundAllowEntry[];
}

export function createOutboundPolicy(allow: readonly (OutboundAllowEntry | string | null)[] = []): OutboundPolicy {
  return {
    allow: allow
      .filter((entry): entry is OutboundAllowEntry | string => entry !== null)
      .map((entry) => (typeof entry === 'string' ? parseAllowEntry(entry) : entry)),
  };
}

/** Why a connection was refused, in words safe to show (host, port and address only). */
export interface OutboundRefusal {
  host: string;
  port: number;
  address: string;
  /** "a loopback address", … */
  reason: string;
}

/** True when the host name itself (before any DNS lookup) is allowlisted for this port. */
export function hostAllowed(policy: OutboundPolicy, host: string, port: number): boolean {
  const name = normaliseHost(host);
  return policy.allow.some((entry) => entry.kind === 'host' && entry.host === name && (entry.port ?? port) === port);
}

/**
 * The refusal for connecting to `address` (what `host` resolved to, or the literal itself) on
 * `port`, or null when allowed: public addresses always are, others only when allowlisted.
 */
export function refusalFor(
  policy: OutboundPolicy,
  host: string,
  address: string,
  port: number,
): OutboundRefusal | null {
  const reason = classifyAddress(address);
  if (!reason) return null;
  if (hostAllowed(policy, host, port)) return null;
  const bytes = addressBytes(address)!;
  const allowed = policy.allow.some(
    (entry) => entry.kind === 'network' && inPrefix(bytes, entry.bytes, entry.prefix) && (entry.port ?? port) === port,
  );
  return allowed ? null : { host: normaliseHost(host), port, address: normaliseHost(address), reason };
}
