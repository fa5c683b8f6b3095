/**
 * ADD-PATH capability (RFC 7911 §4): per family <AFI 2, SAFI 1, Send/Receive 1>, where Send/Receive is
 * 1 (receive), 2 (send) or 3 (both). Any other Send/Receive value makes the capability malformed.
 */
import { AddPathDirection, CapabilityCode, CapabilityLength } from '../constants.js';
import { isAfi } from '../nlri/family.js';
import type { CapabilityOf } from './spec.js';
import { type CapabilitySpec, expectEntries } from './spec.js';

type Family = CapabilityOf<'add-path'>['families'][number];
type Direction = Family['direction'];

const BY_VALUE: Readonly<Record<number, Direction>> = {
  [AddPathDirection.RECEIVE]: 'receive',
  [AddPathDirection.SEND]: 'send',
  [AddPathDirection.BOTH]: 'both',
};
const TO_VALUE: Readonly<Record<Direction, number>> = {
  receive: AddPathDirection.RECEIVE,
  send: AddPathDirection.SEND,
  both: AddPathDirection.BOTH,
};

export const addPathCapability: CapabilitySpec<'add-path'> = {
  code: CapabilityCode.ADD_PATH,
  kind: 'add-path',
  name: 'ADD-PATH',
  decode(r, malformed) {
    const count = expectEntries(r, malformed, 0, CapabilityLength.ADD_PATH_ENTRY);
    const families: Family[] = [];
    let representable = true;
    for (let i = 0; i < count; i++) {
      const afi = r.u16();
      const safi = r.u8();
      const value = r.u8();
      const direction = BY_VALUE[value];
      if (direction === undefined) throw malformed(`Send/Receive value ${value} is not 1, 2 or 3`);
      if (isAfi(afi)) families.push({ afi, safi, direction });
      else representable = false;
    }
    return representable ? { kind: 'add-path', families } : undefined;
  },
  encode(w, v) {
    for (const f of v.families) {
      w.u16(f.afi);
      w.u8(f.safi);
      w.u8(TO_VALUE[f.direction]);
    }
  },
  length: (v) => v.families.length * CapabilityLength.ADD_PATH_ENTRY,
};
