/**
 * OPEN handling of the FSM: the OPEN we send (capabilities per RFC 5492: multiprotocol, route refresh,
 * enhanced route refresh, extended messages, graceful restart, 4-octet AS) and what a valid received OPEN
 * negotiates (hold time, keepalive interval, common families, codec context). The checks of the received
 * OPEN are those of ../messages/validate-open.ts.
 */
import {
  AS_TRANS,
  Afi,
  BGP_VERSION,
  GRACEFUL_RESTART_TIME_MASK,
  MAX_TWO_OCTET_ASN,
  Safi,
} from '../constants.js';
import { BgpInputError, type BgpWireError } from '../errors.js';
import { peerAsOf, validateOpen } from '../messages/validate-open.js';
import { afiSafiKey, type AfiSafi, type Capability, type OpenMessage } from '../types.js';
import { keepaliveIntervalMs } from './timers.js';
import type { FsmConfig, Negotiated } from './types.js';

export interface LocalOpenOptions {
  readonly localAs: number;
  readonly bgpId: number;
  readonly holdTimeS: number;
  readonly families: readonly AfiSafi[];
  /** RFC 7313; default true. */
  readonly enhancedRouteRefresh?: boolean;
  /** RFC 8654; default true. */
  readonly extendedMessage?: boolean;
  /** RFC 4724 graceful restart capability (we act as the restarting speaker). */
  readonly gracefulRestart?: {
    /** Seconds the peer keeps our routes after the session drops, 0–4095. */
    readonly restartTimeS: number;
    /** R bit: we restarted, so the peer must not wait for our End-of-RIB. */
    readonly restarted: boolean;
    /** F bit per family: forwarding survived the restart (default true). */
    readonly forwardingState?: boolean;
  };
}

/** Builds the OPEN we send. Throws BgpInputError for a value the OPEN cannot carry. */
export function buildLocalOpen(options: LocalOpenOptions): OpenMessage {
  const capabilities: Capability[] = options.families.map((f) => ({ kind: 'multiprotocol', ...f }));
  capabilities.push({ kind: 'route-refresh' });
  if (options.enhancedRouteRefresh ?? true) capabilities.push({ kind: 'enhanced-route-refresh' });
  if (options.extendedMessage ?? true) capabilities.push({ kind: 'extended-message' });
  const gr = options.gracefulRestart;
  if (gr !== undefined) {
    if (
      !Number.isInteger(gr.restartTimeS) ||
      gr.restartTimeS < 0 ||
      gr.restartTimeS > GRACEFUL_RESTART_TIME_MASK
    ) {
      throw new BgpInputError(
        'gracefulRestart.restartTimeS',
        `must be an integer in [0, ${GRACEFUL_RESTART_TIME_MASK}], got ${gr.restartTimeS}`,
      );
    }
    capabilities.push({
      kind: 'graceful-restart',
      restartState: gr.restarted,
      notification: false,
      restartTime: gr.restartTimeS,
      families: options.families.map((f) => ({ ...f, forwardingState: gr.forwardingState ?? true })),
    });
  }
  capabilities.push({ kind: 'four-octet-as', asn: options.localAs });
  return {
    type: 'open',
    version: BGP_VERSION,
    myAs: options.localAs > MAX_TWO_OCTET_ASN ? AS_TRANS : options.localAs,
    holdTime: options.holdTimeS,
    bgpId: options.bgpId >>> 0,
    capabilities,
  };
}

/** The OPEN with the graceful restart R bit cleared (sent on every session after the first one). */
export function withoutRestartState(open: OpenMessage): OpenMessage {
  if (!open.capabilities.some((c) => c.kind === 'graceful-restart' && c.restartState)) return open;
  return {
    ...open,
    capabilities: open.capabilities.map((c) =>
      c.kind === 'graceful-restart' ? { ...c, restartState: false } : c,
    ),
  };
}

function find<K extends Capability['kind']>(
  caps: readonly Capability[],
  kind: K,
): Extract<Capability, { kind: K }> | undefined {
  return caps.find((c): c is Extract<Capability, { kind: K }> => c.kind === kind);
}

const IPV4_UNICAST: AfiSafi = { afi: Afi.IPV4, safi: Safi.UNICAST };

/** The peer's families: its multiprotocol capabilities, or IPv4 unicast when it sends none (RFC 4760 §8). */
export function peerFamilies(open: OpenMessage): AfiSafi[] {
  const mp = open.capabilities.filter((c) => c.kind === 'multiprotocol');
  return mp.length === 0 ? [IPV4_UNICAST] : mp.map((c) => ({ afi: c.afi, safi: c.safi }));
}

/**
 * Session-aware validation of a received OPEN (version, peer AS, hold time, BGP Identifier, with the
 * RFC 4271 §6.2 subcodes): the error whose NOTIFICATION to send, or undefined.
 */
export function checkPeerOpen(open: OpenMessage, config: FsmConfig): BgpWireError | undefined {
  return validateOpen(open, {
    peerAs: config.peerAs,
    localAs: config.localAs,
    localBgpId: config.bgpId,
    ...(config.minHoldTimeS !== undefined ? { minHoldTime: config.minHoldTimeS } : {}),
  });
}

/** What a valid peer OPEN and our configuration agree on. */
export function negotiate(config: FsmConfig, peer: OpenMessage): Negotiated {
  const ours = config.open.capabilities;
  const holdTimeS = Math.min(config.holdTimeS, peer.holdTime);
  const theirs = new Set(peerFamilies(peer).map(afiSafiKey));
  const fourOctetAs =
    find(ours, 'four-octet-as') !== undefined && find(peer.capabilities, 'four-octet-as') !== undefined;
  const extendedMessage =
    find(ours, 'extended-message') !== undefined && find(peer.capabilities, 'extended-message') !== undefined;
  const peerGracefulRestart = find(peer.capabilities, 'graceful-restart');
  return {
    peerOpen: peer,
    peerAs: peerAsOf(peer),
    peerBgpId: peer.bgpId >>> 0,
    holdTimeS,
    keepaliveMs: keepaliveIntervalMs(holdTimeS, config.keepaliveTimeS),
    fourOctetAs,
    extendedMessage,
    peerRouteRefresh: find(peer.capabilities, 'route-refresh') !== undefined,
    enhancedRouteRefresh:
      find(ours, 'enhanced-route-refresh') !== undefined &&
      find(peer.capabilities, 'enhanced-route-refresh') !== undefined,
    families: config.families.filter((f) => theirs.has(afiSafiKey(f))),
    ...(peerGracefulRestart !== undefined ? { peerGracefulRestart } : {}),
    codec: { fourOctetAs, extendedMessage, addPathReceive: new Set(), addPathSend: new Set() },
  };
}
