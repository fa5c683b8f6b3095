/**
 * BFD timer arithmetic (RFC 5880 §6.8.2–6.8.4, §6.8.7): the intervals a session advertises, the
 * negotiated transmit interval, the detection time, per-packet jitter and whether periodic transmission
 * is allowed at all.
 */
import {
  BFD_JITTER_MAX_FACTOR,
  BFD_JITTER_MAX_FACTOR_DETECT_MULT_1,
  BFD_JITTER_MIN_FACTOR,
  BFD_SLOW_TX_INTERVAL_US,
  type BfdState,
} from '../codec/index.js';
import type { BfdFsmAction, BfdFsmConfig, BfdFsmState, BfdIntervals } from './types.js';

/** The intervals to advertise in `sessionState`: Desired Min TX is at least 1 s unless Up (§6.8.3). */
export function targetIntervals(config: BfdFsmConfig, sessionState: BfdState): BfdIntervals {
  const desiredMinTxUs =
    sessionState === 'Up' ? config.desiredMinTxUs : Math.max(config.desiredMinTxUs, BFD_SLOW_TX_INTERVAL_US);
  return { desiredMinTxUs, requiredMinRxUs: config.requiredMinRxUs };
}

/** §6.8.7: the larger of bfd.DesiredMinTxInterval (in use) and bfd.RemoteMinRxInterval. */
export function txIntervalUs(s: BfdFsmState): number {
  return Math.max(s.inUse.desiredMinTxUs, s.remoteMinRxUs);
}

/**
 * §6.8.4, asynchronous mode: the remote Detect Mult times the larger of bfd.RequiredMinRxInterval (in
 * use) and the remote's last Desired Min TX Interval.
 */
export function detectionTimeUs(s: BfdFsmState): number {
  return s.remoteDetectMult * Math.max(s.inUse.requiredMinRxUs, s.remoteDesiredMinTxUs);
}

/** The detection time the remote system applies to us: our Detect Mult times our transmit interval. */
export function remoteDetectionTimeUs(s: BfdFsmState): number {
  return s.config.detectMult * txIntervalUs(s);
}

/** §6.8.7 jitter bounds: 75–100 % of the interval, 75–90 % when bfd.DetectMult is 1. */
export function armTxTimer(s: BfdFsmState): BfdFsmAction {
  return {
    type: 'arm-tx-timer',
    intervalUs: txIntervalUs(s),
    minFactor: BFD_JITTER_MIN_FACTOR,
    maxFactor: s.config.detectMult === 1 ? BFD_JITTER_MAX_FACTOR_DETECT_MULT_1 : BFD_JITTER_MAX_FACTOR,
  };
}

/** The delay for an `arm-tx-timer` action given `random` in [0, 1). */
export function jitteredDelayUs(
  action: Extract<BfdFsmAction, { type: 'arm-tx-timer' }>,
  random: number,
): number {
  const r = Math.min(Math.max(random, 0), 1);
  return action.intervalUs * (action.minFactor + r * (action.maxFactor - action.minFactor));
}

/** §6.8.7 and §6.8.16: may periodic control packets be sent now? */
export function mayTransmitPeriodically(s: BfdFsmState, nowMs: number): boolean {
  if (s.config.passive && s.remoteDiscr === 0) return false;
  if (s.remoteMinRxUs === 0) return false;
  if (s.sessionState === 'AdminDown') return s.adminDownUntilMs !== undefined && nowMs < s.adminDownUntilMs;
  const remoteDemandActive = s.remoteDemand && s.sessionState === 'Up' && s.remoteState === 'Up';
  return !remoteDemandActive || s.pollActive;
}
