/**
 * Capabilities that carry no value: Route Refresh (RFC 2918 §2), Enhanced Route Refresh (RFC 7313 §3.1)
 * and Extended Message (RFC 8654 §3). A non-zero length is malformed.
 */
import { CapabilityCode, CapabilityLength } from '../constants.js';
import type { Reader } from '../wire/reader.js';
import { type CapabilityOf, type CapabilitySpec, expectLength, type Malformed } from './spec.js';

type EmptyKind = 'route-refresh' | 'enhanced-route-refresh' | 'extended-message';

function emptyCapability<K extends EmptyKind>(code: number, kind: K, name: string): CapabilitySpec<K> {
  return {
    code,
    kind,
    name,
    decode(r: Reader, malformed: Malformed) {
      expectLength(r, malformed, CapabilityLength.EMPTY);
      return { kind } as CapabilityOf<K>;
    },
    encode() {},
    length: () => CapabilityLength.EMPTY,
  };
}

export const routeRefreshCapability = emptyCapability(
  CapabilityCode.ROUTE_REFRESH,
  'route-refresh',
  'Route Refresh',
);
export const enhancedRouteRefreshCapability = emptyCapability(
  CapabilityCode.ENHANCED_ROUTE_REFRESH,
  'enhanced-route-refresh',
  'Enhanced Route Refresh',
);
export const extendedMessageCapability = emptyCapability(
  CapabilityCode.EXTENDED_MESSAGE,
  'extended-message',
  'Extended Message',
);
