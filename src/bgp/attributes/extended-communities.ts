/** EXTENDED COMMUNITIES (RFC 4360 §2): optional transitive, a list of 8-octet values kept as bytes. */
import { AttrFlag, AttrLength, AttrType } from '../constants.js';
import { BgpInputError } from '../errors.js';
import { checkNotEmpty, itemCount } from './fixed-list.js';
import type { AttributeSpec } from './spec.js';

export const extendedCommunitiesAttribute: AttributeSpec<'extended-communities'> = {
  typeCode: AttrType.EXTENDED_COMMUNITIES,
  kind: 'extended-communities',
  name: 'EXTENDED COMMUNITIES',
  flags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, input) {
    const count = itemCount(r, input, 'EXTENDED COMMUNITIES', AttrLength.EXTENDED_COMMUNITY);
    const values: Uint8Array[] = new Array<Uint8Array>(count);
    for (let i = 0; i < count; i++) values[i] = r.bytes(AttrLength.EXTENDED_COMMUNITY);
    return { kind: 'extended-communities', values };
  },
  encode(w, v) {
    checkNotEmpty('extended-communities.values', v.values.length);
    v.values.forEach((c, i) => {
      if (c.length !== AttrLength.EXTENDED_COMMUNITY) {
        throw new BgpInputError(`extended-communities.values[${i}]`, `${c.length} octets, expected 8`);
      }
      w.bytes(c);
    });
  },
  length: (v) => v.values.length * AttrLength.EXTENDED_COMMUNITY,
};
