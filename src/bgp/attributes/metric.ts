/**
 * The two 4-octet numbers: MULTI_EXIT_DISC (RFC 4271 §4.3 d, optional non-transitive) and LOCAL_PREF
 * (§4.3 e, well-known). RFC 7606 §7.4/§7.5: a length other than 4 is treat-as-withdraw.
 */
import { AttrFlag, AttrLength, AttrType, UpdateSubcode } from '../constants.js';
import { type AttributeSpec, expectValueLength } from './spec.js';

export const multiExitDiscAttribute: AttributeSpec<'multi-exit-disc'> = {
  typeCode: AttrType.MULTI_EXIT_DISC,
  kind: 'multi-exit-disc',
  name: 'MULTI_EXIT_DISC',
  flags: AttrFlag.OPTIONAL,
  malformed: 'treat-as-withdraw',
  decode(r, input) {
    expectValueLength(
      r,
      input,
      UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
      'MULTI_EXIT_DISC',
      AttrLength.MULTI_EXIT_DISC,
    );
    return { kind: 'multi-exit-disc', value: r.u32() };
  },
  encode(w, v) {
    w.u32(v.value);
  },
  length: () => AttrLength.MULTI_EXIT_DISC,
};

export const localPrefAttribute: AttributeSpec<'local-pref'> = {
  typeCode: AttrType.LOCAL_PREF,
  kind: 'local-pref',
  name: 'LOCAL_PREF',
  flags: AttrFlag.TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, input) {
    expectValueLength(r, input, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'LOCAL_PREF', AttrLength.LOCAL_PREF);
    return { kind: 'local-pref', value: r.u32() };
  },
  encode(w, v) {
    w.u32(v.value);
  },
  length: () => AttrLength.LOCAL_PREF,
};
