/** Multiprotocol Extensions capability (RFC 4760 §8): <AFI 2, Reserved 1, SAFI 1>. */
import { CapabilityCode, CapabilityLength } from '../constants.js';
import { isAfi } from '../nlri/family.js';
import { type CapabilitySpec, expectLength } from './spec.js';

const RESERVED = 0;

export const multiprotocolCapability: CapabilitySpec<'multiprotocol'> = {
  code: CapabilityCode.MULTIPROTOCOL,
  kind: 'multiprotocol',
  name: 'Multiprotocol Extensions',
  decode(r, malformed) {
    expectLength(r, malformed, CapabilityLength.MULTIPROTOCOL);
    const afi = r.u16();
    r.skip(1);
    const safi = r.u8();
    return isAfi(afi) ? { kind: 'multiprotocol', afi, safi } : undefined;
  },
  encode(w, v) {
    w.u16(v.afi);
    w.u8(RESERVED);
    w.u8(v.safi);
  },
  length: () => CapabilityLength.MULTIPROTOCOL,
};
