/**
 * UPDATE (RFC 4271 §4.3): Withdrawn Routes, Path Attributes, NLRI, with the error handling of
 * RFC 4271 §6.3 as revised by RFC 7606:
 * - field lengths that do not fit the message: Malformed Attribute List, session reset;
 * - a syntax error in Withdrawn Routes or NLRI: Invalid Network Field, session reset (§5.3);
 * - attribute errors (attributes/*): the strongest action wins (§3(e)); treat-as-withdraw turns every
 *   announced route (NLRI field and MP_REACH_NLRI) into a withdrawal, attribute discard drops the
 *   attribute; both are reported as warnings;
 * - when NLRI are present, a missing ORIGIN or AS_PATH (and NEXT_HOP for the NLRI field) is
 *   treat-as-withdraw (§3(d)), as is an invalid NEXT_HOP (§7.3);
 * - treat-as-withdraw with no announced route to withdraw is a session reset (§5.2).
 */
import { Afi, AttrType, MessageType, Safi, UPDATE_LENGTH_FIELD_LENGTH, UpdateSubcode } from '../constants.js';
import { pathAttributeCodec, strongest } from '../attributes/attribute.js';
import { attributeListLength, decodeAttributeList, encodeAttributeList } from '../attributes/list.js';
import { isValidIPv4NextHop } from '../attributes/next-hop-check.js';
import type { BgpWireError } from '../errors.js';
import { addPathOnReceive, addPathOnSend } from '../nlri/family.js';
import { decodeNlriList, encodeNlriList, nlriListLength } from '../nlri/nlri.js';
import type { AfiValue } from '../constants.js';
import type { CodecContext, Nlri, PathAttribute, UpdateMessage } from '../types.js';
import { type DecodeContext, encodeToBytes } from '../wire/codec.js';
import { EMPTY_DATA, updateError } from '../wire/notify.js';
import type { Reader } from '../wire/reader.js';
import type { BodyCodec } from './body.js';

const malformedList = (reason: string) =>
  updateError(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, 'session-reset', EMPTY_DATA, reason);

const invalidNetwork = (field: string) => (reason: string) =>
  updateError(UpdateSubcode.INVALID_NETWORK_FIELD, 'session-reset', EMPTY_DATA, `${field}: ${reason}`);
const INVALID_WITHDRAWN_ROUTES = invalidNetwork('Withdrawn Routes');
const INVALID_NLRI = invalidNetwork('NLRI');

/** RFC 4271 §5: well-known mandatory attributes when the UPDATE announces routes. */
const MANDATORY_WITH_NLRI_FIELD = [AttrType.ORIGIN, AttrType.AS_PATH, AttrType.NEXT_HOP];
/** RFC 4760 §3: NEXT_HOP is not needed when the routes are only in MP_REACH_NLRI. */
const MANDATORY_WITH_MP_REACH_ONLY = [AttrType.ORIGIN, AttrType.AS_PATH];

/** RFC 7606 §3(d) and §7.3: what is missing or wrong when the UPDATE announces routes. */
function announcementErrors(
  attributes: readonly PathAttribute[],
  seen: ReadonlySet<number>,
  hasNlriField: boolean,
  ctx: CodecContext,
): BgpWireError[] {
  const errors: BgpWireError[] = [];
  for (const code of hasNlriField ? MANDATORY_WITH_NLRI_FIELD : MANDATORY_WITH_MP_REACH_ONLY) {
    if (!seen.has(code)) {
      errors.push(
        updateError(
          UpdateSubcode.MISSING_WELL_KNOWN_ATTRIBUTE,
          'treat-as-withdraw',
          Uint8Array.of(code),
          `missing well-known attribute ${code}`,
        ),
      );
    }
  }
  const nextHop = hasNlriField ? attributes.find((a) => a.kind === 'next-hop') : undefined;
  if (nextHop?.kind === 'next-hop' && !isValidIPv4NextHop(nextHop.address)) {
    errors.push(
      updateError(
        UpdateSubcode.INVALID_NEXT_HOP_ATTRIBUTE,
        'treat-as-withdraw',
        encodeToBytes(pathAttributeCodec, nextHop, ctx),
        'NEXT_HOP is not a valid host address',
      ),
    );
  }
  return errors;
}

/** RFC 7606 §2 treat-as-withdraw: every route the UPDATE announces becomes a withdrawal. */
export function asWithdrawal(
  withdrawn: readonly Nlri[],
  attributes: readonly PathAttribute[],
  nlri: readonly Nlri[],
): UpdateMessage {
  const unreach = new Map<string, { afi: AfiValue; safi: number; withdrawn: Nlri[] }>();
  const add = (afi: AfiValue, safi: number, list: readonly Nlri[]) => {
    const key = `${afi}/${safi}`;
    const entry = unreach.get(key) ?? { afi, safi, withdrawn: [] };
    entry.withdrawn.push(...list);
    unreach.set(key, entry);
  };
  for (const a of attributes) {
    if (a.kind === 'mp-unreach-nlri') add(a.afi, a.safi, a.withdrawn);
    else if (a.kind === 'mp-reach-nlri') add(a.afi, a.safi, a.nlri);
  }
  return {
    type: 'update',
    withdrawn: [...withdrawn, ...nlri],
    attributes: [...unreach.values()].map((u) => ({ kind: 'mp-unreach-nlri', ...u })),
    nlri: [],
  };
}

function decodeUpdate(r: Reader, ctx: DecodeContext): UpdateMessage {
  const addPath = addPathOnReceive(ctx, Afi.IPV4, Safi.UNICAST);
  const withdrawnLength = r.u16();
  if (withdrawnLength + UPDATE_LENGTH_FIELD_LENGTH > r.remaining) {
    throw malformedList(`Withdrawn Routes Length ${withdrawnLength} overruns the message`);
  }
  const withdrawn = decodeNlriList(r.sub(withdrawnLength), Afi.IPV4, addPath, INVALID_WITHDRAWN_ROUTES);
  const attributesLength = r.u16();
  if (attributesLength > r.remaining) {
    throw malformedList(`Total Path Attribute Length ${attributesLength} overruns the message`);
  }
  const list = decodeAttributeList(r.sub(attributesLength), ctx);
  const nlri = decodeNlriList(r, Afi.IPV4, addPath, INVALID_NLRI);

  const hasMpReach = list.attributes.some((a) => a.kind === 'mp-reach-nlri');
  const announces = nlri.length > 0 || hasMpReach;
  const errors = announces
    ? [...list.errors, ...announcementErrors(list.attributes, list.seen, nlri.length > 0, ctx)]
    : list.errors;
  const worst = strongest(errors);
  if (worst === undefined) return { type: 'update', withdrawn, attributes: list.attributes, nlri };
  if (worst.action === 'afisafi-disable' || worst.action === 'session-reset') throw worst;
  if (worst.action === 'treat-as-withdraw' && !announces) {
    throw malformedList(`treat-as-withdraw with no NLRI to withdraw (RFC 7606 §5.2): ${worst.message}`);
  }
  ctx.warnings.push(...errors);
  if (worst.action === 'treat-as-withdraw') return asWithdrawal(withdrawn, list.attributes, nlri);
  return { type: 'update', withdrawn, attributes: list.attributes, nlri };
}

export const updateBody: BodyCodec<'update'> = {
  code: MessageType.UPDATE,
  type: 'update',
  decode: (r, ctx) => decodeUpdate(r, ctx),
  encode(w, m, ctx) {
    const addPath = addPathOnSend(ctx, Afi.IPV4, Safi.UNICAST);
    w.beginLength(2);
    encodeNlriList(w, m.withdrawn, Afi.IPV4, addPath);
    w.endLength();
    w.beginLength(2);
    encodeAttributeList(w, m.attributes, ctx);
    w.endLength();
    encodeNlriList(w, m.nlri, Afi.IPV4, addPath);
  },
  length(m, ctx) {
    const addPath = addPathOnSend(ctx, Afi.IPV4, Safi.UNICAST);
    return (
      2 * UPDATE_LENGTH_FIELD_LENGTH +
      nlriListLength(m.withdrawn, addPath) +
      attributeListLength(m.attributes, ctx) +
      nlriListLength(m.nlri, addPath)
    );
  },
};
