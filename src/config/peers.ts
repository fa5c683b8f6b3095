/**
 * BGPPeer (metallb.io/v1beta2; v1beta1 converted first) → BgpPeer. Every v1beta2 field is read (metallb.md
 * §1.4). Herald's own speaker (bgp-ts-lite) supports IPv6, BFD, graceful restart, keepaliveTime,
 * connectTime, large communities, dynamicASN and localASN, so those are parsed rather than rejected as
 * MetalLB's native mode does; `vrf` and `interface` (unnumbered BGP) are rejected as not supported.
 */
import { formatIp, parseIp, type IpAddress } from '../core/ip/index.js';
import type { Reporter } from './errors.js';
import { checkFields, readBool, readInt, readString, type JsonObject } from './fields.js';
import { readEnvelope, type ObjectEnvelope, type ParseContext } from './meta.js';
import { convertV1beta1Spec } from './peer-v1beta1.js';
import { readPassword, type SecretIndex } from './password.js';
import { readSelectorList } from './selectors.js';
import { readTimers } from './timers.js';
import type { BgpPeer, DynamicAsnMode, PeerAsn } from './types.js';

const SPEC_FIELDS = [
  'myASN',
  'peerASN',
  'localASN',
  'dynamicASN',
  'peerAddress',
  'interface',
  'sourceAddress',
  'peerPort',
  'holdTime',
  'keepaliveTime',
  'connectTime',
  'routerID',
  'nodeSelectors',
  'password',
  'passwordSecret',
  'bfdProfile',
  'enableGracefulRestart',
  'ebgpMultiHop',
  'vrf',
  'disableMP',
  'dualStackAddressFamily',
];

export const UINT32_MAX = 4294967295;
export const DEFAULT_PEER_PORT = 179;
export const MAX_PEER_PORT = 16384;
const DYNAMIC_ASN_MODES: readonly DynamicAsnMode[] = ['internal', 'external'];

export interface ParsedPeer {
  readonly env: ObjectEnvelope;
  /** Undefined when the object has errors. */
  readonly peer: BgpPeer | undefined;
}

export interface PeerContext extends ParseContext {
  readonly secrets: SecretIndex;
  readonly bfdProfiles: ReadonlySet<string>;
}

function readAsns(spec: JsonObject, r: Reporter): { myASN?: number; localASN?: number; asn?: PeerAsn } {
  if (spec.myASN === undefined || spec.myASN === null) r.error('spec.myASN', 'is required');
  const myASN = readInt(spec, 'myASN', 'spec', r, 0, UINT32_MAX);
  if (myASN === 0) r.error('spec.myASN', 'must not be 0 (AS 0 is reserved, RFC 7607)');
  const peerASN = readInt(spec, 'peerASN', 'spec', r, 0, UINT32_MAX) || undefined;
  const localASN = readInt(spec, 'localASN', 'spec', r, 1, UINT32_MAX);
  const dynamic = readString(spec, 'dynamicASN', 'spec', r) || undefined;
  if (dynamic !== undefined && !DYNAMIC_ASN_MODES.includes(dynamic as DynamicAsnMode)) {
    r.error('spec.dynamicASN', `must be "internal" or "external", got "${dynamic}"`);
  }
  let asn: PeerAsn | undefined;
  if (peerASN === undefined && dynamic === undefined) {
    if (spec.peerASN === undefined || spec.peerASN === null || spec.peerASN === 0)
      r.error('spec.peerASN', 'one of peerASN and dynamicASN is required');
  } else if (peerASN !== undefined && dynamic !== undefined) {
    r.error('spec.dynamicASN', 'peerASN and dynamicASN are mutually exclusive; set exactly one');
  } else {
    asn = peerASN !== undefined ? { peerASN } : { dynamicASN: dynamic as DynamicAsnMode };
  }
  return { myASN: myASN || undefined, localASN, asn };
}

function readIp(spec: JsonObject, key: string, r: Reporter): IpAddress | undefined {
  const text = readString(spec, key, 'spec', r);
  if (!text) return undefined;
  const ip = parseIp(text);
  if (!ip) r.error(`spec.${key}`, `"${text}" is not an IP address`);
  return ip;
}

function readAddresses(spec: JsonObject, r: Reporter) {
  if (readString(spec, 'interface', 'spec', r)) {
    r.error(
      'spec.interface',
      'not supported by Herald: Herald peers by address only (no unnumbered BGP over an interface); set peerAddress instead',
    );
  }
  if (readString(spec, 'vrf', 'spec', r)) {
    r.error(
      'spec.vrf',
      'not supported by Herald: Herald has no sessions from a Linux VRF; peer from the default VRF',
    );
  }
  if (!spec.peerAddress && !spec.interface) r.error('spec.peerAddress', 'is required');
  const peerAddress = readIp(spec, 'peerAddress', r);
  const sourceAddress = readIp(spec, 'sourceAddress', r);
  if (peerAddress && sourceAddress && peerAddress.family !== sourceAddress.family) {
    r.error(
      'spec.sourceAddress',
      `${formatIp(sourceAddress)} is ${sourceAddress.family} but peerAddress ${formatIp(peerAddress)} is ${peerAddress.family}`,
    );
  }
  const routerID = readIp(spec, 'routerID', r);
  if (routerID && routerID.family !== 'IPv4') {
    r.error(
      'spec.routerID',
      `${formatIp(routerID)} is not IPv4; the BGP Identifier is 32 bits (RFC 4271 §4.2)`,
    );
  }
  return { peerAddress, sourceAddress, routerID };
}

function readBfdProfile(spec: JsonObject, ctx: PeerContext, r: Reporter): string | undefined {
  const name = readString(spec, 'bfdProfile', 'spec', r) || undefined;
  if (name !== undefined && !ctx.bfdProfiles.has(name)) {
    r.error('spec.bfdProfile', `BFDProfile ${ctx.options.namespace}/${name} not found`, true);
  }
  return name;
}

function readFlags(spec: JsonObject, r: Reporter) {
  const flag = (key: string): boolean => readBool(spec, key, 'spec', r) ?? false;
  if (flag('disableMP')) r.warn('spec.disableMP', 'deprecated and has no effect');
  return {
    enableGracefulRestart: flag('enableGracefulRestart'),
    ebgpMultiHop: flag('ebgpMultiHop'),
    dualStackAddressFamily: flag('dualStackAddressFamily'),
  };
}

export function parsePeer(raw: unknown, index: number, ctx: PeerContext): ParsedPeer | undefined {
  const env = readEnvelope(raw, index, 'BGPPeer', ctx);
  if (!env) return undefined;
  const { r } = env;
  const before = r.errorCount;
  const spec = env.apiVersion === 'metallb.io/v1beta1' ? convertV1beta1Spec(env.spec, r) : env.spec;
  checkFields(spec, SPEC_FIELDS, 'spec', r);
  const { myASN, localASN, asn } = readAsns(spec, r);
  const { peerAddress, sourceAddress, routerID } = readAddresses(spec, r);
  const flags = readFlags(spec, r);
  const iBGP = (asn?.peerASN !== undefined && asn.peerASN === myASN) || asn?.dynamicASN === 'internal';
  if (flags.ebgpMultiHop && iBGP) {
    r.error(
      'spec.ebgpMultiHop',
      'cannot be set on an iBGP peer (peerASN equals myASN, or dynamicASN is internal)',
    );
  }
  const common = {
    name: env.name,
    peerPort: readInt(spec, 'peerPort', 'spec', r, 1, MAX_PEER_PORT) ?? DEFAULT_PEER_PORT,
    ...readTimers(spec, r),
    nodeSelectors: readSelectorList(spec, 'nodeSelectors', 'spec', r),
    ...readPassword(spec, ctx.options.namespace, ctx.secrets, r),
    ...flags,
  };
  const bfdProfile = readBfdProfile(spec, ctx, r);
  if (r.errorCount > before || !myASN || !asn || !peerAddress) return { env, peer: undefined };
  const peer: BgpPeer = {
    ...common,
    myASN,
    peerAddress,
    ...asn,
    ...(localASN !== undefined ? { localASN } : {}),
    ...(sourceAddress ? { sourceAddress } : {}),
    ...(routerID ? { routerID } : {}),
    ...(bfdProfile ? { bfdProfile } : {}),
  };
  return { env, peer };
}
