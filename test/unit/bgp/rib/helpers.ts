/** Fixtures for the Adj-RIB-Out tests: export contexts and a decoder that checks what was packed. */
import { decodeMessage, encodeMessage } from '../../../../src/bgp/codec.js';
import { Afi, Safi } from '../../../../src/bgp/constants.js';
import { parseAddress, parsePrefix, prefixKey } from '../../../../src/bgp/nlri/prefix.js';
import type { ExportContext } from '../../../../src/bgp/rib/export.js';
import type { Route, RouteAttributes } from '../../../../src/bgp/rib/route.js';
import type { CodecContext, UpdateMessage } from '../../../../src/bgp/types.js';

export const CODEC: CodecContext = {
  fourOctetAs: true,
  extendedMessage: false,
  addPathReceive: new Set(),
  addPathSend: new Set(),
};

export const BOTH = [
  { afi: Afi.IPV4, safi: Safi.UNICAST },
  { afi: Afi.IPV6, safi: Safi.UNICAST },
];

export function ctx(overrides: Partial<ExportContext> = {}): ExportContext {
  return {
    localAs: 65001,
    peerAs: 65002,
    codec: CODEC,
    families: BOTH,
    nextHopIpv4: parseAddress('192.0.2.1'),
    nextHopIpv6: parseAddress('2001:db8::1'),
    ...overrides,
  };
}

export function route(cidr: string, attributes?: RouteAttributes): Route {
  return { prefix: parsePrefix(cidr), ...(attributes ? { attributes } : {}) };
}

/** /32s 10.x.y.z, i = 0.. */
export function v4Hosts(n: number, attributes?: RouteAttributes): Route[] {
  return Array.from({ length: n }, (_, i) =>
    route(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, attributes),
  );
}

export function v6Hosts(n: number, attributes?: RouteAttributes): Route[] {
  return Array.from({ length: n }, (_, i) =>
    route(`2001:db8:${(i >> 16).toString(16)}::${(i & 0xffff).toString(16)}/128`, attributes),
  );
}

export interface WireSummary {
  announced: string[];
  withdrawn: string[];
  maxLength: number;
  messages: UpdateMessage[];
}

/** Encodes every UPDATE with the session context, decodes it back and lists the prefixes on the wire. */
export function onTheWire(updates: readonly UpdateMessage[], codec: CodecContext = CODEC): WireSummary {
  const out: WireSummary = { announced: [], withdrawn: [], maxLength: 0, messages: [] };
  for (const update of updates) {
    const bytes = encodeMessage(update, codec);
    out.maxLength = Math.max(out.maxLength, bytes.length);
    const { message, warnings } = decodeMessage(bytes, codec);
    if (warnings.length > 0) throw new Error(`decode warnings: ${warnings.map((w) => w.message).join('; ')}`);
    if (message.type !== 'update') throw new Error('not an UPDATE');
    out.messages.push(message);
    out.withdrawn.push(...message.withdrawn.map((n) => prefixKey(n.prefix)));
    out.announced.push(...message.nlri.map((n) => prefixKey(n.prefix)));
    for (const a of message.attributes) {
      if (a.kind === 'mp-reach-nlri') out.announced.push(...a.nlri.map((n) => prefixKey(n.prefix)));
      if (a.kind === 'mp-unreach-nlri') out.withdrawn.push(...a.withdrawn.map((n) => prefixKey(n.prefix)));
    }
  }
  return out;
}
