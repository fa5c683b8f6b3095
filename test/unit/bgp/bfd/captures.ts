/**
 * BFD control packets captured on the wire (tcpdump on a veth between network namespaces, UDP payloads
 * extracted with tshark) from FRR 8.4.4 bfdd and BIRD 2.0.12 (Debian 12 packages) talking to bgp-ts-lite,
 * with what each must decode to.
 */
import type { BfdControlPacket } from '../../../../src/bgp/bfd/codec/index.js';

export interface Capture {
  readonly name: string;
  readonly hex: string;
  readonly packet: BfdControlPacket;
}

const FRR_DISCR = 0x27090b8f;
const OURS_FOR_FRR = 0xe47aa25e;
const BIRD_DISCR = 0x8abc8690;
const OURS_FOR_BIRD = 0xf9783faa;

const base = {
  diagnostic: 0,
  poll: false,
  final: false,
  controlPlaneIndependent: false,
  demand: false,
  detectMult: 3,
} as const;

const frr = (p: Partial<BfdControlPacket>): BfdControlPacket => ({
  ...base,
  state: 'Up',
  myDiscriminator: FRR_DISCR,
  yourDiscriminator: OURS_FOR_FRR,
  desiredMinTxUs: 300_000,
  requiredMinRxUs: 300_000,
  requiredMinEchoRxUs: 50_000,
  ...p,
});

const bird = (p: Partial<BfdControlPacket>): BfdControlPacket => ({
  ...base,
  state: 'Up',
  myDiscriminator: BIRD_DISCR,
  yourDiscriminator: OURS_FOR_BIRD,
  desiredMinTxUs: 300_000,
  requiredMinRxUs: 300_000,
  requiredMinEchoRxUs: 0,
  ...p,
});

const slowFrr = { desiredMinTxUs: 1_000_000, requiredMinRxUs: 1_000_000 } as const;

export const CAPTURES: readonly Capture[] = [
  {
    name: 'FRR 8.4.4 Down, slow rate, echo 50 ms',
    hex: '2040031827090b8f00000000000f4240000f42400000c350',
    packet: frr({ state: 'Down', yourDiscriminator: 0, ...slowFrr }),
  },
  {
    name: 'FRR 8.4.4 Init',
    hex: '2080031827090b8fe47aa25e000f4240000f42400000c350',
    packet: frr({ state: 'Init', ...slowFrr }),
  },
  {
    name: 'FRR 8.4.4 Up with Poll',
    hex: '20e0031827090b8fe47aa25e000493e0000493e00000c350',
    packet: frr({ poll: true }),
  },
  {
    name: 'FRR 8.4.4 Up with Final',
    hex: '20d0031827090b8fe47aa25e000493e0000493e00000c350',
    packet: frr({ final: true }),
  },
  { name: 'FRR 8.4.4 Up', hex: '20c0031827090b8fe47aa25e000493e0000493e00000c350', packet: frr({}) },
  {
    name: 'FRR 8.4.4 Down, neighbor signaled session down',
    hex: '2340031827090b8f00000000000f4240000f42400000c350',
    packet: frr({ state: 'Down', diagnostic: 3, yourDiscriminator: 0, ...slowFrr }),
  },
  {
    name: 'BIRD 2.0.12 Down',
    hex: '204003188abc869000000000000f4240000493e000000000',
    packet: bird({ state: 'Down', yourDiscriminator: 0, desiredMinTxUs: 1_000_000 }),
  },
  {
    name: 'BIRD 2.0.12 Init',
    hex: '208003188abc8690f9783faa000f4240000493e000000000',
    packet: bird({ state: 'Init', desiredMinTxUs: 1_000_000 }),
  },
  {
    name: 'BIRD 2.0.12 Up with Poll',
    hex: '20e003188abc8690f9783faa000493e0000493e000000000',
    packet: bird({ poll: true }),
  },
  {
    name: 'BIRD 2.0.12 Up with Final',
    hex: '20d003188abc8690f9783faa000493e0000493e000000000',
    packet: bird({ final: true }),
  },
  {
    name: 'BIRD 2.0.12 Down with Poll, neighbor signaled session down',
    hex: '236003188abc8690f9783faa000f4240000493e000000000',
    packet: bird({ state: 'Down', diagnostic: 3, poll: true, desiredMinTxUs: 1_000_000 }),
  },
  {
    name: 'bgp-ts-lite AdminDown, administratively down',
    hex: '27000318e47aa25e27090b8f000f4240000493e000000000',
    packet: {
      ...base,
      diagnostic: 7,
      state: 'AdminDown',
      myDiscriminator: OURS_FOR_FRR,
      yourDiscriminator: FRR_DISCR,
      desiredMinTxUs: 1_000_000,
      requiredMinRxUs: 300_000,
      requiredMinEchoRxUs: 0,
    },
  },
];
