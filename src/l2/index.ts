/** Layer 2 mode: the pure wire codecs and the responder decision. */
export * from './wire/index.js';
export * from './responder.js';
