/**
 * Path attributes as passed on to another peer (RFC 4271 §5, §9.1.4 and §4.3): an unrecognized
 * optional non-transitive attribute is quietly dropped; an unrecognized optional transitive one is kept
 * with the Partial bit set. Recognized attributes keep their flags (a Partial bit is never cleared).
 */
import { AttrFlag } from '../constants.js';
import type { PathAttribute } from '../types.js';
import { UNKNOWN_ATTRIBUTE_FLAGS } from './registry.js';

export function attributesForPropagation(attributes: readonly PathAttribute[]): PathAttribute[] {
  const out: PathAttribute[] = [];
  for (const a of attributes) {
    if (a.kind !== 'unknown') {
      out.push(a);
      continue;
    }
    const flags = a.flags ?? UNKNOWN_ATTRIBUTE_FLAGS;
    if ((flags & AttrFlag.TRANSITIVE) === 0) continue;
    out.push({ ...a, flags: flags | AttrFlag.PARTIAL });
  }
  return out;
}
