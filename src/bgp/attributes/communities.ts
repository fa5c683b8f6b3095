/**
 * COMMUNITIES (RFC 1997): optional transitive, a list of 4-octet values, conventionally written
 * 'ASN:value'. Also the well-known communities by name (RFC 1997 §3 and the IANA registry), for
 * formatting and parsing.
 */
import {
  AttrFlag,
  AttrLength,
  AttrType,
  COMMUNITY_WELL_KNOWN_HIGH,
  WellKnownCommunity,
} from '../constants.js';
import { BgpInputError } from '../errors.js';
import { checkNotEmpty, itemCount } from './fixed-list.js';
import type { AttributeSpec } from './spec.js';

export const communitiesAttribute: AttributeSpec<'communities'> = {
  typeCode: AttrType.COMMUNITIES,
  kind: 'communities',
  name: 'COMMUNITIES',
  flags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, input) {
    const count = itemCount(r, input, 'COMMUNITIES', AttrLength.COMMUNITY);
    const values = new Array<number>(count);
    for (let i = 0; i < count; i++) values[i] = r.u32();
    return { kind: 'communities', values };
  },
  encode(w, v) {
    checkNotEmpty('communities.values', v.values.length);
    for (const c of v.values) w.u32(c);
  },
  length: (v) => v.values.length * AttrLength.COMMUNITY,
};

/** Lower-case names of the well-known communities, as BIRD and FRR print them. */
const WELL_KNOWN_NAMES: ReadonlyMap<number, string> = new Map([
  [WellKnownCommunity.GRACEFUL_SHUTDOWN, 'graceful-shutdown'],
  [WellKnownCommunity.ACCEPT_OWN, 'accept-own'],
  [WellKnownCommunity.LLGR_STALE, 'llgr-stale'],
  [WellKnownCommunity.NO_LLGR, 'no-llgr'],
  [WellKnownCommunity.BLACKHOLE, 'blackhole'],
  [WellKnownCommunity.NO_EXPORT, 'no-export'],
  [WellKnownCommunity.NO_ADVERTISE, 'no-advertise'],
  [WellKnownCommunity.NO_EXPORT_SUBCONFED, 'no-export-subconfed'],
  [WellKnownCommunity.NO_PEER, 'no-peer'],
]);
const BY_NAME: ReadonlyMap<string, number> = new Map([...WELL_KNOWN_NAMES].map(([v, n]) => [n, v]));

const COMMUNITY_TEXT = /^(0|[1-9][0-9]{0,4}):(0|[1-9][0-9]{0,4})$/;
const HALF_SHIFT = 16;

/** 'no-export' for a well-known community, else 'high:low'. */
export function formatCommunity(value: number): string {
  return WELL_KNOWN_NAMES.get(value) ?? `${value >>> HALF_SHIFT}:${value & COMMUNITY_WELL_KNOWN_HIGH}`;
}

/** Parses 'high:low' (each 0..65535) or a well-known name; throws BgpInputError otherwise. */
export function parseCommunity(text: string): number {
  const named = BY_NAME.get(text);
  if (named !== undefined) return named;
  const m = COMMUNITY_TEXT.exec(text);
  const high = Number(m?.[1]);
  const low = Number(m?.[2]);
  if (m === null || high > COMMUNITY_WELL_KNOWN_HIGH || low > COMMUNITY_WELL_KNOWN_HIGH) {
    throw new BgpInputError(
      'community',
      `'${text}' is neither 'ASN:value' (0..65535 each) nor a well-known name`,
    );
  }
  return ((high << HALF_SHIFT) | low) >>> 0;
}

/** Whether the value lies in a range RFC 1997 §3 reserves (0x0000xxxx or 0xFFFFxxxx). */
export function isReservedCommunity(value: number): boolean {
  const high = value >>> HALF_SHIFT;
  return high === 0 || high === COMMUNITY_WELL_KNOWN_HIGH;
}
