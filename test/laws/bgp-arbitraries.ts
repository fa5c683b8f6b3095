/**
 * fast-check arbitraries for the bgp-ts-lite message model. Every value generated is *canonical* for the
 * given CodecContext: it encodes without error, decodes without warnings and back to an equal value
 * (attributes in wire order, flags only when not the default, ASNs and next hops valid). Shared by the
 * codec, FSM and session tests.
 */
import fc from 'fast-check';
import {
  Afi,
  type AfiValue,
  AS_TRANS,
  AsPathSegmentType,
  AttrFlag,
  BGP_VERSION,
  Origin,
  type OriginValue,
  RouteRefreshSubtype,
  Safi,
} from '../../src/bgp/constants.js';
import { KNOWN_ATTRIBUTE_CODES } from '../../src/bgp/attributes/registry.js';
import { wireOrder } from '../../src/bgp/attributes/list.js';
import { KNOWN_CAPABILITY_CODES } from '../../src/bgp/capabilities/registry.js';
import { makePrefix } from '../../src/bgp/nlri/prefix.js';
import type {
  AsPathSegment,
  BgpMessage,
  Capability,
  CodecContext,
  KeepaliveMessage,
  Nlri,
  NotificationMessage,
  OpenMessage,
  PathAttribute,
  Prefix,
  RouteRefreshMessage,
  UpdateMessage,
} from '../../src/bgp/types.js';

// ---------------------------------------------------------------- contexts

export function codecContext(opts: Partial<CodecContext> = {}): CodecContext {
  return {
    fourOctetAs: opts.fourOctetAs ?? true,
    extendedMessage: opts.extendedMessage ?? false,
    addPathReceive: opts.addPathReceive ?? new Set(),
    addPathSend: opts.addPathSend ?? new Set(),
  };
}

const BOTH_FAMILIES = new Set(['1/1', '2/1']);
/** The session shapes the laws run under. */
export const CONTEXTS = {
  twoOctet: codecContext({ fourOctetAs: false }),
  fourOctet: codecContext({ fourOctetAs: true }),
  addPath: codecContext({ fourOctetAs: true, addPathReceive: BOTH_FAMILIES, addPathSend: BOTH_FAMILIES }),
  extended: codecContext({ fourOctetAs: true, extendedMessage: true }),
} as const;

const addPathFor = (ctx: CodecContext, afi: number): boolean => ctx.addPathSend.has(`${afi}/${Safi.UNICAST}`);

// ---------------------------------------------------------------- addresses, prefixes, NLRI

export const arbAfi: fc.Arbitrary<AfiValue> = fc.constantFrom(Afi.IPV4, Afi.IPV6);
export const arbIPv4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
export const arbIPv6 = fc.uint8Array({ minLength: 16, maxLength: 16 });
/** An IPv4 host address valid as a NEXT_HOP (not 0.0.0.0, multicast or broadcast). */
export const arbIPv4NextHop = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.uint8Array({ minLength: 3, maxLength: 3 }))
  .map(([first, rest]) => Uint8Array.of(first, ...rest));

export function arbPrefix(afi: AfiValue): fc.Arbitrary<Prefix> {
  const max = afi === Afi.IPV4 ? 32 : 128;
  return fc
    .tuple(afi === Afi.IPV4 ? arbIPv4 : arbIPv6, fc.integer({ min: 0, max }))
    .map(([address, length]) => makePrefix(address, length));
}

export function arbNlri(afi: AfiValue, addPath: boolean): fc.Arbitrary<Nlri> {
  if (!addPath) return arbPrefix(afi).map((prefix) => ({ prefix }));
  return fc
    .tuple(arbPrefix(afi), fc.nat({ max: 0xffffffff }))
    .map(([prefix, pathId]) => ({ prefix, pathId }));
}

export const arbNlriList = (afi: AfiValue, addPath: boolean, maxLength = 20) =>
  fc.array(arbNlri(afi, addPath), { maxLength });

// ---------------------------------------------------------------- capabilities

const arbFamily = fc.record({ afi: arbAfi, safi: fc.integer({ min: 0, max: 255 }) });
const arbUnknownCapabilityCode = fc
  .integer({ min: 0, max: 255 })
  .filter((c) => !KNOWN_CAPABILITY_CODES.has(c));

export const arbCapabilityByKind: {
  readonly [K in Capability['kind']]: fc.Arbitrary<Extract<Capability, { kind: K }>>;
} = {
  multiprotocol: arbFamily.map((f) => ({ kind: 'multiprotocol', ...f })),
  'route-refresh': fc.constant({ kind: 'route-refresh' }),
  'enhanced-route-refresh': fc.constant({ kind: 'enhanced-route-refresh' }),
  'four-octet-as': fc.nat({ max: 0xffffffff }).map((asn) => ({ kind: 'four-octet-as', asn })),
  'extended-message': fc.constant({ kind: 'extended-message' }),
  'graceful-restart': fc.record({
    kind: fc.constant('graceful-restart'),
    restartState: fc.boolean(),
    notification: fc.boolean(),
    restartTime: fc.integer({ min: 0, max: 4095 }),
    families: fc.array(
      fc.record({ afi: arbAfi, safi: fc.integer({ min: 0, max: 255 }), forwardingState: fc.boolean() }),
      {
        maxLength: 8,
      },
    ),
  }),
  'add-path': fc.record({
    kind: fc.constant('add-path'),
    families: fc.array(
      fc.record({
        afi: arbAfi,
        safi: fc.integer({ min: 0, max: 255 }),
        direction: fc.constantFrom('receive', 'send', 'both'),
      }),
      { maxLength: 8 },
    ),
  }),
  'extended-next-hop': fc.record({
    kind: fc.constant('extended-next-hop'),
    entries: fc.array(
      fc.record({ afi: arbAfi, safi: fc.integer({ min: 0, max: 0xffff }), nextHopAfi: arbAfi }),
      {
        maxLength: 8,
      },
    ),
  }),
  unknown: fc.record({
    kind: fc.constant('unknown'),
    code: arbUnknownCapabilityCode,
    data: fc.uint8Array({ maxLength: 255 }),
  }),
};

export const arbCapability: fc.Arbitrary<Capability> = fc.oneof(...Object.values(arbCapabilityByKind));

// ---------------------------------------------------------------- path attributes

function arbAsn(fourOctet: boolean): fc.Arbitrary<number> {
  return fc.integer({ min: 1, max: fourOctet ? 0xffffffff : 0xffff });
}

function arbSegments(
  fourOctet: boolean,
  minLength: number,
  types: readonly number[],
): fc.Arbitrary<AsPathSegment[]> {
  return fc.array(
    fc.record({
      type: fc.constantFrom(...types),
      asns: fc.array(arbAsn(fourOctet), { minLength: 1, maxLength: 12 }),
    }),
    { minLength, maxLength: 4 },
  );
}

const ALL_SEGMENT_TYPES = Object.values(AsPathSegmentType);

/** flags: absent, or a non-default octet the encoder reproduces (Partial, or Extended Length on a short value). */
function withFlags<T extends PathAttribute>(
  arb: fc.Arbitrary<T>,
  rfc: number,
  valueLength: (v: T) => number,
): fc.Arbitrary<T> {
  return fc.tuple(arb, fc.constantFrom('none', 'none', 'partial', 'extended')).map(([v, choice]) => {
    const long = valueLength(v) > 255;
    if (choice === 'partial' && rfc === OT) {
      return { ...v, flags: rfc | AttrFlag.PARTIAL | (long ? AttrFlag.EXTENDED_LENGTH : 0) };
    }
    if (choice === 'extended' && !long) return { ...v, flags: rfc | AttrFlag.EXTENDED_LENGTH };
    return v;
  });
}

const OT = AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE;
const T = AttrFlag.TRANSITIVE;

export type AttributeKind = PathAttribute['kind'];

export function arbAttributeByKind(ctx: CodecContext): {
  readonly [K in AttributeKind]: fc.Arbitrary<PathAttribute>;
} {
  const four = ctx.fourOctetAs;
  const mpNextHops = (afi: AfiValue) =>
    afi === Afi.IPV4
      ? fc.oneof(
          arbIPv4.map((a) => [a]),
          arbIPv6.map((a) => [a]),
          fc.tuple(arbIPv6, arbIPv6),
        )
      : fc.oneof(
          arbIPv6.map((a) => [a]),
          fc.tuple(arbIPv6, arbIPv6),
        );
  return {
    origin: withFlags(
      fc
        .constantFrom<OriginValue>(Origin.IGP, Origin.EGP, Origin.INCOMPLETE)
        .map((value) => ({ kind: 'origin', value })),
      T,
      () => 1,
    ),
    'as-path': withFlags(
      arbSegments(four, 0, ALL_SEGMENT_TYPES).map((segments) => ({ kind: 'as-path', segments })),
      T,
      () => 0,
    ),
    'next-hop': withFlags(
      arbIPv4NextHop.map((address) => ({ kind: 'next-hop', address })),
      T,
      () => 4,
    ),
    'multi-exit-disc': withFlags(
      fc.nat({ max: 0xffffffff }).map((value) => ({ kind: 'multi-exit-disc', value })),
      AttrFlag.OPTIONAL,
      () => 4,
    ),
    'local-pref': withFlags(
      fc.nat({ max: 0xffffffff }).map((value) => ({ kind: 'local-pref', value })),
      T,
      () => 4,
    ),
    'atomic-aggregate': withFlags(fc.constant({ kind: 'atomic-aggregate' as const }), T, () => 0),
    aggregator: withFlags(
      fc.record({ kind: fc.constant('aggregator' as const), asn: arbAsn(four), address: arbIPv4 }),
      OT,
      () => 8,
    ),
    communities: withFlags(
      fc
        .array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 70 })
        .map((values) => ({ kind: 'communities', values })),
      OT,
      (v) => (v.kind === 'communities' ? v.values.length * 4 : 0),
    ),
    'extended-communities': withFlags(
      fc
        .array(fc.uint8Array({ minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 4 })
        .map((values) => ({ kind: 'extended-communities', values })),
      OT,
      () => 32,
    ),
    'large-communities': withFlags(
      fc
        .array(
          fc.record({
            globalAdmin: fc.nat({ max: 0xffffffff }),
            localData1: fc.nat({ max: 0xffffffff }),
            localData2: fc.nat({ max: 0xffffffff }),
          }),
          { minLength: 1, maxLength: 4 },
        )
        .map((values) => ({ kind: 'large-communities', values })),
      OT,
      () => 48,
    ),
    'mp-reach-nlri': arbAfi.chain((afi) =>
      fc.record({
        kind: fc.constant('mp-reach-nlri' as const),
        afi: fc.constant(afi),
        safi: fc.constant(Safi.UNICAST),
        nextHops: mpNextHops(afi),
        nlri: arbNlriList(afi, addPathFor(ctx, afi), 12),
      }),
    ),
    'mp-unreach-nlri': arbAfi.chain((afi) =>
      fc.record({
        kind: fc.constant('mp-unreach-nlri' as const),
        afi: fc.constant(afi),
        safi: fc.constant(Safi.UNICAST),
        withdrawn: arbNlriList(afi, addPathFor(ctx, afi), 12),
      }),
    ),
    'as4-path': withFlags(
      arbSegments(true, 1, ALL_SEGMENT_TYPES).map((segments) => ({ kind: 'as4-path', segments })),
      OT,
      () => 6,
    ),
    'as4-aggregator': withFlags(
      fc.record({ kind: fc.constant('as4-aggregator' as const), asn: arbAsn(true), address: arbIPv4 }),
      OT,
      () => 8,
    ),
    unknown: arbUnknownAttribute,
  };
}

const arbUnknownTypeCode = fc.integer({ min: 0, max: 255 }).filter((c) => !KNOWN_ATTRIBUTE_CODES.has(c));

/** Unknown optional attributes; flags only when they differ from optional-transitive (+ Extended Length). */
export const arbUnknownAttribute: fc.Arbitrary<PathAttribute> = fc
  .record({
    typeCode: arbUnknownTypeCode,
    data: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 250, maxLength: 300 })),
    base: fc.constantFrom(OT, OT, AttrFlag.OPTIONAL, OT | AttrFlag.PARTIAL, OT | AttrFlag.EXTENDED_LENGTH),
  })
  .map(({ typeCode, data, base }) => {
    const flags = data.length > 255 ? base | AttrFlag.EXTENDED_LENGTH : base;
    const dflt = data.length > 255 ? OT | AttrFlag.EXTENDED_LENGTH : OT;
    return flags === dflt ? { kind: 'unknown', typeCode, data } : { kind: 'unknown', typeCode, data, flags };
  });

// ---------------------------------------------------------------- messages

export const arbOpen: fc.Arbitrary<OpenMessage> = fc.record({
  type: fc.constant('open'),
  version: fc.constant(BGP_VERSION),
  myAs: fc.oneof(fc.integer({ min: 1, max: 0xffff }), fc.constant(AS_TRANS)),
  holdTime: fc.oneof(fc.constant(0), fc.integer({ min: 3, max: 0xffff })),
  bgpId: fc.integer({ min: 1, max: 0xffffffff }),
  capabilities: fc.array(arbCapability, { maxLength: 10 }),
});

export const arbKeepalive: fc.Arbitrary<KeepaliveMessage> = fc.constant({ type: 'keepalive' });

export const arbNotification: fc.Arbitrary<NotificationMessage> = fc.record({
  type: fc.constant('notification'),
  code: fc.integer({ min: 0, max: 255 }),
  subcode: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: 100 }),
});

export const arbRouteRefresh: fc.Arbitrary<RouteRefreshMessage> = fc.record({
  type: fc.constant('route-refresh'),
  afi: fc.oneof(arbAfi, fc.integer({ min: 0, max: 0xffff })),
  subtype: fc.oneof(fc.constantFrom(...Object.values(RouteRefreshSubtype)), fc.integer({ min: 0, max: 255 })),
  safi: fc.integer({ min: 0, max: 255 }),
});

/** A valid UPDATE: when it announces routes, ORIGIN and AS_PATH (and NEXT_HOP for the NLRI field) are present. */
export function arbUpdate(ctx: CodecContext): fc.Arbitrary<UpdateMessage> {
  const byKind = arbAttributeByKind(ctx);
  const optionalKinds = Object.keys(byKind).filter(
    (k) => !['origin', 'as-path', 'next-hop', 'mp-reach-nlri', 'mp-unreach-nlri', 'unknown'].includes(k),
  ) as AttributeKind[];
  const addPath = addPathFor(ctx, Afi.IPV4);
  return fc
    .record({
      withdrawn: arbNlriList(Afi.IPV4, addPath, 10),
      nlri: arbNlriList(Afi.IPV4, addPath, 10),
      mpReach: fc.option(byKind['mp-reach-nlri'], { nil: undefined }),
      mpUnreach: fc.option(byKind['mp-unreach-nlri'], { nil: undefined }),
      origin: byKind.origin,
      asPath: byKind['as-path'],
      nextHop: byKind['next-hop'],
      extras: fc.subarray(optionalKinds).chain((kinds) => fc.tuple(...kinds.map((k) => byKind[k]))),
      unknown: fc.option(arbUnknownAttribute, { nil: undefined }),
    })
    .map((g) => {
      const announces = g.nlri.length > 0 || g.mpReach !== undefined;
      const attributes: PathAttribute[] = [...g.extras];
      if (announces) attributes.push(g.origin, g.asPath);
      if (g.nlri.length > 0) attributes.push(g.nextHop);
      if (g.mpReach) attributes.push(g.mpReach);
      if (g.mpUnreach) attributes.push(g.mpUnreach);
      if (g.unknown) attributes.push(g.unknown);
      return { type: 'update', withdrawn: g.withdrawn, attributes: [...wireOrder(attributes)], nlri: g.nlri };
    });
}

export function arbMessage(ctx: CodecContext): fc.Arbitrary<BgpMessage> {
  return fc.oneof(arbOpen, arbUpdate(ctx), arbNotification, arbKeepalive, arbRouteRefresh);
}
