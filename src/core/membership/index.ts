/**
 * Speaker membership (public surface of src/core/membership): a SWIM-style failure detector as a pure
 * reducer with an injected clock, its binary wire codec (the adapter adds and checks the HMAC), and a
 * deterministic simulation harness. Protocol, defaults and scaling: docs/membership.md.
 */
export * from './types.js';
export { createMembership, retransmitLimit, type MembershipInit, type MembershipState } from './state.js';
export { liveMembers, nextWakeup, step, type StepResult } from './reducer.js';
export * from './wire.js';
export * from './simulation.js';
