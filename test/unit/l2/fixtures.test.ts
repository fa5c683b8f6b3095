/**
 * Real frames captured between two network namespaces (see the provenance line of each file in
 * test/fixtures/l2): Herald decodes them, and its replies to the same requests match the Linux kernel's,
 * apart from the documented differences (Ethernet padding; TLLA always included).
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/l2/responder.js';
import { classifyFrame } from '../../../src/l2/wire/frame.js';
import { ArpOp, ETHERNET_MIN_FRAME_LENGTH, NdpOptionType } from '../../../src/l2/wire/constants.js';
import { findLinkLayerAddress } from '../../../src/l2/wire/ndp.js';
import { parseIpBytes } from '../../../src/l2/wire/addresses.js';
import { HOST_A_MAC, HOST_B_MAC, OTHER_MAC, V6_OWNED, ctxA, fixture, toHex } from './frames.js';

function reply(name: string): Uint8Array {
  const d = decide(fixture(name), ctxA());
  if (d.kind !== 'reply') throw new Error(`${name}: dropped as ${d.reason}`);
  return d.frame;
}

describe('captured frames', () => {
  it('decodes the iputils arping request', () => {
    const c = classifyFrame(fixture('arping-request.hex'));
    expect(c.kind === 'arp' && c.arp.op).toBe(ArpOp.REQUEST);
    expect(c.kind === 'arp' && c.arp.targetIp).toEqual(parseIpBytes('192.0.2.1'));
  });

  it('answers arping exactly as Linux does, padded to the Ethernet minimum', () => {
    const ours = reply('arping-request.hex');
    const linux = fixture('linux-arp-reply.hex');
    expect(ours.length).toBe(ETHERNET_MIN_FRAME_LENGTH);
    expect(toHex(ours.subarray(0, linux.length))).toBe(toHex(linux));
    expect(ours.subarray(linux.length).every((b) => b === 0)).toBe(true);
  });

  it('answers the ndisc6 solicitation byte for byte as Linux does (S=1, O=1, TLLA)', () => {
    expect(toHex(reply('ndisc6-ns-link-local.hex'))).toBe(toHex(fixture('linux-na-to-ndisc6.hex')));
  });

  it('answers the Linux multicast NS with SLLA', () => {
    const c = classifyFrame(reply('linux-ns-multicast-slla.hex'));
    expect(c.kind === 'na' && c.ipv6.destination).toEqual(parseIpBytes('2001:db8:12::2'));
    expect(c.ethernet.destination).toEqual(HOST_B_MAC);
  });

  it('answers the Linux unicast NUD probe like Linux, but with O=1 and the TLLA option', () => {
    const ours = classifyFrame(reply('linux-ns-nud-unicast.hex'));
    const linux = classifyFrame(fixture('linux-na-nud-reply.hex'));
    if (ours.kind !== 'na' || linux.kind !== 'na') throw new Error('expected NAs');
    expect(ours.ethernet.destination).toEqual(linux.ethernet.destination);
    expect(ours.ipv6.source).toEqual(linux.ipv6.source);
    expect(ours.ipv6.destination).toEqual(linux.ipv6.destination);
    // Linux answers a unicast NS with O=0 and no TLLA; Herald, the owner, always sends O=1 and the TLLA.
    expect(linux.na.override).toBe(false);
    expect({ ...ours.na, override: false, options: [] }).toEqual(linux.na);
    expect(ours.na.override).toBe(true);
    expect(findLinkLayerAddress(ours.na.options, NdpOptionType.TARGET_LINK_LAYER_ADDRESS)).toEqual(
      HOST_A_MAC,
    );
  });

  it('answers the hand-written NUD probe without SLLA at its Ethernet source (MetalLB #2920)', () => {
    const frame = fixture('rfc4861-nud-unicast-no-slla.hex');
    const ns = classifyFrame(frame);
    expect(ns.kind === 'ns' && ns.ns.options).toEqual([]);
    const c = classifyFrame(reply('rfc4861-nud-unicast-no-slla.hex'));
    if (c.kind !== 'na') throw new Error('expected an NA');
    expect(c.ethernet.destination).toEqual(OTHER_MAC);
    expect(c.ipv6.destination).toEqual(parseIpBytes('fe80::ff:fe00:c'));
    expect([c.na.solicited, c.na.override]).toEqual([true, true]);
  });

  it('decodes the Linux NAs with their R/S/O flags', () => {
    const c = classifyFrame(fixture('linux-na-to-ndisc6.hex'));
    expect(c.kind === 'na' && [c.na.router, c.na.solicited, c.na.override]).toEqual([false, true, true]);
    expect(c.kind === 'na' && c.na.target).toEqual(parseIpBytes(V6_OWNED));
  });
});
