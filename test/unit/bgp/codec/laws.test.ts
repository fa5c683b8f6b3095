/**
 * Codec laws (test/laws/codec-laws.ts) for every message, capability and path attribute, under each
 * session shape (2-octet AS, 4-octet AS, ADD-PATH, extended messages), plus NLRI.
 */
import { describe, it } from 'vitest';
import { pathAttributeCodec } from '../../../../src/bgp/attributes/attribute.js';
import { capabilityCodec } from '../../../../src/bgp/capabilities/registry.js';
import { Afi } from '../../../../src/bgp/constants.js';
import { messageCodec } from '../../../../src/bgp/messages/message.js';
import { decodeNlri, encodeNlri, nlriLength } from '../../../../src/bgp/nlri/nlri.js';
import { makePrefix } from '../../../../src/bgp/nlri/prefix.js';
import type { Nlri } from '../../../../src/bgp/types.js';
import { BgpWireError } from '../../../../src/bgp/errors.js';
import type { WireCodec } from '../../../../src/bgp/wire/codec.js';
import {
  arbAttributeByKind,
  arbCapabilityByKind,
  arbKeepalive,
  arbNlri,
  arbNotification,
  arbOpen,
  arbRouteRefresh,
  arbUpdate,
  CONTEXTS,
} from '../../../laws/bgp-arbitraries.js';
import { checkCodecLaws, codecLawsProperty } from '../../../laws/codec-laws.js';

const contexts = Object.entries(CONTEXTS);

describe('message codec laws', () => {
  it.each(contexts)('OPEN (%s)', (_name, ctx) => codecLawsProperty(messageCodec, arbOpen, ctx));
  it.each(contexts)('UPDATE (%s)', (_name, ctx) => codecLawsProperty(messageCodec, arbUpdate(ctx), ctx, 200));
  it.each(contexts)('NOTIFICATION (%s)', (_name, ctx) =>
    codecLawsProperty(messageCodec, arbNotification, ctx),
  );
  it.each(contexts)('KEEPALIVE (%s)', (_name, ctx) => codecLawsProperty(messageCodec, arbKeepalive, ctx, 5));
  it.each(contexts)('ROUTE-REFRESH (%s)', (_name, ctx) =>
    codecLawsProperty(messageCodec, arbRouteRefresh, ctx),
  );
});

describe('capability codec laws', () => {
  it.each(Object.entries(arbCapabilityByKind))('%s', (_kind, arb) => codecLawsProperty(capabilityCodec, arb));
});

describe('path attribute codec laws', () => {
  for (const [name, ctx] of contexts) {
    it.each(Object.entries(arbAttributeByKind(ctx)))(`%s (${name})`, (_kind, arb) =>
      codecLawsProperty(pathAttributeCodec, arb, ctx),
    );
  }
});

function nlriCodec(afi: typeof Afi.IPV4 | typeof Afi.IPV6, addPath: boolean): WireCodec<Nlri> {
  const error = (reason: string) => new BgpWireError(3, 10, new Uint8Array(0), 'session-reset', reason);
  return {
    encode: (w, v) => encodeNlri(w, v, afi, addPath),
    decode: (r) => decodeNlri(r, afi, addPath, error),
    length: (v) => nlriLength(v, addPath),
  };
}

describe('NLRI codec laws', () => {
  it.each([
    [Afi.IPV4, false],
    [Afi.IPV4, true],
    [Afi.IPV6, false],
    [Afi.IPV6, true],
  ] as const)('AFI %d, ADD-PATH %s', (afi, addPath) =>
    codecLawsProperty(nlriCodec(afi, addPath), arbNlri(afi, addPath), undefined, 500),
  );

  it.each([0, 1, 7, 8, 9, 31, 32])('IPv4 /%d at the edges of an octet', (length) => {
    const address = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
    checkCodecLaws(nlriCodec(Afi.IPV4, false), { prefix: makePrefix(address, length) });
  });

  it.each([0, 64, 127, 128])('IPv6 /%d', (length) => {
    checkCodecLaws(nlriCodec(Afi.IPV6, true), {
      prefix: makePrefix(new Uint8Array(16).fill(0xff), length),
      pathId: 7,
    });
  });
});
