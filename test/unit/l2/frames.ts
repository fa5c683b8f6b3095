/** Test helpers: hex fixtures from test/fixtures/l2 and hand-built frames laid out from the RFCs. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeToBytes } from '../../../src/l2/wire/codec.js';
import {
  EtherType,
  Icmpv6Type,
  NDP_HOP_LIMIT,
  NdpOptionType,
  NextHeader,
} from '../../../src/l2/wire/constants.js';
import { ethernetCodec, type VlanTag } from '../../../src/l2/wire/ethernet.js';
import { sealIcmpv6 } from '../../../src/l2/wire/icmpv6.js';
import { ipv6Codec } from '../../../src/l2/wire/ipv6.js';
import { linkLayerOption, neighborSolicitationCodec, type NdpOption } from '../../../src/l2/wire/ndp.js';
import { parseIpBytes, parseMac } from '../../../src/l2/wire/addresses.js';
import type { ResponderContext } from '../../../src/l2/responder.js';

export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  return new Uint8Array(clean.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A fixture: '#' lines are provenance, the rest is the frame in hex. */
export function fixture(name: string): Uint8Array {
  const url = new URL(`../../fixtures/l2/${name}`, import.meta.url);
  const text = readFileSync(fileURLToPath(url), 'utf8');
  return hex(
    text
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join(''),
  );
}

export const HOST_A_MAC = parseMac('02:00:00:00:00:0a');
export const HOST_B_MAC = parseMac('02:00:00:00:00:0b');
export const OTHER_MAC = parseMac('02:00:00:00:00:0c');
export const V4_OWNED = '192.0.2.1';
export const V6_OWNED = '2001:db8:12::1';

/** The context of host A (the owner of 192.0.2.1 and 2001:db8:12::1 on hl2c-va), as in the captures. */
export function ctxA(
  owned: readonly string[] = [V4_OWNED, V6_OWNED],
  ifaceName = 'hl2c-va',
): ResponderContext {
  return {
    ifaceMac: HOST_A_MAC,
    ifaceName,
    owned: (ip, iface) => iface === 'hl2c-va' && owned.includes(ip),
  };
}

export interface NsSpec {
  ethDst?: Uint8Array;
  ethSrc?: Uint8Array;
  vlan?: VlanTag;
  src?: string;
  dst?: string;
  target?: string;
  slla?: Uint8Array | null;
  options?: NdpOption[];
  hopLimit?: number;
  code?: number;
  corruptChecksum?: boolean;
  nextHeader?: number;
}

/** A Neighbor Solicitation frame (RFC 4861 §4.3), by default Linux's multicast NS from host B. */
export function buildNs(s: NsSpec = {}): Uint8Array {
  const src = parseIpBytes(s.src ?? '2001:db8:12::2');
  const dst = parseIpBytes(s.dst ?? 'ff02::1:ff00:1');
  const slla = s.slla === undefined ? HOST_B_MAC : s.slla;
  const options = s.options ?? (slla ? [linkLayerOption(NdpOptionType.SOURCE_LINK_LAYER_ADDRESS, slla)] : []);
  const body = encodeToBytes(neighborSolicitationCodec, {
    target: parseIpBytes(s.target ?? V6_OWNED),
    options,
  });
  const icmp = sealIcmpv6(src, dst, { type: Icmpv6Type.NEIGHBOR_SOLICITATION, code: s.code ?? 0, body });
  if (s.corruptChecksum) icmp[2] = (icmp[2] as number) ^ 0x01;
  const payload = encodeToBytes(ipv6Codec, {
    trafficClass: 0,
    flowLabel: 0,
    nextHeader: s.nextHeader ?? NextHeader.ICMPV6,
    hopLimit: s.hopLimit ?? NDP_HOP_LIMIT,
    source: src,
    destination: dst,
    payload: icmp,
  });
  return encodeToBytes(ethernetCodec, {
    destination: s.ethDst ?? parseMac('33:33:ff:00:00:01'),
    source: s.ethSrc ?? HOST_B_MAC,
    vlan: s.vlan,
    etherType: EtherType.IPV6,
    payload,
  });
}
