/**
 * BFD control-packet codec (RFC 5880 §4.1, §6.8.6 syntactic checks). Pure: no Node built-ins, no state.
 */
export * from './constants.js';
export * from './errors.js';
export * from './packet.js';
