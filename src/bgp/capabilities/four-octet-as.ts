/** Support for 4-octet AS number capability (RFC 6793 §3): the speaker's 4-octet ASN. */
import { CapabilityCode, CapabilityLength } from '../constants.js';
import { type CapabilitySpec, expectLength } from './spec.js';

export const fourOctetAsCapability: CapabilitySpec<'four-octet-as'> = {
  code: CapabilityCode.FOUR_OCTET_AS,
  kind: 'four-octet-as',
  name: '4-octet AS number',
  decode(r, malformed) {
    expectLength(r, malformed, CapabilityLength.FOUR_OCTET_AS);
    return { kind: 'four-octet-as', asn: r.u32() };
  },
  encode(w, v) {
    w.u32(v.asn);
  },
  length: () => CapabilityLength.FOUR_OCTET_AS,
};
