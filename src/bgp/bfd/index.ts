/**
 * BFD for bgp-ts-lite: Bidirectional Forwarding Detection (RFC 5880) over UDP, single-hop (RFC 5881)
 * and multihop (RFC 5883), IPv4 and IPv6, as a sibling of the BGP session that BGP can subscribe to.
 *
 * - `codec/`: the control packet (RFC 5880 §4.1) and the §6.8.6 syntactic checks. Pure.
 * - `fsm/`: the state machine as a reducer `step(state, event, nowMs)` (§6.2, §6.8): asynchronous mode,
 *   negotiated intervals, slow rate while not Up, jitter, passive role, Poll/Final. Pure.
 * - `session/`: `BfdService` (sockets, discriminators, demultiplexing) and `BfdSession` (timers, typed
 *   `up`/`down` events). The only I/O.
 *
 * Not implemented: Demand mode of our own (a peer's Demand bit is honoured), the Echo function,
 * authentication (packets with the A bit are discarded). See docs/bfd.md.
 */
export * from './codec/index.js';
export * from './fsm/index.js';
export * from './session/index.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
