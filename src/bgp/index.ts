/**
 * DOC: bgp-ts-lite, Herald's in-tree BGP-4 library. It imports nothing outside src/bgp and no npm package.
 *
 * - codec (pure): messages to and from bytes, the stream framer, OPEN validation, prefixes (README "Codec");
 * - fsm (pure): the RFC 4271 §8 state machine as a reducer, with timers, collisions and OPEN negotiation;
 * - rib (pure): the Adj-RIB-Out as desired state, packed into UPDATEs, End-of-RIB;
 * - session (I/O): BgpSession and BgpListener over TCP, with an injected Clock and TcpTransport;
 * - bfd: Bidirectional Forwarding Detection (RFC 5880), exported as the `bfd` namespace.
 *
 * See README.md in this folder for the supported RFCs and how to use the library.
 */
export * from './constants.js';
export * from './types.js';
export * from './errors.js';
export { decodeMessage, encodeMessage, messageLength, type DecodeResult } from './codec.js';
export { MessageFramer } from './wire/framer.js';
export { validateOpen, peerAsOf, type OpenExpectations } from './messages/validate-open.js';
export {
  decodeShutdownCommunication,
  encodeShutdownCommunication,
  shutdownNotification,
  type ShutdownCommunication,
} from './messages/shutdown-communication.js';
export {
  formatAddress,
  formatPrefix,
  makePrefix,
  parseAddress,
  parsePrefix,
  prefixKey,
} from './nlri/prefix.js';
export * from './fsm/index.js';
export * from './rib/index.js';
export * from './session/index.js';
export * as bfd from './bfd/index.js';
