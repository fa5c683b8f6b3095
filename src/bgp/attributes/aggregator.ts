/**
 * ATOMIC_AGGREGATE (RFC 4271 §4.3 f, zero length), AGGREGATOR (§4.3 g, ASN + IPv4 address, the ASN 2 or
 * 4 octets by session) and AS4_AGGREGATOR (RFC 6793 §3, always 4-octet ASN). RFC 7606 §7.6/§7.7 and
 * RFC 6793 §6: a wrong length is attribute discard; RFC 7607 §2: so is AS 0.
 */
import {
  AttrFlag,
  AttrLength,
  AttrType,
  IPV4_ADDRESS_LENGTH,
  MAX_FOUR_OCTET_ASN,
  MAX_TWO_OCTET_ASN,
  RESERVED_ASN_ZERO,
  UpdateSubcode,
} from '../constants.js';
import { BgpInputError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { type AttributeInput, type AttributeSpec, expectValueLength } from './spec.js';

export const atomicAggregateAttribute: AttributeSpec<'atomic-aggregate'> = {
  typeCode: AttrType.ATOMIC_AGGREGATE,
  kind: 'atomic-aggregate',
  name: 'ATOMIC_AGGREGATE',
  flags: AttrFlag.TRANSITIVE,
  malformed: 'attribute-discard',
  decode(r, input) {
    expectValueLength(
      r,
      input,
      UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
      'ATOMIC_AGGREGATE',
      AttrLength.ATOMIC_AGGREGATE,
    );
    return { kind: 'atomic-aggregate' };
  },
  encode() {},
  length: () => AttrLength.ATOMIC_AGGREGATE,
};

function decodeAggregator(r: Reader, input: AttributeInput, name: string, fourOctet: boolean) {
  const expected = fourOctet ? AttrLength.AGGREGATOR_FOUR_OCTET : AttrLength.AGGREGATOR_TWO_OCTET;
  expectValueLength(r, input, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, name, expected);
  const asn = fourOctet ? r.u32() : r.u16();
  if (asn === RESERVED_ASN_ZERO)
    throw input.fail(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `${name} AS 0 (RFC 7607)`);
  return { asn, address: r.bytes(IPV4_ADDRESS_LENGTH) };
}

function encodeAggregator(
  w: Writer,
  asn: number,
  address: Uint8Array,
  field: string,
  fourOctet: boolean,
): void {
  const max = fourOctet ? MAX_FOUR_OCTET_ASN : MAX_TWO_OCTET_ASN;
  if (!Number.isInteger(asn) || asn <= RESERVED_ASN_ZERO || asn > max) {
    throw new BgpInputError(`${field}.asn`, `ASN ${asn} is outside 1..${max}`);
  }
  if (address.length !== IPV4_ADDRESS_LENGTH) {
    throw new BgpInputError(`${field}.address`, `${address.length} octets; expected an IPv4 address`);
  }
  if (fourOctet) w.u32(asn);
  else w.u16(asn);
  w.bytes(address);
}

const aggregatorLength = (fourOctet: boolean): number =>
  fourOctet ? AttrLength.AGGREGATOR_FOUR_OCTET : AttrLength.AGGREGATOR_TWO_OCTET;

export const aggregatorAttribute: AttributeSpec<'aggregator'> = {
  typeCode: AttrType.AGGREGATOR,
  kind: 'aggregator',
  name: 'AGGREGATOR',
  flags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  malformed: 'attribute-discard',
  decode: (r, input) => ({
    kind: 'aggregator',
    ...decodeAggregator(r, input, 'AGGREGATOR', input.ctx.fourOctetAs),
  }),
  encode(w, v, ctx) {
    encodeAggregator(w, v.asn, v.address, 'aggregator', ctx.fourOctetAs);
  },
  length: (_v, ctx) => aggregatorLength(ctx.fourOctetAs),
};

export const as4AggregatorAttribute: AttributeSpec<'as4-aggregator'> = {
  typeCode: AttrType.AS4_AGGREGATOR,
  kind: 'as4-aggregator',
  name: 'AS4_AGGREGATOR',
  flags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  malformed: 'attribute-discard',
  decode: (r, input) => ({ kind: 'as4-aggregator', ...decodeAggregator(r, input, 'AS4_AGGREGATOR', true) }),
  encode(w, v) {
    encodeAggregator(w, v.asn, v.address, 'as4-aggregator', true);
  },
  length: () => AttrLength.AGGREGATOR_FOUR_OCTET,
};
