/**
 * Neighbor Discovery message bodies (RFC 4861 §4.3 Neighbor Solicitation, §4.4 Neighbor Advertisement:
 * what follows the ICMPv6 type/code/checksum) and their options (§4.6). Every option is kept as
 * { type, data } so unknown ones round-trip; readers look up the ones they know and skip the rest
 * (§4.6: "receivers MUST silently ignore" unknown options). An option of length 0 is invalid (§4.6).
 */
import type { L2Codec } from './codec.js';
import {
  IPV6_ADDRESS_LENGTH,
  MAC_LENGTH,
  NA_FLAGS_MASK,
  NDP_FIXED_BODY_LENGTH,
  NDP_OPTION_HEADER_LENGTH,
  NDP_OPTION_MAX_UNITS,
  NDP_OPTION_UNIT,
  NaFlag,
} from './constants.js';
import type { Reader, Writer } from './cursor.js';
import { L2WireError } from './errors.js';

export interface NdpOption {
  readonly type: number;
  /** The octets after type and length: 8 * length - 2 of them. */
  readonly data: Uint8Array;
}

export interface NeighborSolicitation {
  readonly target: Uint8Array;
  readonly options: readonly NdpOption[];
}

export interface NeighborAdvertisement {
  readonly router: boolean;
  readonly solicited: boolean;
  readonly override: boolean;
  readonly target: Uint8Array;
  readonly options: readonly NdpOption[];
}

function optionUnits(o: NdpOption): number {
  const total = NDP_OPTION_HEADER_LENGTH + o.data.length;
  const units = total / NDP_OPTION_UNIT;
  if (!Number.isInteger(units) || units > NDP_OPTION_MAX_UNITS) {
    throw new L2WireError('bad-value', 'ndp.option', `${total} octets is not a multiple of 8 up to 2040`);
  }
  return units;
}

export const ndpOptionsCodec: L2Codec<readonly NdpOption[]> = {
  length: (opts) => opts.reduce((n, o) => n + optionUnits(o) * NDP_OPTION_UNIT, 0),

  encode(w: Writer, opts: readonly NdpOption[]): void {
    for (const o of opts) {
      w.u8(o.type);
      w.u8(optionUnits(o));
      w.bytes(o.data);
    }
  },

  /** Reads options until the end of the range (the end of the ICMPv6 message). */
  decode(r: Reader): NdpOption[] {
    const out: NdpOption[] = [];
    while (r.remaining > 0) {
      if (r.remaining < NDP_OPTION_HEADER_LENGTH) {
        throw new L2WireError(
          'ndp-option-overrun',
          'ndp.option',
          `${r.remaining} octet left, less than a header`,
        );
      }
      const type = r.u8();
      const units = r.u8();
      if (units === 0)
        throw new L2WireError('ndp-option-zero-length', 'ndp.option.length', `type ${type} has length 0`);
      const dataLength = units * NDP_OPTION_UNIT - NDP_OPTION_HEADER_LENGTH;
      if (dataLength > r.remaining) {
        throw new L2WireError(
          'ndp-option-overrun',
          'ndp.option.length',
          `type ${type} runs past the message end`,
        );
      }
      out.push({ type, data: r.bytes(dataLength) });
    }
    return out;
  },
};

/** A Source/Target Link-Layer Address option for an Ethernet address (one 8-octet unit). */
export function linkLayerOption(type: number, mac: Uint8Array): NdpOption {
  return { type, data: mac.slice(0, MAC_LENGTH) };
}

/**
 * The Ethernet address in the first option of `type` (SLLA or TLLA), or undefined without one. An
 * Ethernet link-layer option is exactly one unit (RFC 4861 §4.6.1, RFC 2464 §8); other sizes are invalid.
 */
export function findLinkLayerAddress(options: readonly NdpOption[], type: number): Uint8Array | undefined {
  const o = options.find((x) => x.type === type);
  if (o === undefined) return undefined;
  if (o.data.length !== MAC_LENGTH) {
    throw new L2WireError(
      'ndp-bad-link-layer-option',
      'ndp.option',
      `type ${type} has ${o.data.length} octets, not 6`,
    );
  }
  return o.data;
}

export const neighborSolicitationCodec: L2Codec<NeighborSolicitation> = {
  length: (m) => NDP_FIXED_BODY_LENGTH + ndpOptionsCodec.length(m.options),
  encode(w: Writer, m: NeighborSolicitation): void {
    w.u32(0); // Reserved: sent as zero, ignored on receipt.
    w.fixed(m.target, IPV6_ADDRESS_LENGTH, 'ns.target');
    ndpOptionsCodec.encode(w, m.options);
  },
  decode(r: Reader): NeighborSolicitation {
    r.u32();
    const target = r.bytes(IPV6_ADDRESS_LENGTH);
    return { target, options: ndpOptionsCodec.decode(r) };
  },
};

export const neighborAdvertisementCodec: L2Codec<NeighborAdvertisement> = {
  length: (m) => NDP_FIXED_BODY_LENGTH + ndpOptionsCodec.length(m.options),
  encode(w: Writer, m: NeighborAdvertisement): void {
    const flags =
      (m.router ? NaFlag.ROUTER : 0) |
      (m.solicited ? NaFlag.SOLICITED : 0) |
      (m.override ? NaFlag.OVERRIDE : 0);
    w.u32(flags >>> 0);
    w.fixed(m.target, IPV6_ADDRESS_LENGTH, 'na.target');
    ndpOptionsCodec.encode(w, m.options);
  },
  decode(r: Reader): NeighborAdvertisement {
    const flags = r.u32() & NA_FLAGS_MASK;
    const target = r.bytes(IPV6_ADDRESS_LENGTH);
    return {
      router: (flags & NaFlag.ROUTER) !== 0,
      solicited: (flags & NaFlag.SOLICITED) !== 0,
      override: (flags & NaFlag.OVERRIDE) !== 0,
      target,
      options: ndpOptionsCodec.decode(r),
    };
  },
};
