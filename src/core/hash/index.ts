/** Pure hash functions for the core (public surface of src/core/hash): SHA-256 only. */
export * from './sha256.js';
