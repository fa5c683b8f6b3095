/**
 * End-of-RIB markers (RFC 4724 §2): for IPv4 unicast an UPDATE with nothing in it; for any other
 * family an UPDATE whose only attribute is an empty MP_UNREACH_NLRI for that family.
 */
import { Afi, Safi } from '../constants.js';
import type { AfiSafi, UpdateMessage } from '../types.js';

export function endOfRib(family: AfiSafi): UpdateMessage {
  if (family.afi === Afi.IPV4 && family.safi === Safi.UNICAST) {
    return { type: 'update', withdrawn: [], attributes: [], nlri: [] };
  }
  return {
    type: 'update',
    withdrawn: [],
    attributes: [{ kind: 'mp-unreach-nlri', afi: family.afi, safi: family.safi, withdrawn: [] }],
    nlri: [],
  };
}

/** The family an UPDATE marks the End-of-RIB of, or undefined when it is not an End-of-RIB. */
export function endOfRibFamily(m: UpdateMessage): AfiSafi | undefined {
  if (m.withdrawn.length > 0 || m.nlri.length > 0) return undefined;
  if (m.attributes.length === 0) return { afi: Afi.IPV4, safi: Safi.UNICAST };
  const only = m.attributes[0];
  if (m.attributes.length === 1 && only?.kind === 'mp-unreach-nlri' && only.withdrawn.length === 0) {
    return { afi: only.afi, safi: only.safi };
  }
  return undefined;
}
