/**
 * Validation of BFD session parameters and the initial state of the state machine. A session starts
 * administratively down (not yet started); `admin-up` enables it (RFC 5880 §6.8.16).
 */
import { BFD_INITIAL_REMOTE_MIN_RX_US, BFD_MAX_DETECT_MULT, BFD_MAX_UINT32 } from '../codec/index.js';
import { targetIntervals } from './timers.js';
import type { BfdFsmConfig, BfdFsmState, BfdTimerParameters } from './types.js';

export class BfdConfigError extends Error {
  override readonly name = 'BfdConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Throws `BfdConfigError` naming the first field of `p` that is out of range. */
export function checkTimerParameters(p: Partial<BfdTimerParameters>): void {
  if (p.desiredMinTxUs !== undefined) checkInteger('desiredMinTxUs', p.desiredMinTxUs, 1, BFD_MAX_UINT32);
  if (p.requiredMinRxUs !== undefined) checkInteger('requiredMinRxUs', p.requiredMinRxUs, 0, BFD_MAX_UINT32);
  if (p.detectMult !== undefined) checkInteger('detectMult', p.detectMult, 1, BFD_MAX_DETECT_MULT);
}

export function checkFsmConfig(c: BfdFsmConfig): void {
  checkTimerParameters(c);
  checkInteger('localDiscriminator', c.localDiscriminator, 1, BFD_MAX_UINT32);
}

function checkInteger(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BfdConfigError(field, `${field} must be an integer in ${min}..${max}, got ${value}`);
  }
}

/** The state of a configured session that has not been started (AdminDown, sending nothing). */
export function initialState(config: BfdFsmConfig): BfdFsmState {
  checkFsmConfig(config);
  const intervals = targetIntervals(config, 'AdminDown');
  return {
    config,
    sessionState: 'AdminDown',
    localDiag: 0,
    remoteState: 'Down',
    remoteDiscr: 0,
    remoteMinRxUs: BFD_INITIAL_REMOTE_MIN_RX_US,
    remoteDesiredMinTxUs: 0,
    remoteDetectMult: 0,
    remoteDemand: false,
    advertised: intervals,
    inUse: intervals,
    pollActive: false,
    txRunning: false,
    txIntervalUs: 0,
    lastTxMs: undefined,
    detectDeadlineMs: undefined,
    adminDownUntilMs: undefined,
  };
}
