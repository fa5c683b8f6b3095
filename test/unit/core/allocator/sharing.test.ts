/**
 * Address sharing (metallb.io/allow-shared-ip): same non-empty key, disjoint protocol/port pairs, same
 * backend key; the lowest compatible shared address competes with the lowest free one.
 */
import { expect } from 'vitest';
import type { ServicePort } from '../../../../src/core/allocator/index.js';
import { alloc, assignment, release, type Op } from './harness.js';
import { ip, ips, pool } from './helpers.js';
import { scenarioTable } from './table.js';

const tcp = (port: number): ServicePort[] => [{ protocol: 'TCP', port }];
const udp = (port: number): ServicePort[] => [{ protocol: 'UDP', port }];
const usersOf =
  (text: string): Op =>
  (h) =>
    h.alloc.usersOf(ip(text));

scenarioTable(
  'sharing',
  [pool('p', ['192.0.2.0/29'])],
  [
    {
      name: 'dns-udp gets .0',
      op: alloc('dns-udp', { sharingKey: 'dns', ports: udp(53) }),
      want: { ips: ['192.0.2.0'] },
    },
    {
      name: 'dns-tcp shares .0 (UDP/53 and TCP/53 are disjoint)',
      op: alloc('dns-tcp', { sharingKey: 'dns', ports: tcp(53) }),
      want: { ips: ['192.0.2.0'] },
    },
    { name: 'web without a key gets .1', op: alloc('web'), want: { ips: ['192.0.2.1'] } },
    {
      name: 'another TCP/53 with the key skips .0 (port taken) and .1 (no key): .2',
      op: alloc('dns-tcp2', { sharingKey: 'dns', ports: tcp(53) }),
      want: { ips: ['192.0.2.2'] },
    },
    {
      name: 'requesting .0 with an overlapping port',
      op: alloc('x1', { sharingKey: 'dns', ports: udp(53), requestedIps: ips('192.0.2.0') }),
      want: {
        ok: false,
        error: 'port-conflict',
        message: 'port UDP/53 is already in use on "192.0.2.0" by default/dns-udp',
      },
    },
    {
      name: 'requesting .0 with another key',
      op: alloc('x2', { sharingKey: 'other', ports: tcp(8080), requestedIps: ips('192.0.2.0') }),
      want: {
        ok: false,
        error: 'sharing-key-mismatch',
        message:
          'can\'t share "192.0.2.0" with default/dns-udp,default/dns-tcp: sharing key "other" does not match existing sharing key "dns"',
      },
    },
    {
      name: 'requesting .0 without a key',
      op: alloc('x3', { ports: tcp(8080), requestedIps: ips('192.0.2.0') }),
      want: {
        ok: false,
        error: 'ip-in-use',
        message:
          '"192.0.2.0" is already in use by default/dns-udp,default/dns-tcp: new service does not allow sharing',
      },
    },
    {
      name: "requesting web's .1 with a key",
      op: alloc('x4', { sharingKey: 'dns', ports: tcp(8080), requestedIps: ips('192.0.2.1') }),
      want: {
        ok: false,
        error: 'ip-in-use',
        message: expect.stringContaining('existing service does not allow sharing'),
      },
    },
    {
      name: 'requesting .0 as an externalTrafficPolicy Local service (other backend key)',
      op: alloc('x5', {
        sharingKey: 'dns',
        ports: tcp(8080),
        backendKey: 'app=a',
        requestedIps: ips('192.0.2.0'),
      }),
      want: { ok: false, error: 'backend-key-mismatch' },
    },
    {
      name: 'a compatible request for .0 shares it',
      op: alloc('x6', { sharingKey: 'dns', ports: tcp(8080), requestedIps: ips('192.0.2.0') }),
      want: { ips: ['192.0.2.0'], source: 'requested-ips' },
    },
    {
      name: 'automatic allocation prefers the lowest compatible shared address',
      op: alloc('y', { sharingKey: 'dns', ports: tcp(9090) }),
      want: { ips: ['192.0.2.0'], source: 'auto' },
    },
    { name: 'release dns-udp', op: release('dns-udp'), want: { released: true } },
    {
      name: '.0 stays with its other users',
      op: usersOf('192.0.2.0'),
      want: ['default/dns-tcp', 'default/x6', 'default/y'],
    },
    {
      name: 'k2a gets the lowest free .3',
      op: alloc('k2a', { sharingKey: 'k2', ports: tcp(1) }),
      want: { ips: ['192.0.2.3'] },
    },
    {
      name: 'k2b requests .5',
      op: alloc('k2b', { sharingKey: 'k2', ports: tcp(2), requestedIps: ips('192.0.2.5') }),
      want: { ips: ['192.0.2.5'] },
    },
    { name: 'release k2a', op: release('k2a'), want: { released: true } },
    {
      name: 'a free address lower than the shared one wins',
      op: alloc('k2c', { sharingKey: 'k2', ports: tcp(3) }),
      want: { ips: ['192.0.2.3'] },
    },
    {
      name: 'the sole user of an address may change its key in place',
      op: alloc('k2b', { sharingKey: 'k3', ports: tcp(2), requestedIps: ips('192.0.2.5') }),
      want: { ips: ['192.0.2.5'], changed: false, source: 'kept' },
    },
    {
      name: 'a user of a shared address cannot change its key: cleared and re-allocated',
      op: alloc('dns-tcp', { sharingKey: 'renamed', ports: tcp(53) }),
      want: { ips: ['192.0.2.4'], cleared: 'sharing-key-mismatch', clearedIps: ['192.0.2.0'] },
    },
    {
      name: 'an ETP Local service takes .6',
      op: alloc('l1', { sharingKey: 'loc', backendKey: 'app=x', ports: tcp(80) }),
      want: { ips: ['192.0.2.6'] },
    },
    {
      name: 'ETP Local with the identical selector shares',
      op: alloc('l2', { sharingKey: 'loc', backendKey: 'app=x', ports: tcp(81) }),
      want: { ips: ['192.0.2.6'] },
    },
    {
      name: 'ETP Cluster cannot join ETP Local services',
      op: alloc('l3', { sharingKey: 'loc', backendKey: '', ports: tcp(82) }),
      want: { ips: ['192.0.2.7'] },
    },
    {
      name: 'the sharing key works across namespaces',
      op: alloc('l4', { namespace: 'other', sharingKey: 'loc', backendKey: 'app=x', ports: tcp(83) }),
      want: { ips: ['192.0.2.6'] },
    },
    {
      name: 'a service without ports shares with any port set',
      op: alloc('l5', { sharingKey: 'loc', backendKey: 'app=x', ports: [] }),
      want: { ips: ['192.0.2.6'] },
    },
    { name: 'l4 holds .6', op: assignment('l4', 'other'), want: { ips: ['192.0.2.6'] } },
  ],
);
