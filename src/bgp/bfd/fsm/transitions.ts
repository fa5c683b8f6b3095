/**
 * Building blocks shared by the BFD event handlers: changing bfd.SessionState (with the §6.8.3
 * interval rules and Poll Sequence start it implies) and building the packets the session sends.
 */
import type { BfdControlPacket, BfdState } from '../codec/index.js';
import { targetIntervals } from './timers.js';
import type { BfdFsmAction, BfdFsmState } from './types.js';

/** Sets bfd.SessionState and bfd.LocalDiag, reporting the change, then re-derives the intervals. */
export function enterState(
  s: BfdFsmState,
  to: BfdState,
  diagnostic: number,
  actions: BfdFsmAction[],
): BfdFsmState {
  if (s.sessionState === to) return s;
  actions.push({ type: 'state-change', from: s.sessionState, to, diagnostic, remoteState: s.remoteState });
  return applyTargetIntervals({ ...s, sessionState: to, localDiag: diagnostic });
}

/**
 * §6.8.3: when the intervals to advertise change, advertise them at once. While Up, start a Poll
 * Sequence and use a new value right away only where that cannot cause a false detection (a smaller
 * Desired Min TX, a larger Required Min RX); the rest waits for the Final. When not Up, use them at once.
 */
export function applyTargetIntervals(s: BfdFsmState): BfdFsmState {
  const target = targetIntervals(s.config, s.sessionState);
  if (s.sessionState !== 'Up') return { ...s, advertised: target, inUse: target, pollActive: false };
  const unchanged =
    target.desiredMinTxUs === s.advertised.desiredMinTxUs &&
    target.requiredMinRxUs === s.advertised.requiredMinRxUs;
  if (unchanged) return s;
  const inUse = {
    desiredMinTxUs: Math.min(s.inUse.desiredMinTxUs, target.desiredMinTxUs),
    requiredMinRxUs: Math.max(s.inUse.requiredMinRxUs, target.requiredMinRxUs),
  };
  return { ...s, advertised: target, inUse, pollActive: true };
}

/** A control packet describing `s`. A packet never carries both P and F (§6.8.7). */
export function controlPacket(s: BfdFsmState, bits: { poll: boolean; final: boolean }): BfdControlPacket {
  return {
    diagnostic: s.localDiag,
    state: s.sessionState,
    poll: bits.poll && !bits.final,
    final: bits.final,
    controlPlaneIndependent: false,
    demand: false,
    detectMult: s.config.detectMult,
    myDiscriminator: s.config.localDiscriminator,
    yourDiscriminator: s.remoteDiscr,
    desiredMinTxUs: s.advertised.desiredMinTxUs,
    requiredMinRxUs: s.advertised.requiredMinRxUs,
    requiredMinEchoRxUs: 0,
  };
}

/** The periodic packet: P while a Poll Sequence is being transmitted, never F. */
export function periodicPacket(s: BfdFsmState): BfdFsmAction {
  return { type: 'send', packet: controlPacket(s, { poll: s.pollActive, final: false }) };
}
