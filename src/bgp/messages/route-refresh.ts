/**
 * ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §3): <AFI 2, Message Subtype 1, SAFI 1>. RFC 7313 §5: a
 * BoRR/EoRR (subtype 1/2) whose body is not 4 octets is ROUTE-REFRESH Message Error / Invalid Message
 * Length with the whole message as data; any other wrong length is Bad Message Length. Unknown subtypes
 * and families are decoded as they are: the receiver must ignore them (RFC 7313 §5, RFC 2918 §4).
 */
import {
  MessageType,
  ROUTE_REFRESH_BODY_LENGTH,
  RouteRefreshSubcode,
  RouteRefreshSubtype,
  HeaderSubcode,
} from '../constants.js';
import { headerError, routeRefreshError, u16Data } from '../wire/notify.js';
import { copyBytes } from '../wire/reader.js';
import type { BodyCodec } from './body.js';

export const routeRefreshBody: BodyCodec<'route-refresh'> = {
  code: MessageType.ROUTE_REFRESH,
  type: 'route-refresh',
  decode(r, _ctx, header) {
    const bodyLength = r.remaining;
    const afi = r.u16();
    const subtype = r.u8();
    const safi = r.u8();
    if (bodyLength !== ROUTE_REFRESH_BODY_LENGTH) {
      if (subtype === RouteRefreshSubtype.BEGIN_OF_RIB || subtype === RouteRefreshSubtype.END_OF_RIB) {
        throw routeRefreshError(
          RouteRefreshSubcode.INVALID_MESSAGE_LENGTH,
          copyBytes(r.buf, header.start, header.start + header.length),
          `ROUTE-REFRESH subtype ${subtype} with a ${bodyLength}-octet body`,
        );
      }
      throw headerError(
        HeaderSubcode.BAD_MESSAGE_LENGTH,
        u16Data(header.length),
        `ROUTE-REFRESH length ${header.length}, expected 23`,
      );
    }
    return { type: 'route-refresh', afi, subtype, safi };
  },
  encode(w, m) {
    w.u16(m.afi);
    w.u8(m.subtype);
    w.u8(m.safi);
  },
  length: () => ROUTE_REFRESH_BODY_LENGTH,
};
