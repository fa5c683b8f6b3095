/** fast-check arbitraries for BFD control packets: every packet they produce is valid to encode. */
import fc from 'fast-check';
import {
  BFD_MAX_UINT32,
  BfdAuthType,
  type BfdAuthSection,
  type BfdControlPacket,
  type BfdState,
} from '../../../../src/bgp/bfd/codec/index.js';

const u32 = fc.integer({ min: 0, max: BFD_MAX_UINT32 });
const nonZeroU32 = fc.integer({ min: 1, max: BFD_MAX_UINT32 });
const bytes = (min: number, max: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: min, maxLength: max });

export const authSection: fc.Arbitrary<BfdAuthSection> = fc.oneof(
  bytes(2, 17).map((data) => ({ type: BfdAuthType.SIMPLE_PASSWORD, data })),
  fc
    .constantFrom(BfdAuthType.KEYED_MD5, BfdAuthType.METICULOUS_KEYED_MD5)
    .chain((type) => bytes(22, 22).map((data) => ({ type, data }))),
  fc
    .constantFrom(BfdAuthType.KEYED_SHA1, BfdAuthType.METICULOUS_KEYED_SHA1)
    .chain((type) => bytes(26, 26).map((data) => ({ type, data }))),
  fc.record({ type: fc.integer({ min: 6, max: 255 }), data: bytes(0, 229) }),
);

const REQUIRED = [
  'diagnostic',
  'state',
  'poll',
  'final',
  'controlPlaneIndependent',
  'demand',
  'detectMult',
  'myDiscriminator',
  'yourDiscriminator',
  'desiredMinTxUs',
  'requiredMinRxUs',
  'requiredMinEchoRxUs',
] as const;

export const controlPacket: fc.Arbitrary<BfdControlPacket> = fc
  .constantFrom<BfdState>('AdminDown', 'Down', 'Init', 'Up')
  .chain((state) =>
    fc.record(
      {
        diagnostic: fc.integer({ min: 0, max: 31 }),
        state: fc.constant(state),
        poll: fc.boolean(),
        final: fc.boolean(),
        controlPlaneIndependent: fc.boolean(),
        demand: fc.boolean(),
        detectMult: fc.integer({ min: 1, max: 255 }),
        myDiscriminator: nonZeroU32,
        yourDiscriminator: state === 'Init' || state === 'Up' ? nonZeroU32 : u32,
        desiredMinTxUs: u32,
        requiredMinRxUs: u32,
        requiredMinEchoRxUs: u32,
        auth: authSection,
      },
      { requiredKeys: [...REQUIRED] },
    ),
  );
