/**
 * LARGE_COMMUNITY (RFC 8092): optional transitive, a list of <Global Administrator, Local Data Part 1,
 * Local Data Part 2>, 4 octets each. Duplicates are not an error (§6) and are kept as received.
 */
import { AttrFlag, AttrLength, AttrType } from '../constants.js';
import type { LargeCommunity } from '../types.js';
import { checkNotEmpty, itemCount } from './fixed-list.js';
import type { AttributeSpec } from './spec.js';

export const largeCommunitiesAttribute: AttributeSpec<'large-communities'> = {
  typeCode: AttrType.LARGE_COMMUNITY,
  kind: 'large-communities',
  name: 'LARGE_COMMUNITY',
  flags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, input) {
    const count = itemCount(r, input, 'LARGE_COMMUNITY', AttrLength.LARGE_COMMUNITY);
    const values: LargeCommunity[] = new Array<LargeCommunity>(count);
    for (let i = 0; i < count; i++)
      values[i] = { globalAdmin: r.u32(), localData1: r.u32(), localData2: r.u32() };
    return { kind: 'large-communities', values };
  },
  encode(w, v) {
    checkNotEmpty('large-communities.values', v.values.length);
    for (const c of v.values) {
      w.u32(c.globalAdmin);
      w.u32(c.localData1);
      w.u32(c.localData2);
    }
  },
  length: (v) => v.values.length * AttrLength.LARGE_COMMUNITY,
};

/** '4200000001:1:2', as BIRD and FRR print large communities. */
export function formatLargeCommunity(c: LargeCommunity): string {
  return `${c.globalAdmin}:${c.localData1}:${c.localData2}`;
}
