import { describe, expect, it } from 'vitest';
import {
  classifyAddress,
  createOutboundPolicy,
  endpointEntry,
  parseAllowlist,
  refusalFor,
  ZOutboundAllowlist,
} from './outbound-policy.ts';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    // IPv4-mapped IPv6, in both notations, is the IPv4 address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:192.168.0.1', 'private'],
    ['::ffff:100.64.0.1', 'carrier-grade NAT'],
    ['::ffff:0.0.0.0', 'unspecified'],
    // IPv4-compatible, NAT64 and 6to4 forms of internal IPv4 addresses.
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::169.254.169.254', 'link-local'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ])('%s is refused (%s)', (address, kind) => {
    expect(classifyAddress(address)).toContain(kind);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it('returns null for host names', () => {
    expect(classifyAddress('localhost')).toBeNull();
    expect(classifyAddress('0x7f000001')).toBeNull();
  });
});

describe('OUTBOUND_ALLOWLIST', () => {
  it('parses hosts, host:port, addresses, [IPv6]:port and CIDR ranges', () => {
    const entries = parseAllowlist(
      ' 127.0.0.1:4010, [::1]:4011 ,10.0.0.0/8,fd00::/8, Sandbox.Internal., api.local:8080,192.168.1.5 ',
    );
    expect(entries.map((e) => [e.kind, e.port])).toEqual([
      ['network', 4010],
      ['network', 4011],
      ['network', null],
      ['network', null],
      ['host', null],
      ['host', 8080],
      ['network', null],
    ]);
    expect(entries[4]).toMatchObject({ host: 'sandbox.internal' });
    expect(parseAllowlist('')).toEqual([]);
  });

  it.each([
    '10.0.0.0/33',
    'fd00::/129',
    '127.0.0.1:0',
    '127.0.0.1:70000',
    'exa mple.com',
    'http://x.com',
    'host:abc',
    '999.1.1.1',
  ])('refuses the malformed entry %s, naming it', (entry) => {
    expect(() => parseAllowlist(`127.0.0.1,${entry}`)).toThrow(entry.slice(0, 20));
  });

  it('is an env field: a string in, entries out, a message without other values on error', () => {
    expect(ZOutboundAllowlist.parse('127.0.0.1:1')).toHaveLength(1);
    const result = ZOutboundAllowlist.safeParse('127.0.0.1,not a host');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('"not a host"');
  });
});

describe('refusalFor', () => {
  const policy = createOutboundPolicy(parseAllowlist('127.0.0.1:4010,10.1.0.0/16,[::1]:4011,sandbox.internal:8080'));

  it('allows public addresses on any port', () => {
    expect(refusalFor(policy, 'api.example.com', '93.184.215.14', 443)).toBeNull();
  });

  it('allows exactly what the allowlist names: address and port, CIDR on any port, host name and port', () => {
    expect(refusalFor(policy, '127.0.0.1', '127.0.0.1', 4010)).toBeNull();
    expect(refusalFor(policy, '::ffff:127.0.0.1', '::ffff:127.0.0.1', 4010)).toBeNull();
    expect(refusalFor(policy, '127.0.0.1', '127.0.0.1', 4012)).toMatchObject({
      reason: 'a loopback address',
      port: 4012,
    });
    expect(refusalFor(policy, '127.0.0.2', '127.0.0.2', 4010)).not.toBeNull();
    expect(refusalFor(policy, 'db', '10.1.200.3', 5432)).toBeNull();
    expect(refusalFor(policy, 'db', '10.2.0.1', 5432)).toMatchObject({
      host: 'db',
      address: '10.2.0.1',
      reason: 'a private address',
    });
    expect(refusalFor(policy, '::1', '::1', 4011)).toBeNull();
    expect(refusalFor(policy, '::1', '::1', 4010)).not.toBeNull();
    expect(refusalFor(policy, 'Sandbox.Internal.', '172.20.0.4', 8080)).toBeNull();
    expect(refusalFor(policy, 'sandbox.internal', '172.20.0.4', 8081)).not.toBeNull();
  });

  it('refuses everything internal with an empty allowlist', () => {
    const none = createOutboundPolicy();
    for (const address of ['127.0.0.1', '169.254.169.254', '10.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(refusalFor(none, address, address, 80)).not.toBeNull();
    }
  });
});

describe('endpointEntry', () => {
  it('is the exact host:port a configured service URL connects to', () => {
    const policy = createOutboundPolicy([
      endpointEntry('postgres://u:p@127.0.0.1:54329/db'),
      endpointEntry('postgresql://u:p@localhost/db'),
      endpointEntry('smtps://u:p@[::1]/'),
      endpointEntry('postgres://u@/db?host=/var/run/postgresql'),
      endpointEntry(undefined),
    ]);
    expect(policy.allow).toHaveLength(3);
    expect(refusalFor(policy, '127.0.0.1', '127.0.0.1', 54329)).toBeNull();
    expect(refusalFor(policy, '127.0.0.1', '127.0.0.1', 54330)).not.toBeNull();
    expect(refusalFor(policy, 'localhost', '127.0.0.1', 5432)).toBeNull();
    expect(refusalFor(policy, '::1', '::1', 465)).toBeNull();
  });
});
