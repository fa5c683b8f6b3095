/**
 * Layer 2 owner election (public surface of src/core/election): MetalLB-compatible candidate filtering
 * and sha256(node#ip) ranking. See docs/election.md.
 */
export * from './election.js';
