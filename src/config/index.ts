/**
 * src/config: turns a snapshot of every metallb.io object (plain JSON) into one validated, typed Config
 * or the list of every error found. Pure: imports only src/core and itself.
 *
 * - parse.ts: parseConfig, the entry point; one file per resource kind (pools, l2, bgp-advertisements,
 *   peers with peer-v1beta1/timers/password, bfd, communities); cross-checks.ts for rules spanning objects.
 * - types.ts: Config and its invariants; errors.ts: ConfigError and formatConfigError.
 * - docs/configuration.md lists every field, default, rule and error message.
 */
export { parseConfig } from './parse.js';
export { formatConfigError, type ConfigError, type ObjectRef, type ResourceKind } from './errors.js';
export type * from './types.js';
