/**
 * Herald's validated configuration: the typed result of parseConfig over every metallb.io object.
 * Nothing downstream re-validates; the invariants below are guaranteed by src/config.
 *
 * Units: BGP timers are milliseconds (`...Ms`), BFD intervals are milliseconds, ASNs are unsigned 32-bit
 * integers held in `number`. Every map is keyed by object name (for `communities`, by alias name) and
 * iterates in name order. Selectors are kept (not resolved to node names) so a Node label change does
 * not need a re-parse; an empty selector list means "every object".
 */
import type { Community } from '../core/community.js';
import type { IpAddress } from '../core/ip/index.js';
import type { LabelSelector } from '../core/labels.js';
import type { Pool } from '../core/pool.js';
import type { ConfigError } from './errors.js';

export interface Config {
  /** Invariant: no two ranges of any pools overlap; every pool has at least one range. */
  readonly pools: ReadonlyMap<string, Pool>;
  readonly l2Advertisements: ReadonlyMap<string, L2Advertisement>;
  readonly bgpAdvertisements: ReadonlyMap<string, BgpAdvertisement>;
  readonly bgpPeers: ReadonlyMap<string, BgpPeer>;
  readonly bfdProfiles: ReadonlyMap<string, BfdProfile>;
  /** Community aliases (Community.spec.communities[].name → value); alias names are unique. */
  readonly communities: ReadonlyMap<string, Community>;
}

/** One `preferredNodeSelectors` entry: a soft preference summed per node (MetalLB main, after 0.16.1). */
export interface PreferredNodeSelector {
  /** 1..100. */
  readonly weight: number;
  readonly preference: LabelSelector;
}

export interface L2Advertisement {
  readonly name: string;
  /**
   * The pools this advertisement covers, resolved: names from `ipAddressPools` that exist plus every pool
   * matched by `ipAddressPoolSelectors`, or every pool when neither field is set. Sorted, unique, and
   * every name is a key of Config.pools.
   */
  readonly pools: readonly string[];
  /** Empty means every node may announce. */
  readonly nodeSelectors: readonly LabelSelector[];
  /** NIC names to announce on; empty means every interface. Unique. */
  readonly interfaces: readonly string[];
  /** Empty means every Service of the selected pools. */
  readonly serviceSelectors: readonly LabelSelector[];
  readonly preferredNodeSelectors: readonly PreferredNodeSelector[];
}

export interface BgpAdvertisement {
  readonly name: string;
  /** Resolved as for L2Advertisement.pools. */
  readonly pools: readonly string[];
  /** 1..32, default 32. Never shorter than the prefix of any IPv4 address entry of a selected pool. */
  readonly aggregationLength: number;
  /** 0..128, default 128. Never shorter than the prefix of any IPv6 address entry of a selected pool. */
  readonly aggregationLengthV6: number;
  /** LOCAL_PREF (uint32), sent on iBGP sessions only; 0 means not set, as in MetalLB. */
  readonly localPref: number;
  /** Resolved community values (aliases replaced by their value), sorted and unique. */
  readonly communities: readonly Community[];
  /**
   * The BGPPeer names to announce to, resolved: names from `peers` that exist, or every peer when `peers`
   * is empty. Sorted, unique, every name is a key of Config.bgpPeers.
   */
  readonly peers: readonly string[];
  /** Empty means every node announces. */
  readonly nodeSelectors: readonly LabelSelector[];
  /** Empty means every Service. Non-empty only with the default aggregation lengths (32/128). */
  readonly serviceSelectors: readonly LabelSelector[];
}

export type DynamicAsnMode = 'internal' | 'external';

/** Exactly one of a fixed peer ASN and a dynamic mode. */
export type PeerAsn =
  | { readonly peerASN: number; readonly dynamicASN?: undefined }
  | { readonly peerASN?: undefined; readonly dynamicASN: DynamicAsnMode };

export interface PasswordSecretRef {
  readonly name: string;
  readonly namespace: string;
}

export interface BgpPeerFields {
  readonly name: string;
  /** 1..4294967295. */
  readonly myASN: number;
  /** 1..4294967295: the AS sent in OPEN instead of myASN (FRR `local-as N no-prepend replace-as`). */
  readonly localASN?: number;
  readonly peerAddress: IpAddress;
  /** Same family as peerAddress. */
  readonly sourceAddress?: IpAddress;
  /** 1..16384, default 179. */
  readonly peerPort: number;
  /** Whole seconds × 1000: 0 (no keepalives, RFC 4271 §4.2) or >= 3000. Default 90000. */
  readonly holdTimeMs: number;
  /** <= holdTimeMs; derived as holdTime / 3 when not set. Default 30000. */
  readonly keepaliveTimeMs: number;
  /** Whole seconds × 1000 in 1000..65535000; default 120000 (RFC 4271 §10 ConnectRetryTime). */
  readonly connectTimeMs: number;
  /** IPv4 (the BGP Identifier is 32 bits); absent means the speaker picks the node's address. */
  readonly routerID?: IpAddress;
  /** Empty means every node runs a session to this peer. */
  readonly nodeSelectors: readonly LabelSelector[];
  /** TCP MD5 key (RFC 2385), from `password` or from the referenced Secret; at most 80 bytes. */
  readonly password?: string;
  /** Present when the password came from a Secret (for status and change tracking). */
  readonly passwordSecret?: PasswordSecretRef;
  /** Name of an existing BFDProfile (a key of Config.bfdProfiles). */
  readonly bfdProfile?: string;
  readonly enableGracefulRestart: boolean;
  /** Never true for an iBGP peer. */
  readonly ebgpMultiHop: boolean;
  readonly dualStackAddressFamily: boolean;
}

export type BgpPeer = BgpPeerFields & PeerAsn;

/** Intervals in milliseconds; absent spec fields take the documented (FRR) defaults. */
export interface BfdProfile {
  readonly name: string;
  /** 10..60000, default 300. */
  readonly receiveIntervalMs: number;
  /** 10..60000, default 300. */
  readonly transmitIntervalMs: number;
  /** 2..255, default 3. */
  readonly detectMultiplier: number;
  /** 10..60000, default 50. */
  readonly echoIntervalMs: number;
  /** Never true on a profile used by a peer with an IPv6 address or advertising IPv6 pools. */
  readonly echoMode: boolean;
  readonly passiveMode: boolean;
  /** 1..254, default 254 (multihop sessions only). */
  readonly minimumTtl: number;
}

/** The raw objects parseConfig reads: JSON as `kubectl get -o json` (or an informer) returns them. */
export interface ResourceSnapshot {
  readonly ipAddressPools?: readonly unknown[];
  readonly l2Advertisements?: readonly unknown[];
  readonly bgpAdvertisements?: readonly unknown[];
  readonly bgpPeers?: readonly unknown[];
  readonly bfdProfiles?: readonly unknown[];
  readonly communities?: readonly unknown[];
  /** Secrets in the MetalLB namespace, for BGPPeer.spec.passwordSecret. */
  readonly secrets?: readonly unknown[];
  /**
   * Cluster nodes, for the "peers sharing a node" and LOCAL_PREF conflict rules. When absent, two
   * selector lists are taken to share a node whenever some label set could satisfy both.
   */
  readonly nodes?: readonly unknown[];
}

export interface ParseOptions {
  /** The MetalLB namespace (e.g. `metallb-system`); objects elsewhere are rejected, as MetalLB's webhooks do. */
  readonly namespace: string;
}

export type ConfigResult =
  /** `warnings` are non-fatal findings (deprecated fields, references to objects that do not exist). */
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly ConfigError[] }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };
