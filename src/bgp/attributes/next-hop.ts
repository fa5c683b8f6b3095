/**
 * NEXT_HOP (RFC 4271 §4.3 c): well-known, an IPv4 address. RFC 7606 §7.3: a length other than 4 is
 * treat-as-withdraw. The semantic checks (0.0.0.0, multicast) apply only to routes in the IPv4 NLRI
 * field and are made by the UPDATE decoder.
 */
import { AttrFlag, AttrLength, AttrType, IPV4_ADDRESS_LENGTH, UpdateSubcode } from '../constants.js';
import { BgpInputError } from '../errors.js';
import { type AttributeSpec, expectValueLength } from './spec.js';

export const nextHopAttribute: AttributeSpec<'next-hop'> = {
  typeCode: AttrType.NEXT_HOP,
  kind: 'next-hop',
  name: 'NEXT_HOP',
  flags: AttrFlag.TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, input) {
    expectValueLength(r, input, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'NEXT_HOP', AttrLength.NEXT_HOP);
    return { kind: 'next-hop', address: r.bytes(IPV4_ADDRESS_LENGTH) };
  },
  encode(w, v) {
    if (v.address.length !== IPV4_ADDRESS_LENGTH) {
      throw new BgpInputError('next-hop.address', `${v.address.length} octets; NEXT_HOP is an IPv4 address`);
    }
    w.bytes(v.address);
  },
  length: () => AttrLength.NEXT_HOP,
};
