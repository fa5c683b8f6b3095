/**
 * DOC: the BGP-4 finite state machine of bgp-ts-lite (pure).
 *
 * `step(state, event, { now, random }) -> { state, actions }` implements RFC 4271 §8 for one configured peer:
 * Idle, Connect, Active, OpenSent, OpenConfirm and Established, with the RFC 4271 §8.1 event names. It
 * never touches a socket or a timer: it asks for them with actions (`connect`, `accept`, `reject`, `send`,
 * `close`, `startTimer`, `stopTimer`) and reports `stateChange` (with a typed reason), `openReceived`,
 * `established` and `deliver`. The session adapter (../session) executes the actions.
 *
 * Responsibilities and RFCs:
 * - timers (RFC 4271 §10): ConnectRetryTimer, HoldTimer (4 minutes in OpenSent, then the negotiated
 *   value, enforced: expiry sends NOTIFICATION Hold Timer Expired), KeepaliveTimer (a third of the hold
 *   time or as configured), all jittered except the HoldTimer; IdleHoldTimer back-off with error amnesia;
 * - OPEN: validation (../messages/validate-open.ts), hold time negotiation (RFC 4271 §4.2, 0 or >= 3),
 *   capabilities (RFC 5492, 4760, 6793, 2918, 7313, 8654, 4724);
 * - connection collisions (RFC 4271 §6.8, RFC 6286 §2.3) with Cease / Connection Collision Resolution;
 * - FSM errors with the RFC 6608 subcodes; Cease with RFC 9003 shutdown communications;
 * - passive mode; graceful restart (RFC 4724) as the restarting speaker (R bit on the first session).
 */
export * from './types.js';
export { initialState, peerState, step } from './reducer.js';
export * from './timers.js';
export * from './collision.js';
export * from './notification.js';
export * from './open.js';
