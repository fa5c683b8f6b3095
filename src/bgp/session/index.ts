/**
 * DOC: sessions of bgp-ts-lite (the I/O adapter).
 *
 * A `BgpSession` runs the pure FSM (../fsm) for one peer over TCP: outbound connections through a
 * `TcpTransport` port (node:net by default; an MD5/TTL/GTSM-capable one can be injected), inbound ones from
 * a `BgpListener`, timers on an injected `Clock`. It frames and decodes the byte stream, sends KEEPALIVEs,
 * enforces the hold timer, reconnects with back-off, resolves collisions, and exports the desired routes
 * (`setRoutes`) as an Adj-RIB-Out diffed against what was sent, with End-of-RIB after the initial routes,
 * ROUTE-REFRESH (RFC 2918) and enhanced route refresh (RFC 7313), and graceful restart as the restarting
 * speaker (RFC 4724). `stop()` sends Cease / Administrative Shutdown with an RFC 9003 communication.
 * `BfdBinding` ties a session to a BFD session: BFD Down stops it with Cease / BFD Down (RFC 9687).
 */
export * from './clock.js';
export * from './transport.js';
export * from './emitter.js';
export * from './events.js';
export * from './options.js';
export { BgpSession, type BgpSessionComponents } from './session.js';
export { BgpListener, peerKey, type BgpListenerComponents, type BgpListenerInit } from './listener.js';
export { canonicalAddress } from './connection.js';
export {
  BfdBinding,
  bfdSuppressReason,
  type BfdBindingEvents,
  type BfdSessionPort,
  type BfdSuppressReason,
  type BgpSessionPort,
} from './bfd-binding.js';
