/**
 * Ethernet II frames (destination, source, EtherType, payload), tolerating one IEEE 802.1Q VLAN tag
 * on decode (and writing it back on encode). The payload is everything after the header, Ethernet
 * padding included: the upper layer knows its own length. The FCS is not part of the frame here.
 */
import type { L2Codec } from './codec.js';
import {
  ETHERNET_HEADER_LENGTH,
  ETHERTYPE_MIN,
  EtherType,
  MAC_LENGTH,
  VLAN_DEI_BIT,
  VLAN_PCP_MAX,
  VLAN_PCP_SHIFT,
  VLAN_TAG_LENGTH,
  VLAN_VID_MASK,
} from './constants.js';
import type { Reader, Writer } from './cursor.js';
import { L2WireError } from './errors.js';

export interface VlanTag {
  /** Priority code point, 0..7. */
  readonly pcp: number;
  /** Drop eligible indicator. */
  readonly dei: boolean;
  /** VLAN identifier, 0..4095. */
  readonly vid: number;
}

export interface EthernetFrame {
  readonly destination: Uint8Array;
  readonly source: Uint8Array;
  /** Present when the frame carried an 802.1Q tag (TPID 0x8100). */
  readonly vlan?: VlanTag | undefined;
  readonly etherType: number;
  readonly payload: Uint8Array;
}

function decodeTci(tci: number): VlanTag {
  return { pcp: tci >>> VLAN_PCP_SHIFT, dei: (tci & VLAN_DEI_BIT) !== 0, vid: tci & VLAN_VID_MASK };
}

function encodeTci(tag: VlanTag): number {
  if (!Number.isInteger(tag.pcp) || tag.pcp < 0 || tag.pcp > VLAN_PCP_MAX) {
    throw new L2WireError('bad-value', 'vlan.pcp', `${tag.pcp} is not in 0..${VLAN_PCP_MAX}`);
  }
  if (!Number.isInteger(tag.vid) || tag.vid < 0 || tag.vid > VLAN_VID_MASK) {
    throw new L2WireError('bad-value', 'vlan.vid', `${tag.vid} is not in 0..${VLAN_VID_MASK}`);
  }
  return (tag.pcp << VLAN_PCP_SHIFT) | (tag.dei ? VLAN_DEI_BIT : 0) | tag.vid;
}

function checkEtherType(etherType: number): number {
  if (etherType < ETHERTYPE_MIN) {
    throw new L2WireError(
      'bad-ethertype',
      'etherType',
      `${etherType} is an IEEE 802.3 length, not Ethernet II`,
    );
  }
  return etherType;
}

export type EthernetHeader = Omit<EthernetFrame, 'payload'>;

export function ethernetHeaderLength(h: EthernetHeader): number {
  return ETHERNET_HEADER_LENGTH + (h.vlan ? VLAN_TAG_LENGTH : 0);
}

/** Writes the header alone, so builders can write the payload in place behind it. */
export function encodeEthernetHeader(w: Writer, h: EthernetHeader): void {
  w.fixed(h.destination, MAC_LENGTH, 'destination');
  w.fixed(h.source, MAC_LENGTH, 'source');
  if (h.vlan) {
    w.u16(EtherType.VLAN);
    w.u16(encodeTci(h.vlan));
  }
  w.u16(checkEtherType(h.etherType));
}

export const ethernetCodec: L2Codec<EthernetFrame> = {
  length: (f) => ethernetHeaderLength(f) + f.payload.length,

  encode(w: Writer, f: EthernetFrame): void {
    encodeEthernetHeader(w, f);
    w.bytes(f.payload);
  },

  decode(r: Reader): EthernetFrame {
    const destination = r.bytes(MAC_LENGTH);
    const source = r.bytes(MAC_LENGTH);
    let etherType = r.u16();
    let vlan: VlanTag | undefined;
    if (etherType === EtherType.VLAN) {
      vlan = decodeTci(r.u16());
      etherType = r.u16();
    }
    checkEtherType(etherType);
    const payload = r.bytes(r.remaining);
    return vlan
      ? { destination, source, vlan, etherType, payload }
      : { destination, source, etherType, payload };
  },
};
