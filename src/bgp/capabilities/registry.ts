/**
 * The capability table (code -> spec) and the capability TLV codec <Code 1, Length 1, Value> of
 * RFC 5492 §4. Unknown capabilities are kept as opaque { kind: 'unknown', code, data } and ignored by
 * negotiation (RFC 5492 §3). A malformed known capability is an OPEN Message Error with subcode 0
 * (as BIRD does), which resets the session.
 */
import { CAPABILITY_HEADER_LENGTH, MAX_ONE_OCTET_LENGTH, OpenSubcode } from '../constants.js';
import { BgpInputError } from '../errors.js';
import type { Capability } from '../types.js';
import type { WireCodec } from '../wire/codec.js';
import { openError } from '../wire/notify.js';
import { copyBytes, type Reader } from '../wire/reader.js';
import { addPathCapability } from './add-path.js';
import { extendedNextHopCapability } from './extended-next-hop.js';
import { fourOctetAsCapability } from './four-octet-as.js';
import { gracefulRestartCapability } from './graceful-restart.js';
import { multiprotocolCapability } from './multiprotocol.js';
import {
  enhancedRouteRefreshCapability,
  extendedMessageCapability,
  routeRefreshCapability,
} from './simple.js';
import type { CapabilityKind, CapabilityOf, CapabilitySpec, Malformed } from './spec.js';

type KnownKind = Exclude<CapabilityKind, 'unknown'>;

const SPEC_BY_KIND: { readonly [K in KnownKind]: CapabilitySpec<K> } = {
  multiprotocol: multiprotocolCapability,
  'route-refresh': routeRefreshCapability,
  'enhanced-route-refresh': enhancedRouteRefreshCapability,
  'four-octet-as': fourOctetAsCapability,
  'extended-message': extendedMessageCapability,
  'graceful-restart': gracefulRestartCapability,
  'add-path': addPathCapability,
  'extended-next-hop': extendedNextHopCapability,
};

const SPEC_BY_CODE: ReadonlyMap<number, CapabilitySpec<KnownKind>> = new Map(
  Object.values(SPEC_BY_KIND).map((s) => [s.code, s as CapabilitySpec<KnownKind>]),
);

/** Capability codes bgp-ts-lite understands (the rest decode as 'unknown'). */
export const KNOWN_CAPABILITY_CODES: ReadonlySet<number> = new Set(SPEC_BY_CODE.keys());

function specFor(v: CapabilityOf<KnownKind>): CapabilitySpec<KnownKind> {
  return SPEC_BY_KIND[v.kind] as CapabilitySpec<KnownKind>;
}

function valueLength(v: Capability): number {
  return v.kind === 'unknown' ? v.data.length : specFor(v).length(v);
}

function decodeCapability(r: Reader): Capability {
  if (r.remaining < CAPABILITY_HEADER_LENGTH) {
    throw openError(OpenSubcode.UNSPECIFIC, `capability header needs 2 octets, ${r.remaining} left`);
  }
  const code = r.u8();
  const length = r.u8();
  const spec = SPEC_BY_CODE.get(code);
  const name = spec?.name ?? `capability ${code}`;
  const malformed: Malformed = (reason) => openError(OpenSubcode.UNSPECIFIC, `malformed ${name}: ${reason}`);
  if (length > r.remaining) throw malformed(`length ${length} overruns the parameter (${r.remaining} left)`);
  const value = r.sub(length, () => malformed('value truncated'));
  if (spec === undefined) return { kind: 'unknown', code, data: value.rest() };
  const data = copyBytes(value.buf, value.pos, value.end);
  const capability = spec.decode(value, malformed);
  if (!value.atEnd()) throw malformed(`${value.remaining} octets left over`);
  return capability ?? { kind: 'unknown', code, data };
}

export const capabilityCodec: WireCodec<Capability> = {
  encode(w, v) {
    const length = valueLength(v);
    if (length > MAX_ONE_OCTET_LENGTH) {
      throw new BgpInputError(`capability ${v.kind}`, `value of ${length} octets exceeds 255`);
    }
    if (v.kind === 'unknown') {
      w.u8(v.code);
      w.u8(length);
      w.bytes(v.data);
      return;
    }
    const spec = specFor(v);
    w.u8(spec.code);
    w.u8(length);
    spec.encode(w, v);
  },
  decode: (r) => decodeCapability(r),
  length: (v) => CAPABILITY_HEADER_LENGTH + valueLength(v),
};
