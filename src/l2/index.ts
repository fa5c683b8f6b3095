/** Layer 2 mode: the pure wire codecs, the responder decision and the announcer adapter. */
export * from './wire/index.js';
export * from './responder.js';
export * from './announcer.js';
