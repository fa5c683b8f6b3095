/**
 * Adj-RIB-Out of bgp-ts-lite (pure): desired routes diffed against what a peer was sent, packed into
 * UPDATEs (RFC 4271 §4.3, RFC 4760 for IPv6), with the attributes of RFC 4271 §5.1 and RFC 6793 §4.2.2,
 * and End-of-RIB markers (RFC 4724 §2).
 */
export * from './route.js';
export * from './export.js';
export * from './pack.js';
export * from './adj-rib-out.js';
export { endOfRib, endOfRibFamily } from '../messages/end-of-rib.js';
