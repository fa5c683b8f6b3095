/**
 * Fuzz: 100,000 random and mutated frames through every decoder, `decide` and `conflictOf`. Nothing may
 * throw except L2WireError from a decoder; `decide` and `conflictOf` never throw; every reply decodes
 * as an ARP reply or a Neighbor Advertisement. Deterministic (seeded), bounded in count.
 */
import { describe, expect, it } from 'vitest';
import { conflictOf, decide, type ResponderContext } from '../../../src/l2/responder.js';
import { parseIpBytes } from '../../../src/l2/wire/addresses.js';
import { arpCodec } from '../../../src/l2/wire/arp.js';
import { buildGratuitousArp, buildUnsolicitedNa } from '../../../src/l2/wire/builders.js';
import { decodeBytes } from '../../../src/l2/wire/codec.js';
import { ETHERNET_HEADER_LENGTH } from '../../../src/l2/wire/constants.js';
import { L2WireError } from '../../../src/l2/wire/errors.js';
import { ethernetCodec } from '../../../src/l2/wire/ethernet.js';
import { classifyFrame } from '../../../src/l2/wire/frame.js';
import { icmpv6Codec } from '../../../src/l2/wire/icmpv6.js';
import { ipv6Codec } from '../../../src/l2/wire/ipv6.js';
import {
  ndpOptionsCodec,
  neighborAdvertisementCodec,
  neighborSolicitationCodec,
} from '../../../src/l2/wire/ndp.js';
import { HOST_A_MAC, OTHER_MAC, buildNs, ctxA, fixture } from './frames.js';

const RANDOM_FRAMES = 30_000;
const MUTATED_FRAMES = 70_000;
const MAX_RANDOM_LENGTH = 128;

/** mulberry32: a small seeded PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS: Uint8Array[] = [
  ...[
    'arping-request.hex',
    'arping-gratuitous-request.hex',
    'linux-arp-reply.hex',
    'ndisc6-ns-link-local.hex',
    'linux-na-to-ndisc6.hex',
    'linux-ns-multicast-slla.hex',
    'linux-ns-nud-unicast.hex',
    'linux-na-nud-reply.hex',
    'linux-router-solicitation.hex',
    'rfc4861-nud-unicast-no-slla.hex',
  ].map(fixture),
  buildNs(),
  buildNs({ slla: null, ethDst: HOST_A_MAC, dst: '2001:db8:12::1' }),
  buildNs({ src: '::', slla: null }),
  buildNs({ vlan: { pcp: 3, dei: false, vid: 42 } }),
  buildGratuitousArp(parseIpBytes('192.0.2.1'), OTHER_MAC, 'reply'),
  buildUnsolicitedNa(parseIpBytes('2001:db8:12::1'), OTHER_MAC),
];

function mutate(seed: Uint8Array, rand: () => number): Uint8Array {
  const out = seed.slice();
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * out.length);
    const how = rand();
    if (how < 0.5) out[at] = (out[at] as number) ^ (1 << Math.floor(rand() * 8));
    else if (how < 0.85) out[at] = Math.floor(rand() * 256);
    else return out.subarray(0, at);
  }
  return out;
}

const DECODERS = [
  ethernetCodec,
  arpCodec,
  ipv6Codec,
  icmpv6Codec,
  ndpOptionsCodec,
  neighborSolicitationCodec,
  neighborAdvertisementCodec,
] as const;

function runOne(frame: Uint8Array, ctx: ResponderContext, outcomes: Map<string, number>): void {
  // Ethernet from the frame start; the others from where the Ethernet header would end.
  for (const codec of DECODERS) {
    const start = codec === ethernetCodec ? 0 : Math.min(ETHERNET_HEADER_LENGTH, frame.length);
    try {
      decodeBytes(codec as typeof ethernetCodec, frame.subarray(start), 'fuzz');
    } catch (e) {
      if (!(e instanceof L2WireError)) throw e;
    }
  }
  const d = decide(frame, ctx);
  conflictOf(frame, ctx);
  const key = d.kind === 'reply' ? 'reply' : d.reason;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  if (d.kind === 'reply') {
    const c = classifyFrame(d.frame);
    expect(c.kind === 'na' || (c.kind === 'arp' && c.arp.op === 2)).toBe(true);
  }
}

describe('fuzz', () => {
  it(`${RANDOM_FRAMES + MUTATED_FRAMES} random and mutated frames: only typed errors, decide never throws`, () => {
    const rand = prng(0x4e524c44);
    const ctx = ctxA();
    const outcomes = new Map<string, number>();
    for (let i = 0; i < RANDOM_FRAMES; i++) {
      const frame = new Uint8Array(Math.floor(rand() * MAX_RANDOM_LENGTH));
      for (let j = 0; j < frame.length; j++) frame[j] = Math.floor(rand() * 256);
      runOne(frame, ctx, outcomes);
    }
    for (let i = 0; i < MUTATED_FRAMES; i++) {
      runOne(mutate(SEEDS[i % SEEDS.length] as Uint8Array, rand), ctx, outcomes);
    }
    // The mutations must reach deep into the decision, not stop at 'malformed'.
    expect(outcomes.get('reply') ?? 0).toBeGreaterThan(100);
    for (const reason of ['malformed', 'ndp-bad-checksum', 'ethernet-destination-not-us', 'not-owned']) {
      expect(outcomes.get(reason) ?? 0, reason).toBeGreaterThan(0);
    }
  });
});
