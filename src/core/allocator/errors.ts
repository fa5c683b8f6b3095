/**
 * Constructors of the typed allocation failures (AllocationError / ClearReason in types.ts), each with a
 * human message worded like MetalLB's AllocationFailed / ClearAssignment event text (the adapter prefixes
 * it with `Failed to allocate IP for "ns/name": `). No logic.
 */
import { formatIp, type IpAddress, type IpFamily } from '../ip/index.js';
import type { AllocationError, ClearReason, ServicePort } from './types.js';

/** Whether a service's (or a set of addresses') description is requested or current. */
export type IpsRole = 'requested' | 'current';

const q = (s: string): string => JSON.stringify(s);
const ipText = (ip: IpAddress): string => q(formatIp(ip));
const ipList = (ips: readonly IpAddress[]): string => `[${ips.map(ipText).join(' ')}]`;
const poolList = (pools: readonly string[]): string => pools.map(q).join(', ');
const roleText = (role: IpsRole): string => (role === 'requested' ? 'requested loadBalancer' : 'current');

export const errors = {
  invalidRequest: (field: string, reason: string): AllocationError => ({
    kind: 'invalid-request',
    field,
    reason,
    message: `invalid service: ${field}: ${reason}`,
  }),
  poolNotFound: (pool: string): AllocationError => ({
    kind: 'pool-not-found',
    pool,
    message: `unknown pool ${q(pool)}`,
  }),
  poolNotEligible: (pool: string, namespace: string): AllocationError => ({
    kind: 'pool-not-eligible',
    pool,
    message: `pool ${q(pool)} not compatible for ip assignment: its serviceAllocation selects neither namespace ${q(namespace)} nor this service's labels`,
  }),
  poolExhausted: (pool: string, families: IpFamily[]): AllocationError => ({
    kind: 'pool-exhausted',
    pool,
    families,
    message: `no available IPs in pool ${q(pool)} for ${families.join(' and ')}`,
  }),
  familyNotInPool: (pool: string, families: IpFamily[]): AllocationError => ({
    kind: 'family-not-in-pool',
    pool,
    families,
    message: `pool ${q(pool)} has no ${families.join(' or ')} addresses`,
  }),
  noEligiblePool: (detail: string): AllocationError => ({
    kind: 'no-eligible-pool',
    message: `no available IPs: ${detail}`,
  }),
  autoAssignDisabled: (pools: string[]): AllocationError => ({
    kind: 'auto-assign-disabled',
    pools,
    message: `no available IPs: pool(s) ${poolList(pools)} have autoAssign disabled; request one with the metallb.io/address-pool annotation`,
  }),
  noAvailableIps: (pools: string[], families: IpFamily[]): AllocationError => ({
    kind: 'no-available-ips',
    pools,
    families,
    message: `no available IPs: no free ${families.join(' or ')} address in pool(s) ${poolList(pools)}`,
  }),
  dualStackUnavailable: (pools: string[]): AllocationError => ({
    kind: 'dual-stack-unavailable',
    pools,
    message:
      pools.length === 0
        ? 'no available IPs: no pool offers both IPv4 and IPv6 (RequireDualStack)'
        : `no available IPs: none of pool(s) ${poolList(pools)} has both a free IPv4 and a free IPv6 address (RequireDualStack)`,
  }),
  ipNotInPool: (ip: IpAddress): AllocationError => ({
    kind: 'ip-not-in-pool',
    ip,
    message: `${ipText(ip)} is not allowed in config: no IPAddressPool hands it out`,
  }),
  ipsInDifferentPools: (ips: IpAddress[], pools: string[]): AllocationError => ({
    kind: 'ips-in-different-pools',
    ips,
    pools,
    message: `${ipList(ips)} are in different pools (${poolList(pools)}); all addresses of a service must come from one pool`,
  }),
  ipNotInRequestedPool: (ips: IpAddress[], pool: string, actualPool: string): AllocationError => ({
    kind: 'ip-not-in-requested-pool',
    ips,
    pool,
    actualPool,
    message: `requested loadBalancer IP(s) ${ipList(ips)} is not compatible with requested address pool ${q(pool)} (it belongs to pool ${q(actualPool)})`,
  }),
  tooManyIps: (ips: IpAddress[], role: IpsRole): AllocationError => ({
    kind: 'too-many-ips',
    ips,
    message: `${roleText(role)} IP(s) ${ipList(ips)}: more than two addresses, or an address listed twice`,
  }),
  familyMismatch: (ips: IpAddress[], expected: IpFamily[], role: IpsRole): AllocationError => ({
    kind: 'family-mismatch',
    ips,
    expected,
    message: `${roleText(role)} IP(s) ${ipList(ips)} does not match the ipFamily of the service (${expected.join(', ')})`,
  }),
  ipInUse: (ip: IpAddress, users: string[], side: 'existing' | 'new'): AllocationError => ({
    kind: 'ip-in-use',
    ip,
    users,
    message: `${ipText(ip)} is already in use by ${users.join(',')}: ${side} service does not allow sharing`,
  }),
  sharingKeyMismatch: (
    ip: IpAddress,
    sharingKey: string,
    existing: string,
    users: string[],
  ): AllocationError => ({
    kind: 'sharing-key-mismatch',
    ip,
    sharingKey,
    existingSharingKey: existing,
    users,
    message: `can't share ${ipText(ip)} with ${users.join(',')}: sharing key ${q(sharingKey)} does not match existing sharing key ${q(existing)}`,
  }),
  backendKeyMismatch: (ip: IpAddress, users: string[]): AllocationError => ({
    kind: 'backend-key-mismatch',
    ip,
    users,
    message: `can't share ${ipText(ip)} with ${users.join(',')}: externalTrafficPolicy Local services may share an address only with services that have the same externalTrafficPolicy and pod selector`,
  }),
  portConflict: (ip: IpAddress, port: ServicePort, user: string): AllocationError => ({
    kind: 'port-conflict',
    ip,
    port,
    user,
    message: `port ${port.protocol}/${port.port} is already in use on ${ipText(ip)} by ${user}`,
  }),
};

export const clearReasons = {
  requestedIpsChanged: (ips: IpAddress[]): ClearReason => ({
    kind: 'requested-ips-changed',
    ips,
    message: `user requested different IP(s) ${ipList(ips)} than the ones currently assigned`,
  }),
  requestedPoolChanged: (pool: string, actualPool: string): ClearReason => ({
    kind: 'requested-pool-changed',
    pool,
    actualPool,
    message: `user requested pool ${q(pool)} but the current IP(s) belong to pool ${q(actualPool)}`,
  }),
};
