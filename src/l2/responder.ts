/**
 * The pure Layer 2 responder decision: one received frame and the interface context in, the reply frame
 * or a typed drop reason out. It answers ARP requests and Neighbor Solicitations (multicast and
 * unicast, with or without a Source Link-Layer Address option) for addresses this node owns on this
 * interface. It also recognises frames in which another MAC claims an owned address (`conflictOf`).
 * See docs/layer2.md "Frames and the responder" for every choice made here.
 */
import {
  ALL_NODES_ADDRESS,
  ArpOp,
  BROADCAST_MAC,
  NDP_CODE,
  NDP_HOP_LIMIT,
  NdpOptionType,
  UNSPECIFIED_ADDRESS,
} from './wire/constants.js';
import {
  bytesEqual,
  formatIpBytes,
  formatMac,
  isIpv6Multicast,
  multicastMac,
  solicitedNodeAddress,
} from './wire/addresses.js';
import { fastArp } from './arp-fast.js';
import { buildArpFrame, buildNeighborAdvertisement } from './wire/builders.js';
import { L2WireError } from './wire/errors.js';
import { classifyFrame, type ClassifiedFrame } from './wire/frame.js';
import { verifyIcmpv6Checksum } from './wire/icmpv6.js';
import { findLinkLayerAddress } from './wire/ndp.js';

export interface ResponderContext {
  /** The MAC of the interface the frame arrived on; replies are sent from it. */
  readonly ifaceMac: Uint8Array;
  readonly ifaceName: string;
  /** Whether this node announces `ip` (canonical text) on `ifaceName` right now. */
  readonly owned: (ip: string, ifaceName: string) => boolean;
}

export type DropReason =
  | 'malformed'
  | 'not-arp-or-ndp'
  | 'ipv6-extension-header'
  | 'own-frame'
  | 'ethernet-destination-not-us'
  | 'arp-reply'
  | 'arp-unknown-opcode'
  | 'arp-gratuitous'
  | 'ndp-advertisement'
  | 'ndp-hop-limit-not-255'
  | 'ndp-bad-checksum'
  | 'ndp-bad-code'
  | 'ndp-target-multicast'
  | 'ndp-source-multicast'
  | 'ndp-destination-mismatch'
  | 'ndp-invalid-dad'
  | 'not-owned';

export const DROP_REASONS: readonly DropReason[] = [
  'malformed',
  'not-arp-or-ndp',
  'ipv6-extension-header',
  'own-frame',
  'ethernet-destination-not-us',
  'arp-reply',
  'arp-unknown-opcode',
  'arp-gratuitous',
  'ndp-advertisement',
  'ndp-hop-limit-not-255',
  'ndp-bad-checksum',
  'ndp-bad-code',
  'ndp-target-multicast',
  'ndp-source-multicast',
  'ndp-destination-mismatch',
  'ndp-invalid-dad',
  'not-owned',
];

export type Decision =
  | { readonly kind: 'reply'; readonly frame: Uint8Array }
  | { readonly kind: 'drop'; readonly reason: DropReason; readonly error?: L2WireError };

type ArpFrame = Extract<ClassifiedFrame, { kind: 'arp' }>;
type NsFrame = Extract<ClassifiedFrame, { kind: 'ns' }>;

const drop = (reason: DropReason): Decision => ({ kind: 'drop', reason });

function classify(frame: Uint8Array): ClassifiedFrame | Decision {
  try {
    return classifyFrame(frame);
  } catch (e) {
    if (e instanceof L2WireError) return { kind: 'drop', reason: 'malformed', error: e };
    throw e;
  }
}

function decideArp(f: ArpFrame, ctx: ResponderContext): Decision {
  const { ethernet, arp } = f;
  if (!bytesEqual(ethernet.destination, BROADCAST_MAC) && !bytesEqual(ethernet.destination, ctx.ifaceMac)) {
    return drop('ethernet-destination-not-us');
  }
  if (arp.op === ArpOp.REPLY) return drop('arp-reply');
  if (arp.op !== ArpOp.REQUEST) return drop('arp-unknown-opcode');
  // Sender = target announces the sender's own address: no question is asked (conflictOf looks at it).
  if (bytesEqual(arp.senderIp, arp.targetIp)) return drop('arp-gratuitous');
  if (!ctx.owned(formatIpBytes(arp.targetIp), ctx.ifaceName)) return drop('not-owned');
  return {
    kind: 'reply',
    frame: buildArpFrame(
      { destination: arp.senderMac, source: ctx.ifaceMac, vlan: ethernet.vlan },
      {
        op: ArpOp.REPLY,
        senderMac: ctx.ifaceMac,
        senderIp: arp.targetIp,
        targetMac: arp.senderMac,
        targetIp: arp.senderIp,
      },
    ),
  };
}

/** RFC 4861 §7.1.1 validity checks, in order; undefined when the solicitation is valid. */
function invalidNs(f: NsFrame, ctx: ResponderContext): DropReason | undefined {
  const { ethernet, ipv6, ns } = f;
  const solicitedNode = solicitedNodeAddress(ns.target);
  const toUs = bytesEqual(ethernet.destination, ctx.ifaceMac);
  if (!toUs && !bytesEqual(ethernet.destination, multicastMac(solicitedNode)))
    return 'ethernet-destination-not-us';
  if (ipv6.hopLimit !== NDP_HOP_LIMIT) return 'ndp-hop-limit-not-255';
  if (!verifyIcmpv6Checksum(ipv6.source, ipv6.destination, ipv6.payload)) return 'ndp-bad-checksum';
  if (f.icmp.code !== NDP_CODE) return 'ndp-bad-code';
  if (isIpv6Multicast(ns.target)) return 'ndp-target-multicast';
  if (isIpv6Multicast(ipv6.source)) return 'ndp-source-multicast';
  if (!bytesEqual(ipv6.destination, ns.target) && !bytesEqual(ipv6.destination, solicitedNode)) {
    return 'ndp-destination-mismatch';
  }
  const dad = bytesEqual(ipv6.source, UNSPECIFIED_ADDRESS);
  const hasSlla = ns.options.some((o) => o.type === NdpOptionType.SOURCE_LINK_LAYER_ADDRESS);
  if (dad && (hasSlla || !bytesEqual(ipv6.destination, solicitedNode))) return 'ndp-invalid-dad';
  return undefined;
}

function decideNs(f: NsFrame, ctx: ResponderContext): Decision {
  const invalid = invalidNs(f, ctx);
  if (invalid !== undefined) return drop(invalid);
  const { ethernet, ipv6, ns } = f;
  const slla = findLinkLayerAddress(ns.options, NdpOptionType.SOURCE_LINK_LAYER_ADDRESS);
  if (!ctx.owned(formatIpBytes(ns.target), ctx.ifaceName)) return drop('not-owned');
  const link = { source: ctx.ifaceMac, vlan: ethernet.vlan };
  const na = { source: ns.target, target: ns.target, targetMac: ctx.ifaceMac, override: true };
  if (bytesEqual(ipv6.source, UNSPECIFIED_ADDRESS)) {
    // RFC 4861 §7.2.4: a DAD probe is answered to all-nodes with S=0; this defends the VIP.
    const frame = buildNeighborAdvertisement(
      { ...link, destination: multicastMac(ALL_NODES_ADDRESS) },
      { ...na, destination: ALL_NODES_ADDRESS, solicited: false },
    );
    return { kind: 'reply', frame };
  }
  // Without an SLLA (unicast NUD probes) the kernel would first resolve the NS source (RFC 4861 §7.2.4);
  // the solicitor's MAC is already in hand as the Ethernet source, so the NA goes straight there.
  const frame = buildNeighborAdvertisement(
    { ...link, destination: slla ?? ethernet.source },
    { ...na, destination: ipv6.source, solicited: true },
  );
  return { kind: 'reply', frame };
}

function decideClassified(c: ClassifiedFrame, ctx: ResponderContext): Decision {
  if (bytesEqual(c.ethernet.source, ctx.ifaceMac)) return drop('own-frame');
  switch (c.kind) {
    case 'arp':
      return decideArp(c, ctx);
    case 'ns':
      return decideNs(c, ctx);
    case 'na':
      return drop('ndp-advertisement');
    case 'ignored':
      return drop(c.reason);
  }
}

/** Decides what to do with one received frame. Never throws on any input bytes. */
export function decide(frame: Uint8Array, ctx: ResponderContext): Decision {
  const fast = fastArp(frame, ctx);
  if (fast !== undefined) return fast.kind === 'reply' ? fast : drop('not-owned');
  return decideByDecoding(frame, ctx);
}

/** The general path: decode the frame, then decide (what the fast path must agree with). */
export function decideByDecoding(frame: Uint8Array, ctx: ResponderContext): Decision {
  const c = classify(frame);
  if (c.kind === 'reply' || c.kind === 'drop') return c;
  try {
    return decideClassified(c, ctx);
  } catch (e) {
    // An SLLA option of the wrong size is only found when the option is looked up.
    if (e instanceof L2WireError) return { kind: 'drop', reason: 'malformed', error: e };
    throw e;
  }
}

export interface Conflict {
  readonly ip: string;
  readonly mac: string;
}

function naConflict(
  c: Extract<ClassifiedFrame, { kind: 'na' }>,
  ctx: ResponderContext,
): Conflict | undefined {
  if (c.ipv6.hopLimit !== NDP_HOP_LIMIT || c.icmp.code !== NDP_CODE) return undefined;
  if (!verifyIcmpv6Checksum(c.ipv6.source, c.ipv6.destination, c.ipv6.payload)) return undefined;
  const ip = formatIpBytes(c.na.target);
  if (!ctx.owned(ip, ctx.ifaceName)) return undefined;
  const mac =
    findLinkLayerAddress(c.na.options, NdpOptionType.TARGET_LINK_LAYER_ADDRESS) ?? c.ethernet.source;
  return bytesEqual(mac, ctx.ifaceMac) ? undefined : { ip, mac: formatMac(mac) };
}

function conflictOfClassified(c: ClassifiedFrame, ctx: ResponderContext): Conflict | undefined {
  if (bytesEqual(c.ethernet.source, ctx.ifaceMac)) return undefined;
  if (c.kind === 'na') return naConflict(c, ctx);
  if (c.kind !== 'arp' || (c.arp.op !== ArpOp.REPLY && c.arp.op !== ArpOp.REQUEST)) return undefined;
  // Any ARP whose sender IP is ours (reply, gratuitous request or reply, or a request sent from our VIP)
  // means another host uses the address.
  const ip = formatIpBytes(c.arp.senderIp);
  if (!ctx.owned(ip, ctx.ifaceName) || bytesEqual(c.arp.senderMac, ctx.ifaceMac)) return undefined;
  return { ip, mac: formatMac(c.arp.senderMac) };
}

/**
 * The address and MAC when `frame` is an ARP packet or Neighbor Advertisement in which another MAC
 * claims an address this node owns on this interface (split-brain detection); otherwise undefined.
 */
export function conflictOf(frame: Uint8Array, ctx: ResponderContext): Conflict | undefined {
  const c = classify(frame);
  if (c.kind === 'reply' || c.kind === 'drop') return undefined;
  try {
    return conflictOfClassified(c, ctx);
  } catch (e) {
    if (e instanceof L2WireError) return undefined;
    throw e;
  }
}

export interface Examination {
  readonly decision: Decision;
  readonly conflict: Conflict | undefined;
}

/** `decide` and `conflictOf` together over one decoding of the frame (the announcer's per-frame call). */
export function examine(frame: Uint8Array, ctx: ResponderContext): Examination {
  // A plain ARP request from a sender address we do not own can be no conflict: the fast path decides.
  const fast = fastArp(frame, ctx);
  if (fast !== undefined) {
    return { decision: fast.kind === 'reply' ? fast : drop('not-owned'), conflict: undefined };
  }
  const c = classify(frame);
  if (c.kind === 'reply' || c.kind === 'drop') return { decision: c, conflict: undefined };
  let conflict: Conflict | undefined;
  try {
    conflict = conflictOfClassified(c, ctx);
  } catch (e) {
    if (!(e instanceof L2WireError)) throw e;
  }
  try {
    return { decision: decideClassified(c, ctx), conflict };
  } catch (e) {
    if (e instanceof L2WireError)
      return { decision: { kind: 'drop', reason: 'malformed', error: e }, conflict };
    throw e;
  }
}
