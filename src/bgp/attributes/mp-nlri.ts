/**
 * MP_REACH_NLRI and MP_UNREACH_NLRI (RFC 4760 §3, §4): optional non-transitive, <AFI, SAFI> plus
 * (reach) a next hop and (both) an NLRI list, with ADD-PATH Path Identifiers when negotiated for the
 * family. Next hops: IPv4 4 octets; IPv6 16, or 32 = global + link-local (RFC 2545); IPv4 NLRI with IPv6
 * next hops of 16 or 32 octets (RFC 8950).
 *
 * Errors (RFC 7606 §7.11, §5.3; RFC 4760 §7, code 3/9 Optional Attribute Error): too short to hold the
 * <AFI, SAFI> is a session reset; a next hop length or NLRI that cannot be parsed is AFI/SAFI disable
 * (carrying the family); a family bgp-ts-lite does not parse (anything but IPv4/IPv6 unicast) is
 * discarded with a warning, as BIRD does for families without a channel.
 */
import {
  Afi,
  type AfiValue,
  AttrFlag,
  AttrType,
  IPV4_ADDRESS_LENGTH,
  IPV6_ADDRESS_LENGTH,
  IPV6_NEXT_HOP_WITH_LINK_LOCAL_LENGTH,
  MP_REACH_FIXED_LENGTH,
  MP_REACH_RESERVED_LENGTH,
  MP_UNREACH_FIXED_LENGTH,
  UpdateSubcode,
} from '../constants.js';
import { BgpInputError } from '../errors.js';
import { addPathOnReceive, addPathOnSend, isSupportedFamily } from '../nlri/family.js';
import { decodeNlriList, encodeNlriList, nlriListLength, type NlriError } from '../nlri/nlri.js';
import type { AfiSafi } from '../types.js';
import { copyBytes, type Reader } from '../wire/reader.js';
import type { AttributeInput, AttributeSpec } from './spec.js';

const RESERVED = 0;
const OPTIONAL_ATTRIBUTE_ERROR = UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR;

/** Valid Length of Next Hop Network Address values per AFI. */
const NEXT_HOP_LENGTHS: Readonly<Record<AfiValue, readonly number[]>> = {
  [Afi.IPV4]: [IPV4_ADDRESS_LENGTH, IPV6_ADDRESS_LENGTH, IPV6_NEXT_HOP_WITH_LINK_LOCAL_LENGTH],
  [Afi.IPV6]: [IPV6_ADDRESS_LENGTH, IPV6_NEXT_HOP_WITH_LINK_LOCAL_LENGTH],
};

function readFamily(
  r: Reader,
  input: AttributeInput,
  name: string,
  fixed: number,
): AfiSafi & { afi: AfiValue } {
  if (r.remaining < fixed) {
    throw input.fail(
      OPTIONAL_ATTRIBUTE_ERROR,
      `${name} length ${r.remaining} is below ${fixed}`,
      'session-reset',
    );
  }
  const afi = r.u16();
  const safi = r.u8();
  if (!isSupportedFamily(afi, safi)) {
    throw input.fail(OPTIONAL_ATTRIBUTE_ERROR, `${name} for AFI ${afi} SAFI ${safi}`, 'attribute-discard');
  }
  return { afi, safi };
}

function disabler(input: AttributeInput, name: string, family: AfiSafi): NlriError {
  return (reason) => input.fail(OPTIONAL_ATTRIBUTE_ERROR, `${name}: ${reason}`, 'afisafi-disable', family);
}

function splitNextHops(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length !== IPV6_NEXT_HOP_WITH_LINK_LOCAL_LENGTH) return [bytes];
  return [copyBytes(bytes, 0, IPV6_ADDRESS_LENGTH), copyBytes(bytes, IPV6_ADDRESS_LENGTH)];
}

function nextHopLength(afi: AfiValue, nextHops: readonly Uint8Array[]): number {
  let total = 0;
  for (const nh of nextHops) total += nh.length;
  const shapeOk =
    nextHops.length === 1 ||
    (nextHops.length === 2 && nextHops.every((nh) => nh.length === IPV6_ADDRESS_LENGTH));
  if (!shapeOk || !NEXT_HOP_LENGTHS[afi].includes(total)) {
    throw new BgpInputError(
      'mp-reach-nlri.nextHops',
      `${nextHops.length} next hop(s) of ${total} octets are not valid for AFI ${afi}`,
    );
  }
  return total;
}

export const mpReachNlriAttribute: AttributeSpec<'mp-reach-nlri'> = {
  typeCode: AttrType.MP_REACH_NLRI,
  kind: 'mp-reach-nlri',
  name: 'MP_REACH_NLRI',
  flags: AttrFlag.OPTIONAL,
  malformed: 'session-reset',
  decode(r, input) {
    const { afi, safi } = readFamily(r, input, 'MP_REACH_NLRI', MP_REACH_FIXED_LENGTH);
    const disable = disabler(input, 'MP_REACH_NLRI', { afi, safi });
    const length = r.u8();
    if (!NEXT_HOP_LENGTHS[afi].includes(length)) throw disable(`next hop length ${length} for AFI ${afi}`);
    if (length + MP_REACH_RESERVED_LENGTH > r.remaining)
      throw disable(`next hop of ${length} octets overruns`);
    const nextHops = splitNextHops(r.bytes(length));
    r.skip(MP_REACH_RESERVED_LENGTH);
    const nlri = decodeNlriList(r, afi, addPathOnReceive(input.ctx, afi, safi), disable);
    return { kind: 'mp-reach-nlri', afi, safi, nextHops, nlri };
  },
  encode(w, v, ctx) {
    w.u16(v.afi);
    w.u8(v.safi);
    w.beginLength(1);
    for (const nh of v.nextHops) w.bytes(nh);
    w.endLength();
    w.u8(RESERVED);
    encodeNlriList(w, v.nlri, v.afi, addPathOnSend(ctx, v.afi, v.safi));
  },
  length: (v, ctx) =>
    MP_REACH_FIXED_LENGTH +
    nextHopLength(v.afi, v.nextHops) +
    MP_REACH_RESERVED_LENGTH +
    nlriListLength(v.nlri, addPathOnSend(ctx, v.afi, v.safi)),
};

export const mpUnreachNlriAttribute: AttributeSpec<'mp-unreach-nlri'> = {
  typeCode: AttrType.MP_UNREACH_NLRI,
  kind: 'mp-unreach-nlri',
  name: 'MP_UNREACH_NLRI',
  flags: AttrFlag.OPTIONAL,
  malformed: 'session-reset',
  decode(r, input) {
    const { afi, safi } = readFamily(r, input, 'MP_UNREACH_NLRI', MP_UNREACH_FIXED_LENGTH);
    const disable = disabler(input, 'MP_UNREACH_NLRI', { afi, safi });
    const withdrawn = decodeNlriList(r, afi, addPathOnReceive(input.ctx, afi, safi), disable);
    return { kind: 'mp-unreach-nlri', afi, safi, withdrawn };
  },
  encode(w, v, ctx) {
    w.u16(v.afi);
    w.u8(v.safi);
    encodeNlriList(w, v.withdrawn, v.afi, addPathOnSend(ctx, v.afi, v.safi));
  },
  length: (v, ctx) =>
    MP_UNREACH_FIXED_LENGTH + nlriListLength(v.withdrawn, addPathOnSend(ctx, v.afi, v.safi)),
};
