/**
 * What `herald peer-check` prints, as plain JSON values built from bgp-ts-lite's model: the peer's OPEN
 * with capabilities decoded by name, what was negotiated, NOTIFICATIONs with code and subcode names and
 * the RFC 9003 shutdown communication, state-change reasons, and the routes the router sent counted per
 * family. Pure: no clock, no I/O.
 */
import { Afi, AS_TRANS, ErrorCode, IPV4_ADDRESS_LENGTH, Safi } from '../../bgp/constants.js';
import type { Negotiated, StateReason } from '../../bgp/fsm/types.js';
import { formatAddress, prefixKey } from '../../bgp/nlri/prefix.js';
import type { Capability, Nlri, NotificationMessage, UpdateMessage } from '../../bgp/types.js';
import {
  afiName,
  capabilityName,
  errorCodeName,
  errorSubcodeName,
  familyName,
  FQDN_CAPABILITY_CODE,
} from './names.js';

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

const BYTE_RADIX = 16;

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(BYTE_RADIX).padStart(2, '0')).join('');
}

/** A BGP Identifier as a dotted quad. */
export function formatBgpId(id: number): string {
  const bytes = new Uint8Array(IPV4_ADDRESS_LENGTH);
  new DataView(bytes.buffer).setUint32(0, id);
  return formatAddress(bytes);
}

/** "OPEN Message Error / Bad Peer AS (2/2)". */
export function notificationText(code: number, subcode: number): string {
  const subcodeName =
    code === ErrorCode.HOLD_TIMER_EXPIRED && subcode === 0 ? '' : ` / ${errorSubcodeName(code, subcode)}`;
  return `${errorCodeName(code)}${subcodeName} (${code}/${subcode})`;
}

export function notificationJson(
  direction: 'sent' | 'received',
  message: NotificationMessage,
  communication: string | undefined,
): Json {
  return {
    direction,
    code: message.code,
    codeName: errorCodeName(message.code),
    subcode: message.subcode,
    subcodeName: errorSubcodeName(message.code, message.subcode),
    data: hex(message.data),
    ...(communication !== undefined ? { communication } : {}),
  };
}

/** The FQDN capability's hostname and domain (length-prefixed strings), or undefined when malformed. */
function fqdn(data: Uint8Array): { hostname: string; domain: string } | undefined {
  const hostLength = data[0];
  if (hostLength === undefined || data.length < 1 + hostLength + 1) return undefined;
  const domainLength = data[1 + hostLength]!;
  if (data.length < 2 + hostLength + domainLength) return undefined;
  const text = new TextDecoder();
  return {
    hostname: text.decode(data.subarray(1, 1 + hostLength)),
    domain: text.decode(data.subarray(2 + hostLength, 2 + hostLength + domainLength)),
  };
}

export function capabilityJson(c: Capability): Json {
  switch (c.kind) {
    case 'multiprotocol':
      return { name: 'multiprotocol', family: familyName(c.afi, c.safi) };
    case 'four-octet-as':
      return { name: 'four-octet-as', asn: c.asn };
    case 'graceful-restart':
      return {
        name: 'graceful-restart',
        restartTimeS: c.restartTime,
        restartState: c.restartState,
        notification: c.notification,
        families: c.families.map((f) => ({
          family: familyName(f.afi, f.safi),
          forwardingState: f.forwardingState,
        })),
      };
    case 'add-path':
      return {
        name: 'add-path',
        families: c.families.map((f) => ({ family: familyName(f.afi, f.safi), direction: f.direction })),
      };
    case 'extended-next-hop':
      return {
        name: 'extended-next-hop',
        entries: c.entries.map((e) => ({
          family: familyName(e.afi, e.safi),
          nextHopAfi: afiName(e.nextHopAfi),
        })),
      };
    case 'unknown': {
      const name = capabilityName(c.code);
      const host = c.code === FQDN_CAPABILITY_CODE ? fqdn(c.data) : undefined;
      return { name, code: c.code, data: hex(c.data), ...(host ?? {}) };
    }
    default:
      return { name: c.kind };
  }
}

/** The peer's OPEN (ASN as negotiated, 4-octet included) and what both sides agreed on. */
export function openJson(n: Negotiated): Json {
  const open = n.peerOpen;
  return {
    peer: {
      asn: n.peerAs,
      myAsField: open.myAs,
      ...(open.myAs === AS_TRANS && n.peerAs !== AS_TRANS ? { asTrans: true } : {}),
      routerId: formatBgpId(open.bgpId),
      holdTimeS: open.holdTime,
      version: open.version,
      capabilities: open.capabilities.map(capabilityJson),
    },
    negotiated: {
      holdTimeS: n.holdTimeS,
      keepaliveS: n.keepaliveMs / 1000,
      families: n.families.map((f) => familyName(f.afi, f.safi)),
      fourOctetAs: n.fourOctetAs,
      extendedMessage: n.extendedMessage,
      routeRefresh: n.peerRouteRefresh,
      enhancedRouteRefresh: n.enhancedRouteRefresh,
      peerGracefulRestart: n.peerGracefulRestart !== undefined,
    },
  };
}

export function reasonJson(reason: StateReason): Json {
  if (reason.kind === 'notification-received' || reason.kind === 'notification-sent') {
    return {
      kind: reason.kind,
      code: reason.code,
      subcode: reason.subcode,
      name: notificationText(reason.code, reason.subcode),
      data: hex(reason.data),
    };
  }
  if (reason.kind === 'automatic-stop') {
    return {
      kind: reason.kind,
      subcode: reason.subcode,
      name: notificationText(ErrorCode.CEASE, reason.subcode),
    };
  }
  return { ...reason };
}

/** Why the session left Established or never got there, in words. */
export function reasonText(reason: StateReason): string {
  switch (reason.kind) {
    case 'notification-received':
      return `NOTIFICATION received: ${notificationText(reason.code, reason.subcode)}`;
    case 'notification-sent':
      return `NOTIFICATION sent: ${notificationText(reason.code, reason.subcode)}`;
    case 'hold-timer-expired':
      return 'hold timer expired: no KEEPALIVE or UPDATE from the peer within the hold time';
    case 'automatic-stop':
      return `stopped with ${notificationText(ErrorCode.CEASE, reason.subcode)}`;
    case 'tcp-failed':
      return `the ${reason.direction} TCP connection failed or was closed by the peer`;
    case 'collision-resolved':
      return `connection collision resolved (the ${reason.dumped} connection was dropped)`;
    default:
      return reason.kind;
  }
}

/** Prefixes the router currently announces, per family ('ipv4-unicast'), with End-of-RIB seen. */
export class ReceivedByFamily {
  readonly #prefixes = new Map<string, Set<string>>();
  readonly #endOfRib = new Set<string>();

  apply(update: UpdateMessage): void {
    const change = (family: string, list: readonly Nlri[], add: boolean): void => {
      if (list.length === 0) return;
      let set = this.#prefixes.get(family);
      if (set === undefined) this.#prefixes.set(family, (set = new Set()));
      for (const n of list) {
        const key = n.pathId === undefined ? prefixKey(n.prefix) : `${prefixKey(n.prefix)}#${n.pathId}`;
        if (add) set.add(key);
        else set.delete(key);
      }
    };
    const ipv4 = familyName(Afi.IPV4, Safi.UNICAST);
    change(ipv4, update.withdrawn, false);
    for (const a of update.attributes) {
      if (a.kind === 'mp-unreach-nlri') change(familyName(a.afi, a.safi), a.withdrawn, false);
    }
    for (const a of update.attributes) {
      if (a.kind === 'mp-reach-nlri') change(familyName(a.afi, a.safi), a.nlri, true);
    }
    change(ipv4, update.nlri, true);
  }

  endOfRib(afi: number, safi: number): void {
    this.#endOfRib.add(familyName(afi, safi));
  }

  /** { 'ipv4-unicast': { prefixes: 3, endOfRib: true } } for every family seen or negotiated. */
  summary(families: readonly string[] = []): Json {
    const names = [...new Set([...families, ...this.#prefixes.keys(), ...this.#endOfRib])].sort();
    return Object.fromEntries(
      names.map((f) => [f, { prefixes: this.#prefixes.get(f)?.size ?? 0, endOfRib: this.#endOfRib.has(f) }]),
    );
  }

  get total(): number {
    let n = 0;
    for (const set of this.#prefixes.values()) n += set.size;
    return n;
  }
}
