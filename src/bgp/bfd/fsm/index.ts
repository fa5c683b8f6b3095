/**
 * BFD state machine (RFC 5880 §6.2, §6.8): a pure reducer over the §6.8.1 state variables. Asynchronous
 * mode, passive role, Poll/Final for parameter changes; no Demand mode of its own, no Echo function, no
 * authentication.
 */
export * from './types.js';
export { BfdConfigError, checkFsmConfig, checkTimerParameters, initialState } from './config.js';
export { step } from './step.js';
export {
  detectionTimeUs,
  jitteredDelayUs,
  mayTransmitPeriodically,
  remoteDetectionTimeUs,
  targetIntervals,
  txIntervalUs,
} from './timers.js';
export { nextStateOnReceive } from './reception.js';
