/**
 * The BGP-4 message model of bgp-ts-lite: plain, immutable data that the codec encodes and decodes and the
 * FSM and sessions pass around. Discriminated by `type` (messages), `kind` (capabilities, attributes).
 * Addresses are raw network-order bytes (4 for IPv4, 16 for IPv6); prefixes carry full-width masked
 * addresses so two equal prefixes compare equal.
 */
import type { AfiValue, OriginValue } from './constants.js';

export interface AfiSafi {
  readonly afi: AfiValue;
  readonly safi: number;
}

/** An IP prefix: `address` is 4 (IPv4) or 16 (IPv6) bytes with every bit past `length` zero. */
export interface Prefix {
  readonly afi: AfiValue;
  readonly length: number;
  readonly address: Uint8Array;
}

/** One NLRI entry; `pathId` is present only on ADD-PATH (RFC 7911) sessions. */
export interface Nlri {
  readonly prefix: Prefix;
  readonly pathId?: number;
}

// ---------------------------------------------------------------- capabilities (RFC 5492)

export type Capability =
  | ({ readonly kind: 'multiprotocol' } & AfiSafi)
  | { readonly kind: 'route-refresh' }
  | { readonly kind: 'enhanced-route-refresh' }
  | { readonly kind: 'four-octet-as'; readonly asn: number }
  | { readonly kind: 'extended-message' }
  | {
      readonly kind: 'graceful-restart';
      /** R bit: the sender has restarted. */
      readonly restartState: boolean;
      /** N bit (RFC 8538). */
      readonly notification: boolean;
      /** Seconds, 12 bits. */
      readonly restartTime: number;
      readonly families: ReadonlyArray<AfiSafi & { readonly forwardingState: boolean }>;
    }
  | {
      readonly kind: 'add-path';
      readonly families: ReadonlyArray<AfiSafi & { readonly direction: 'receive' | 'send' | 'both' }>;
    }
  | {
      readonly kind: 'extended-next-hop';
      readonly entries: ReadonlyArray<AfiSafi & { readonly nextHopAfi: AfiValue }>;
    }
  | { readonly kind: 'unknown'; readonly code: number; readonly data: Uint8Array };

// ---------------------------------------------------------------- path attributes (RFC 4271 §4.3)

export interface AsPathSegment {
  /** AsPathSegmentType */
  readonly type: number;
  readonly asns: readonly number[];
}

export interface LargeCommunity {
  readonly globalAdmin: number;
  readonly localData1: number;
  readonly localData2: number;
}

/**
 * A path attribute. `flags`, when present, is the flags octet as received (or to send); when absent the
 * encoder uses the RFC flags for the type. Unknown optional transitive attributes are kept as opaque
 * bytes and get the Partial bit when passed on.
 */
export type PathAttribute = { readonly flags?: number } & (
  | { readonly kind: 'origin'; readonly value: OriginValue }
  | { readonly kind: 'as-path'; readonly segments: readonly AsPathSegment[] }
  | { readonly kind: 'next-hop'; readonly address: Uint8Array }
  | { readonly kind: 'multi-exit-disc'; readonly value: number }
  | { readonly kind: 'local-pref'; readonly value: number }
  | { readonly kind: 'atomic-aggregate' }
  | { readonly kind: 'aggregator'; readonly asn: number; readonly address: Uint8Array }
  | { readonly kind: 'communities'; readonly values: readonly number[] }
  /** Each value is 8 octets (RFC 4360). */
  | { readonly kind: 'extended-communities'; readonly values: readonly Uint8Array[] }
  | { readonly kind: 'large-communities'; readonly values: readonly LargeCommunity[] }
  | {
      readonly kind: 'mp-reach-nlri';
      readonly afi: AfiValue;
      readonly safi: number;
      /** One address, or for IPv6 a global and a link-local address (RFC 2545). */
      readonly nextHops: readonly Uint8Array[];
      readonly nlri: readonly Nlri[];
    }
  | {
      readonly kind: 'mp-unreach-nlri';
      readonly afi: AfiValue;
      readonly safi: number;
      readonly withdrawn: readonly Nlri[];
    }
  | { readonly kind: 'as4-path'; readonly segments: readonly AsPathSegment[] }
  | { readonly kind: 'as4-aggregator'; readonly asn: number; readonly address: Uint8Array }
  | { readonly kind: 'unknown'; readonly typeCode: number; readonly data: Uint8Array }
);

export type PathAttributeKind = PathAttribute['kind'];

// ---------------------------------------------------------------- messages (RFC 4271 §4)

export interface OpenMessage {
  readonly type: 'open';
  readonly version: number;
  /** The 2-octet "My Autonomous System" field (AS_TRANS when the real ASN needs 4 octets). */
  readonly myAs: number;
  /** Seconds; 0 or >= 3. */
  readonly holdTime: number;
  /** BGP Identifier as an unsigned 32-bit integer. */
  readonly bgpId: number;
  readonly capabilities: readonly Capability[];
}

export interface UpdateMessage {
  readonly type: 'update';
  /** IPv4 unicast withdrawn routes (RFC 4271). */
  readonly withdrawn: readonly Nlri[];
  readonly attributes: readonly PathAttribute[];
  /** IPv4 unicast NLRI (RFC 4271). */
  readonly nlri: readonly Nlri[];
}

export interface NotificationMessage {
  readonly type: 'notification';
  readonly code: number;
  readonly subcode: number;
  readonly data: Uint8Array;
}

export interface KeepaliveMessage {
  readonly type: 'keepalive';
}

export interface RouteRefreshMessage {
  readonly type: 'route-refresh';
  /**
   * AfiValue for the families bgp-ts-lite knows; any other AFI is decoded as received, and a request
   * for a family that was not negotiated must be ignored (RFC 2918 §4).
   */
  readonly afi: AfiValue | number;
  readonly safi: number;
  /** RouteRefreshSubtype (RFC 7313); 0 for a plain RFC 2918 request. */
  readonly subtype: number;
}

export type BgpMessage =
  OpenMessage | UpdateMessage | NotificationMessage | KeepaliveMessage | RouteRefreshMessage;

/**
 * What the codec needs to know about a session (negotiated in OPEN). Passed explicitly: no hidden options.
 */
export interface CodecContext {
  /** Both sides sent the 4-octet AS capability: AS_PATH carries 4-octet ASNs (RFC 6793). */
  readonly fourOctetAs: boolean;
  /** Extended messages negotiated: messages up to 65535 octets (RFC 8654). */
  readonly extendedMessage: boolean;
  /** Families for which NLRI carry a path identifier when *received* (RFC 7911). Keys "afi/safi". */
  readonly addPathReceive: ReadonlySet<string>;
  /** Families for which NLRI carry a path identifier when *sent*. Keys "afi/safi". */
  readonly addPathSend: ReadonlySet<string>;
}

export const DEFAULT_CODEC_CONTEXT: CodecContext = {
  fourOctetAs: false,
  extendedMessage: false,
  addPathReceive: new Set(),
  addPathSend: new Set(),
};

export function afiSafiKey(f: AfiSafi): string {
  return `${f.afi}/${f.safi}`;
}
