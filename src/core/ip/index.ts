/** IP addresses and ranges for the pure core (public surface of src/core/ip). */
export * from './address.js';
export * from './range.js';
