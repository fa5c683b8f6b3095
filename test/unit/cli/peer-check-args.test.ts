/**
 * `herald peer-check` flag parsing (pure): every flag, defaults, both value syntaxes, and every error
 * message naming the flag and the reason. Also the dispatcher path: a bad flag exits 2 with the usage.
 */
import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/cli/command.js';
import { COMMANDS } from '../../../src/cli/commands.js';
import { chooseTransport } from '../../../src/cli/peer-check.js';
import { parsePeerCheckArgs, type PeerCheckArgs } from '../../../src/cli/peer-check/args.js';
import { dispatch } from '../../../src/cli/registry.js';

const BASE = ['--peer', '203.0.113.2', '--peer-asn', '64512', '--my-asn', '64513'];

function parse(...extra: string[]): PeerCheckArgs {
  return parsePeerCheckArgs([...BASE, ...extra]);
}

function error(args: readonly string[]): string {
  try {
    parsePeerCheckArgs(args);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`parsePeerCheckArgs(${args.join(' ')}) did not throw`);
}

describe('parsePeerCheckArgs', () => {
  it('has documented defaults', () => {
    expect(parse()).toEqual({
      peer: '203.0.113.2',
      peerAsn: 64512,
      myAsn: 64513,
      holdTimeS: 90,
      announce: [],
      communities: [],
      durationS: 10,
      timeoutS: 30,
      port: 179,
      passive: false,
    });
  });

  it('reads every flag, in both --flag VALUE and --flag=VALUE forms', () => {
    const args = parse(
      '--router-id=192.0.2.1',
      '--password=-s3cret',
      '--hold',
      '9',
      '--keepalive=3',
      '--announce',
      '203.0.113.10/32',
      '--announce=2001:db8:c::/64',
      '--announce',
      '203.0.113.10/32',
      '--community',
      '64512:100',
      '--community=large:4200000000:1:2',
      '--community',
      'no-export',
      '--bfd',
      '--bfd-rx',
      '100',
      '--bfd-tx=200',
      '--bfd-multiplier',
      '5',
      '--multihop',
      '2',
      '--duration',
      '2.5',
      '--timeout=5',
      '--source',
      '203.0.113.1',
      '--port=1179',
      '--passive',
      '--next-hop',
      '2001:db8:c::1',
      '--next-hop=203.0.113.1',
    );
    expect(args).toEqual({
      peer: '203.0.113.2',
      peerAsn: 64512,
      myAsn: 64513,
      routerId: '192.0.2.1',
      password: '-s3cret',
      holdTimeS: 9,
      keepaliveS: 3,
      announce: ['203.0.113.10/32', '2001:db8:c::/64'],
      communities: [
        { kind: 'standard', value: 64512 * 65536 + 100 },
        { kind: 'large', globalAdmin: 4200000000, localData1: 1, localData2: 2 },
        { kind: 'standard', value: 0xffffff01 },
      ],
      bfd: { receiveIntervalMs: 100, transmitIntervalMs: 200, detectMultiplier: 5 },
      multihop: 2,
      durationS: 2.5,
      timeoutS: 5,
      source: '203.0.113.1',
      port: 1179,
      passive: true,
      nextHopIpv4: '203.0.113.1',
      nextHopIpv6: '2001:db8:c::1',
    });
  });

  it('takes iBGP LOCAL_PREF, GTSM, 4-octet ASNs, hold 0, BFD defaults and IPv6 peers', () => {
    expect(
      parsePeerCheckArgs([
        '--peer=2001:db8:c::2',
        '--peer-asn=4200000001',
        '--my-asn=4200000001',
        '--router-id=203.0.113.1',
        '--hold=0',
        '--ttl-security=1',
        '--local-pref=200',
        '--announce=2001:db8:c:1::/64',
        '--bfd',
        '--duration=0',
      ]),
    ).toMatchObject({
      peerAsn: 4200000001,
      myAsn: 4200000001,
      holdTimeS: 0,
      ttlSecurity: 1,
      localPref: 200,
      durationS: 0,
      bfd: { receiveIntervalMs: 300, transmitIntervalMs: 300, detectMultiplier: 3 },
    });
  });

  it.each([
    [[], '--peer is required'],
    [['--peer', '203.0.113.2'], '--peer-asn is required'],
    [['--peer', '203.0.113.2', '--peer-asn', '1'], '--my-asn is required'],
    [['--peer', 'router1'], '--peer: must be an IPv4 or IPv6 address, got "router1"'],
    [[...BASE, '--peer', '203.0.113.3'], '--peer: given more than once'],
    [
      ['--peer', '203.0.113.2', '--peer-asn', '0'],
      '--peer-asn: must be an AS number in 1..4294967295, got 0',
    ],
    [['--peer-asn', '4294967296'], '--peer-asn: must be an AS number in 1..4294967295, got 4294967296'],
    [['--my-asn', '65000.1'], '--my-asn: must be an AS number in 1..4294967295, got "65000.1"'],
    [['--my-asn', 'AS65000'], '--my-asn: must be an AS number in 1..4294967295, got "AS65000"'],
    [
      [...BASE, '--router-id', '0.0.0.0'],
      '--router-id: must be a non-zero dotted-quad BGP Identifier (RFC 6286), got "0.0.0.0"',
    ],
    [
      [...BASE, '--router-id', '2001:db8::1'],
      '--router-id: must be a non-zero dotted-quad BGP Identifier (RFC 6286), got "2001:db8::1"',
    ],
    [[...BASE, '--password='], '--password: must not be empty'],
    [
      [...BASE, '--password', '-x'],
      "--password: needs a value (use --password=VALUE for a value starting with '-')",
    ],
    [[...BASE, '--hold'], "--hold: needs a value (use --hold=VALUE for a value starting with '-')"],
    [[...BASE, '--hold', '2'], '--hold: must be 0 or at least 3 seconds (RFC 4271 §4.2), got 2'],
    [[...BASE, '--hold', '65536'], '--hold: must be an integer in 0..65535, got 65536'],
    [[...BASE, '--hold', '1.5'], '--hold: must be an integer in 0..65535, got "1.5"'],
    [[...BASE, '--keepalive', '0'], '--keepalive: must be an integer in 1..65535, got 0'],
    [[...BASE, '--keepalive', '90'], '--keepalive: must be shorter than the hold time (90 s), got 90'],
    [
      [...BASE, '--hold', '9', '--keepalive', '10'],
      '--keepalive: must be shorter than the hold time (9 s), got 10',
    ],
    [[...BASE, '--announce', '203.0.113.1/24'], "--announce: '203.0.113.1/24' has host bits set past /24"],
    [[...BASE, '--announce', 'banana'], "--announce: 'banana' has no '/length'"],
    [
      [...BASE, '--community', '65536:1', '--announce', '203.0.113.0/24'],
      '--community: part "65536" of community "65536:1" is out of range 0..65535',
    ],
    [
      [...BASE, '--community', 'gold', '--announce', '203.0.113.0/24'],
      '--community: "gold" is not a community',
    ],
    [[...BASE, '--community', '1:2'], '--community: needs at least one --announce PREFIX to attach to'],
    [
      [...BASE, '--local-pref', '100', '--announce', '203.0.113.0/24'],
      '--local-pref: LOCAL_PREF is sent to internal peers only (--peer-asn equal to --my-asn)',
    ],
    [
      ['--peer=203.0.113.2', '--peer-asn=1', '--my-asn=1', '--local-pref=5'],
      '--local-pref: needs at least one --announce PREFIX to attach to',
    ],
    [
      [...BASE, '--local-pref', '-1'],
      "--local-pref: needs a value (use --local-pref=VALUE for a value starting with '-')",
    ],
    [[...BASE, '--bfd=yes'], '--bfd: takes no value, got "yes"'],
    [[...BASE, '--passive=1'], '--passive: takes no value, got "1"'],
    [[...BASE, '--bfd-rx', '100'], '--bfd-rx: needs --bfd'],
    [[...BASE, '--bfd-tx', '100'], '--bfd-tx: needs --bfd'],
    [[...BASE, '--bfd-multiplier', '3'], '--bfd-multiplier: needs --bfd'],
    [[...BASE, '--bfd', '--bfd-rx', '5'], '--bfd-rx: must be an integer in 10..60000, got 5'],
    [[...BASE, '--bfd', '--bfd-tx', '60001'], '--bfd-tx: must be an integer in 10..60000, got 60001'],
    [[...BASE, '--bfd', '--bfd-multiplier', '1'], '--bfd-multiplier: must be an integer in 2..255, got 1'],
    [[...BASE, '--multihop', '0'], '--multihop: must be a TTL in 1..255, got 0'],
    [[...BASE, '--ttl-security', '255'], '--ttl-security: must be a hop count in 1..254, got 255'],
    [
      [...BASE, '--multihop', '2', '--ttl-security', '1'],
      '--ttl-security: cannot be combined with --multihop (RFC 5082 sends with TTL 255)',
    ],
    [
      [...BASE, '--duration', '-1'],
      "--duration: needs a value (use --duration=VALUE for a value starting with '-')",
    ],
    [[...BASE, '--duration=-1'], '--duration: must be a number of seconds in 0..2147483, got "-1"'],
    [[...BASE, '--duration', '1e3'], '--duration: must be a number of seconds in 0..2147483, got "1e3"'],
    [[...BASE, '--timeout', '0'], '--timeout: must be a number of seconds in 1..2147483, got "0"'],
    [[...BASE, '--source', 'eth0'], '--source: must be an IPv4 or IPv6 address, got "eth0"'],
    [
      [...BASE, '--source', '2001:db8:c::1'],
      '--source: 2001:db8:c::1 is not of the address family of --peer 203.0.113.2',
    ],
    [[...BASE, '--port', '0'], '--port: must be a port in 1..65535, got 0'],
    [[...BASE, '--next-hop', 'x'], '--next-hop: must be an IPv4 or IPv6 address, got "x"'],
    [
      [...BASE, '--next-hop', '203.0.113.1', '--next-hop', '203.0.113.5'],
      '--next-hop: give at most one IPv4 and one IPv6 address',
    ],
    [
      ['--peer=2001:db8:c::2', '--peer-asn=1', '--my-asn=2'],
      '--router-id: required with an IPv6 --peer (there is no IPv4 address to take it from)',
    ],
    [[...BASE, '--verbose'], 'unknown flag --verbose'],
    [
      [...BASE, '203.0.113.0/24'],
      'unexpected argument "203.0.113.0/24" (flags only, e.g. --announce 203.0.113.0/24)',
    ],
  ])('%j -> %s', (args, want) => {
    expect(error(args)).toContain(want);
  });
});

describe('herald peer-check through the dispatcher', () => {
  it('is registered, prints its usage for --help, and exits 2 with the usage for a bad flag', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env: {},
      signal: new AbortController().signal,
    };
    expect(await dispatch(COMMANDS, ['peer-check', '--help'], io)).toBe(0);
    for (const flag of [
      '--peer ',
      '--password',
      '--community',
      '--bfd-multiplier',
      '--duration',
      '--passive',
    ])
      expect(out.join('')).toContain(flag);
    expect(await dispatch(COMMANDS, ['peer-check', '--peer', 'x'], io)).toBe(2);
    expect(err.join('')).toMatch(
      /^herald peer-check: --peer: must be an IPv4 or IPv6 address, got "x"\n\nUsage: herald peer-check/,
    );
  });

  it('uses node:net unless MD5, TTL or GTSM is asked for, then the native addon', () => {
    expect(chooseTransport(parse()).name).toBe('node:net');
    for (const extra of [
      ['--password', 'k'],
      ['--multihop', '2'],
      ['--ttl-security', '1'],
    ]) {
      expect(chooseTransport(parse(...extra)).name).toBe('native');
    }
  });
});
