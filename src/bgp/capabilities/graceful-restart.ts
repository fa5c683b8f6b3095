/**
 * Graceful Restart capability (RFC 4724 §3): Restart Flags (4 bits: R, and N from RFC 8538) and Restart
 * Time (12 bits), then per family <AFI 2, SAFI 1, Flags 1> with the Forwarding State bit. Reserved
 * bits are ignored on receipt and sent as zero.
 */
import {
  CapabilityCode,
  CapabilityLength,
  GRACEFUL_RESTART_FLAGS_SHIFT,
  GRACEFUL_RESTART_TIME_MASK,
  GracefulRestartFlag,
} from '../constants.js';
import { BgpInputError } from '../errors.js';
import { isAfi } from '../nlri/family.js';
import type { CapabilityOf } from './spec.js';
import { type CapabilitySpec, expectEntries } from './spec.js';

type Family = CapabilityOf<'graceful-restart'>['families'][number];

export const gracefulRestartCapability: CapabilitySpec<'graceful-restart'> = {
  code: CapabilityCode.GRACEFUL_RESTART,
  kind: 'graceful-restart',
  name: 'Graceful Restart',
  decode(r, malformed) {
    const count = expectEntries(
      r,
      malformed,
      CapabilityLength.GRACEFUL_RESTART_HEADER,
      CapabilityLength.GRACEFUL_RESTART_ENTRY,
    );
    const head = r.u16();
    const flags = head >>> GRACEFUL_RESTART_FLAGS_SHIFT;
    const families: Family[] = [];
    let representable = true;
    for (let i = 0; i < count; i++) {
      const afi = r.u16();
      const safi = r.u8();
      const forwardingState = (r.u8() & GracefulRestartFlag.FORWARDING_STATE) !== 0;
      if (isAfi(afi)) families.push({ afi, safi, forwardingState });
      else representable = false;
    }
    if (!representable) return undefined;
    return {
      kind: 'graceful-restart',
      restartState: (flags & GracefulRestartFlag.RESTART_STATE) !== 0,
      notification: (flags & GracefulRestartFlag.NOTIFICATION) !== 0,
      restartTime: head & GRACEFUL_RESTART_TIME_MASK,
      families,
    };
  },
  encode(w, v) {
    if (!Number.isInteger(v.restartTime) || v.restartTime < 0 || v.restartTime > GRACEFUL_RESTART_TIME_MASK) {
      throw new BgpInputError('graceful-restart.restartTime', `${v.restartTime} is outside 0..4095 seconds`);
    }
    const flags =
      (v.restartState ? GracefulRestartFlag.RESTART_STATE : 0) |
      (v.notification ? GracefulRestartFlag.NOTIFICATION : 0);
    w.u16((flags << GRACEFUL_RESTART_FLAGS_SHIFT) | v.restartTime);
    for (const f of v.families) {
      w.u16(f.afi);
      w.u8(f.safi);
      w.u8(f.forwardingState ? GracefulRestartFlag.FORWARDING_STATE : 0);
    }
  },
  length: (v) =>
    CapabilityLength.GRACEFUL_RESTART_HEADER + v.families.length * CapabilityLength.GRACEFUL_RESTART_ENTRY,
};
