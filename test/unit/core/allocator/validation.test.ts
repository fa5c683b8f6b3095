/**
 * Bad requests get a typed invalid-request error naming the field; a Service whose request turns invalid
 * loses its addresses (reported as cleared). Malformed status addresses are cleared and replaced.
 */
import type { AllocationRequest, IpFamilyPolicy, Protocol } from '../../../../src/core/allocator/index.js';
import type { IpFamily } from '../../../../src/core/ip/index.js';
import { alloc, assignment } from './harness.js';
import { ips, pool } from './helpers.js';
import { scenarioTable } from './table.js';

const invalid = (field: string, message?: string) => ({
  ok: false,
  error: 'invalid-request',
  ...(message !== undefined && { message: `invalid service: ${field}: ${message}` }),
});
const port = (protocol: string, n: number): Partial<AllocationRequest> => ({
  ports: [{ protocol: protocol as Protocol, port: n }],
});

scenarioTable(
  'request validation',
  [pool('a', ['192.0.2.0/30'])],
  [
    { name: 's1 gets .0', op: alloc('s1'), want: { ips: ['192.0.2.0'] } },
    {
      name: 'an invalid update clears the existing assignment',
      op: alloc('s1', port('TCP', 0)),
      want: {
        ...invalid('spec.ports[0].port', 'must be an integer in 1..65535'),
        cleared: 'invalid-request',
        clearedIps: ['192.0.2.0'],
      },
    },
    { name: 's1 holds nothing', op: assignment('s1'), want: { none: true } },
    { name: 'empty name', op: alloc(''), want: invalid('metadata.name', 'must not be empty') },
    { name: 'empty namespace', op: alloc('x', { namespace: '' }), want: invalid('metadata.namespace') },
    {
      name: 'unknown protocol',
      op: alloc('x', port('HTTP', 80)),
      want: invalid('spec.ports[0].protocol', 'must be one of TCP, UDP, SCTP'),
    },
    { name: 'port above 65535', op: alloc('x', port('UDP', 70000)), want: invalid('spec.ports[0].port') },
    { name: 'fractional port', op: alloc('x', port('SCTP', 1.5)), want: invalid('spec.ports[0].port') },
    {
      name: 'unknown ipFamilyPolicy',
      op: alloc('x', { ipFamilyPolicy: 'Bogus' as IpFamilyPolicy }),
      want: invalid('spec.ipFamilyPolicy'),
    },
    { name: 'no ipFamilies', op: alloc('x', { ipFamilies: [] }), want: invalid('spec.ipFamilies') },
    {
      name: 'unknown family',
      op: alloc('x', { ipFamilies: ['IPv5' as IpFamily] }),
      want: invalid('spec.ipFamilies'),
    },
    {
      name: 'a family listed twice',
      op: alloc('x', { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv4'] }),
      want: invalid('spec.ipFamilies', 'must list IPv4 and/or IPv6, each at most once'),
    },
    {
      name: 'SingleStack with two families',
      op: alloc('x', { ipFamilies: ['IPv4', 'IPv6'] }),
      want: invalid('spec.ipFamilies', 'SingleStack allows exactly one IP family'),
    },
    {
      name: 'the same address requested twice',
      op: alloc('x', { requestedIps: ips('192.0.2.1', '192.0.2.1') }),
      want: { ok: false, error: 'too-many-ips' },
    },
    {
      name: 'a status with three addresses is cleared and replaced',
      op: alloc('y', { currentIps: ips('192.0.2.1', '192.0.2.2', '192.0.2.3') }),
      want: { ips: ['192.0.2.0'], cleared: 'too-many-ips' },
    },
    {
      name: 'a status with an address of the wrong family is cleared and replaced',
      op: alloc('z', { currentIps: ips('2001:db8::1') }),
      want: { ips: ['192.0.2.1'], cleared: 'family-mismatch' },
    },
  ],
);
