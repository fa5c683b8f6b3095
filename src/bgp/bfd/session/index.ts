/**
 * The BFD session adapter: UDP sockets (RFC 5881, RFC 5883), demultiplexing, timers, typed events.
 */
export { BfdService } from './service.js';
export type { BfdServiceComponents, BfdServiceEvents, BfdServiceInit, BfdSessionOptions } from './service.js';
export {
  BFD_DEFAULT_DESIRED_MIN_TX_US,
  BFD_DEFAULT_DETECT_MULT,
  BFD_DEFAULT_REQUIRED_MIN_RX_US,
} from './service.js';
export { BfdSession } from './session.js';
export type {
  BfdMode,
  BfdSessionComponents,
  BfdSessionEvents,
  BfdSessionInit,
  BfdSessionSnapshot,
  BfdStateChangeEvent,
  BfdTransport,
} from './session.js';
export { BfdDemux } from './demux.js';
export type { DemuxDiscardReason, DemuxResult, DemuxTarget } from './demux.js';
export { BfdDuplicateSessionError, BfdLifecycleError, BfdSocketError } from './errors.js';
export type { MinTtlPort } from './gtsm.js';
export { canonicalAddress, type AddressFamily } from './address.js';
export { TypedEmitter, type Listener } from '../../session/emitter.js';
