/** ORIGIN (RFC 4271 §4.3 a): well-known mandatory, 1 octet; RFC 7606 §7.1: errors are treat-as-withdraw. */
import { AttrFlag, AttrLength, AttrType, Origin, UpdateSubcode } from '../constants.js';
import type { OriginValue } from '../constants.js';
import { type AttributeSpec, expectValueLength } from './spec.js';

function isOrigin(v: number): v is OriginValue {
  return v === Origin.IGP || v === Origin.EGP || v === Origin.INCOMPLETE;
}

export const originAttribute: AttributeSpec<'origin'> = {
  typeCode: AttrType.ORIGIN,
  kind: 'origin',
  name: 'ORIGIN',
  flags: AttrFlag.TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, input) {
    expectValueLength(r, input, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'ORIGIN', AttrLength.ORIGIN);
    const value = r.u8();
    if (!isOrigin(value)) throw input.fail(UpdateSubcode.INVALID_ORIGIN_ATTRIBUTE, `ORIGIN value ${value}`);
    return { kind: 'origin', value };
  },
  encode(w, v) {
    w.u8(v.value);
  },
  length: () => AttrLength.ORIGIN,
};
