import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arpCodec } from '../../../../src/l2/wire/arp.js';
import { decodeBytes, encodeToBytes } from '../../../../src/l2/wire/codec.js';
import { ArpOp, EtherType, NdpOptionType } from '../../../../src/l2/wire/constants.js';
import { L2WireError } from '../../../../src/l2/wire/errors.js';
import { ethernetCodec } from '../../../../src/l2/wire/ethernet.js';
import { icmpv6Codec } from '../../../../src/l2/wire/icmpv6.js';
import { ipv6Codec } from '../../../../src/l2/wire/ipv6.js';
import {
  findLinkLayerAddress,
  linkLayerOption,
  ndpOptionsCodec,
  neighborAdvertisementCodec,
  neighborSolicitationCodec,
} from '../../../../src/l2/wire/ndp.js';
import { checkL2CodecLaws, l2CodecLawsProperty } from '../../../laws/l2-codec-laws.js';
import {
  arpArb,
  ethernetArb,
  icmpv6Arb,
  ipv6PacketArb,
  naArb,
  ndpOptionsArb,
  nsArb,
} from '../../../laws/l2-arbitraries.js';
import { HOST_A_MAC, HOST_B_MAC, hex } from '../frames.js';

const SELF = { selfDelimiting: true };
const BOUNDED = { selfDelimiting: false };

function wireError(f: () => unknown): L2WireError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(L2WireError);
    return e as L2WireError;
  }
  throw new Error('expected an L2WireError');
}

describe('codec laws', () => {
  it('Ethernet II (with and without 802.1Q tag)', () =>
    l2CodecLawsProperty(ethernetCodec, ethernetArb, BOUNDED));
  it('ARP', () => l2CodecLawsProperty(arpCodec, arpArb, SELF));
  it('IPv6', () => l2CodecLawsProperty(ipv6Codec, ipv6PacketArb, SELF));
  it('ICMPv6', () => l2CodecLawsProperty(icmpv6Codec, icmpv6Arb, BOUNDED));
  it('NDP options', () => l2CodecLawsProperty(ndpOptionsCodec, ndpOptionsArb, BOUNDED));
  it('Neighbor Solicitation', () => l2CodecLawsProperty(neighborSolicitationCodec, nsArb, BOUNDED));
  it('Neighbor Advertisement', () => l2CodecLawsProperty(neighborAdvertisementCodec, naArb, BOUNDED));

  it('an ARP request lays out as RFC 826 says', () => {
    const bytes = checkL2CodecLaws(
      arpCodec,
      {
        op: ArpOp.REQUEST,
        senderMac: HOST_B_MAC,
        senderIp: new Uint8Array([192, 0, 2, 2]),
        targetMac: new Uint8Array(6),
        targetIp: new Uint8Array([192, 0, 2, 1]),
      },
      SELF,
    );
    expect(bytes).toEqual(hex('0001 0800 06 04 0001 02000000000b c0000202 000000000000 c0000201'));
  });
});

describe('Ethernet', () => {
  it('tolerates an 802.1Q tag and reads PCP, DEI and VID', () => {
    const f = decodeBytes(ethernetCodec, hex('ffffffffffff 02000000000b 8100 b064 0806 0102'), 'eth');
    expect(f.vlan).toEqual({ pcp: 5, dei: true, vid: 100 });
    expect(f.etherType).toBe(EtherType.ARP);
    expect(f.payload).toEqual(hex('0102'));
  });

  it('rejects IEEE 802.3 length fields and short headers', () => {
    expect(
      wireError(() => decodeBytes(ethernetCodec, hex('ffffffffffff 02000000000b 0040'), 'eth')).code,
    ).toBe('bad-ethertype');
    expect(wireError(() => decodeBytes(ethernetCodec, hex('ffffffffffff 0200'), 'eth')).code).toBe(
      'truncated',
    );
  });

  it('refuses to encode a VLAN ID or PCP out of range', () => {
    const f = {
      destination: HOST_A_MAC,
      source: HOST_B_MAC,
      etherType: EtherType.ARP,
      payload: new Uint8Array(),
    };
    expect(
      wireError(() => encodeToBytes(ethernetCodec, { ...f, vlan: { pcp: 0, dei: false, vid: 4096 } })).field,
    ).toBe('vlan.vid');
    expect(
      wireError(() => encodeToBytes(ethernetCodec, { ...f, vlan: { pcp: 8, dei: false, vid: 1 } })).field,
    ).toBe('vlan.pcp');
  });
});

describe('ARP', () => {
  const request = '0001 0800 06 04 0001 02000000000b c0000202 000000000000 c0000201';

  it.each([
    ['hardware type 6 (IEEE 802)', '0006 0800 06 04', 'arp-unsupported-hardware', 'arp.hardwareType'],
    ['protocol type IPv6', '0001 86dd 06 04', 'arp-unsupported-protocol', 'arp.protocolType'],
    ['hardware length 8', '0001 0800 08 04', 'arp-bad-address-length', 'arp.hardwareLength'],
    ['protocol length 16', '0001 0800 06 10', 'arp-bad-address-length', 'arp.protocolLength'],
  ])('rejects %s', (_name, head, code, field) => {
    const e = wireError(() => decodeBytes(arpCodec, hex(head + request.replace(/\s/g, '').slice(12)), 'arp'));
    expect(e.code).toBe(code);
    expect(e.field).toBe(field);
  });

  it('rejects a packet cut short', () => {
    expect(wireError(() => decodeBytes(arpCodec, hex(request).subarray(0, 27), 'arp')).code).toBe(
      'truncated',
    );
  });

  it('leaves Ethernet padding unread', () => {
    const padded = new Uint8Array(46);
    padded.set(hex(request));
    expect(decodeBytes(arpCodec, padded, 'arp').targetIp).toEqual(new Uint8Array([192, 0, 2, 1]));
  });
});

describe('IPv6', () => {
  const header = (first: string, len: string) =>
    hex(first + len + '3aff' + '20010db8001200000000000000000002' + 'ff0200000000000000000001ff000001');

  it('rejects version 4 and a payload length beyond the frame', () => {
    expect(wireError(() => decodeBytes(ipv6Codec, header('40000000', '0000'), 'ipv6')).code).toBe(
      'ipv6-bad-version',
    );
    expect(wireError(() => decodeBytes(ipv6Codec, header('60000000', '0001'), 'ipv6')).code).toBe(
      'ipv6-bad-payload-length',
    );
  });

  it('reads traffic class and flow label', () => {
    const p = decodeBytes(ipv6Codec, header('6ab12345', '0000'), 'ipv6');
    expect(p.trafficClass).toBe(0xab);
    expect(p.flowLabel).toBe(0x12345);
  });

  it('refuses to encode a flow label wider than 20 bits', () => {
    const p = decodeBytes(ipv6Codec, header('60000000', '0000'), 'ipv6');
    expect(wireError(() => encodeToBytes(ipv6Codec, { ...p, flowLabel: 0x100000 })).field).toBe(
      'ipv6.flowLabel',
    );
  });
});

describe('ICMPv6 and NDP options', () => {
  it('rejects an ICMPv6 message shorter than its header', () => {
    expect(wireError(() => decodeBytes(icmpv6Codec, hex('8700'), 'icmpv6')).code).toBe('icmpv6-truncated');
  });

  it('rejects an option of length 0 (RFC 4861 §4.6)', () => {
    expect(wireError(() => decodeBytes(ndpOptionsCodec, hex('0100 000000000000'), 'o')).code).toBe(
      'ndp-option-zero-length',
    );
  });

  it('rejects an option that runs past the message, or a lone octet', () => {
    expect(wireError(() => decodeBytes(ndpOptionsCodec, hex('0102 02000000000b'), 'o')).code).toBe(
      'ndp-option-overrun',
    );
    expect(wireError(() => decodeBytes(ndpOptionsCodec, hex('01'), 'o')).code).toBe('ndp-option-overrun');
  });

  it('keeps unknown options and finds the link-layer address past them', () => {
    const opts = decodeBytes(ndpOptionsCodec, hex('0e01 aabbccddeeff' + '0101 02000000000b'), 'o');
    expect(opts.map((o) => o.type)).toEqual([14, NdpOptionType.SOURCE_LINK_LAYER_ADDRESS]);
    expect(findLinkLayerAddress(opts, NdpOptionType.SOURCE_LINK_LAYER_ADDRESS)).toEqual(HOST_B_MAC);
    expect(findLinkLayerAddress(opts, NdpOptionType.TARGET_LINK_LAYER_ADDRESS)).toBeUndefined();
  });

  it('rejects a two-unit link-layer address option for Ethernet', () => {
    const opts = decodeBytes(ndpOptionsCodec, hex('0102 02000000000b 0000000000000000'), 'o');
    expect(wireError(() => findLinkLayerAddress(opts, NdpOptionType.SOURCE_LINK_LAYER_ADDRESS)).code).toBe(
      'ndp-bad-link-layer-option',
    );
  });

  it('refuses to encode an option that is not a whole number of 8-octet units', () => {
    expect(
      wireError(() => encodeToBytes(ndpOptionsCodec, [{ type: 1, data: new Uint8Array(5) }])).field,
    ).toBe('ndp.option');
    expect(encodeToBytes(ndpOptionsCodec, [linkLayerOption(2, HOST_A_MAC)])).toEqual(
      hex('0201 02000000000a'),
    );
  });

  it('decodes NA flags R, S and O and ignores the reserved bits', () => {
    const na = decodeBytes(
      neighborAdvertisementCodec,
      hex('7fffffff' + '20010db8001200000000000000000001'),
      'na',
    );
    expect([na.router, na.solicited, na.override]).toEqual([false, true, true]);
    const again = encodeToBytes(neighborAdvertisementCodec, na);
    expect(again.subarray(0, 4)).toEqual(hex('60000000'));
  });
});

describe('decoders throw only L2WireError', () => {
  const codecs = [
    ethernetCodec,
    arpCodec,
    ipv6Codec,
    icmpv6Codec,
    ndpOptionsCodec,
    neighborSolicitationCodec,
  ];
  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        for (const codec of codecs) {
          try {
            decodeBytes(codec as typeof ethernetCodec, bytes, 'fuzz');
          } catch (e) {
            if (!(e instanceof L2WireError)) throw e;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
