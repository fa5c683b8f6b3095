/**
 * Extended Next Hop Encoding capability (RFC 8950 §3): per entry <NLRI AFI 2, NLRI SAFI 2, Nexthop AFI 2>
 * (note the 2-octet SAFI), e.g. IPv4 unicast NLRI with IPv6 next hops.
 */
import { CapabilityCode, CapabilityLength } from '../constants.js';
import { isAfi } from '../nlri/family.js';
import type { CapabilityOf } from './spec.js';
import { type CapabilitySpec, expectEntries } from './spec.js';

type Entry = CapabilityOf<'extended-next-hop'>['entries'][number];

export const extendedNextHopCapability: CapabilitySpec<'extended-next-hop'> = {
  code: CapabilityCode.EXTENDED_NEXT_HOP,
  kind: 'extended-next-hop',
  name: 'Extended Next Hop Encoding',
  decode(r, malformed) {
    const count = expectEntries(r, malformed, 0, CapabilityLength.EXTENDED_NEXT_HOP_ENTRY);
    const entries: Entry[] = [];
    let representable = true;
    for (let i = 0; i < count; i++) {
      const afi = r.u16();
      const safi = r.u16();
      const nextHopAfi = r.u16();
      if (isAfi(afi) && isAfi(nextHopAfi)) entries.push({ afi, safi, nextHopAfi });
      else representable = false;
    }
    return representable ? { kind: 'extended-next-hop', entries } : undefined;
  },
  encode(w, v) {
    for (const e of v.entries) {
      w.u16(e.afi);
      w.u16(e.safi);
      w.u16(e.nextHopAfi);
    }
  },
  length: (v) => v.entries.length * CapabilityLength.EXTENDED_NEXT_HOP_ENTRY,
};
