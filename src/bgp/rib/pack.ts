/**
 * Packing of routes into UPDATE messages: prefixes that share attributes go into as few UPDATEs as fit in
 * the session's maximum message length (4096, or 65535 with RFC 8654). IPv4 uses the classic Withdrawn
 * Routes and NLRI fields (RFC 4271 §4.3); IPv6 uses MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760). Sizes are
 * the codec's length of the fixed part plus the NLRI arithmetic, so no message is encoded twice.
 */
import { Afi, MessageType, Safi, type AfiValue } from '../constants.js';
import { maxMessageLength } from '../messages/header.js';
import { messageLength } from '../messages/message.js';
import { nlriLength } from '../nlri/nlri.js';
import type { Nlri, Prefix, UpdateMessage } from '../types.js';
import { exportAttributes, type ExportContext } from './export.js';
import type { RouteAttributes } from './route.js';

/** Room for an attribute header switching to Extended Length as its NLRI grow past 255 octets. */
const EXTENDED_LENGTH_SLACK = 1;

export interface Packed {
  readonly updates: UpdateMessage[];
  /** Prefixes whose attributes alone leave no room in a message (e.g. thousands of communities). */
  readonly oversized: Prefix[];
}

/** The largest UPDATE the session may send: 4096 octets, or 65535 after RFC 8654 negotiation. */
export function updateMaxLength(ctx: ExportContext): number {
  return maxMessageLength(MessageType.UPDATE, ctx.codec);
}

function toNlri(prefixes: readonly Prefix[]): Nlri[] {
  return prefixes.map((prefix) => ({ prefix }));
}

/** Splits `prefixes` into runs whose NLRI fit next to a `base`-octet message of at most `max` octets. */
export function chunkPrefixes(prefixes: readonly Prefix[], base: number, max: number): Prefix[][] {
  const chunks: Prefix[][] = [];
  let current: Prefix[] = [];
  let size = base;
  for (const prefix of prefixes) {
    const length = nlriLength({ prefix }, false);
    if (current.length > 0 && size + length > max) {
      chunks.push(current);
      current = [];
      size = base;
    }
    current.push(prefix);
    size += length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function announceMessage(
  ctx: ExportContext,
  afi: AfiValue,
  nextHop: Uint8Array,
  attributes: RouteAttributes | undefined,
  prefixes: readonly Prefix[],
): UpdateMessage {
  const nlri = toNlri(prefixes);
  const attrs = exportAttributes(ctx, afi, nextHop, attributes, afi === Afi.IPV6 ? nlri : []);
  return { type: 'update', withdrawn: [], attributes: attrs, nlri: afi === Afi.IPV4 ? nlri : [] };
}

/** UPDATEs announcing `prefixes` (one family, one attribute set). */
export function packAnnouncements(
  ctx: ExportContext,
  afi: AfiValue,
  nextHop: Uint8Array,
  attributes: RouteAttributes | undefined,
  prefixes: readonly Prefix[],
): Packed {
  const slack = afi === Afi.IPV6 ? EXTENDED_LENGTH_SLACK : 0;
  const base = messageLength(announceMessage(ctx, afi, nextHop, attributes, []), ctx.codec) + slack;
  const max = updateMaxLength(ctx);
  const chunks = chunkPrefixes(prefixes, base, max);
  const updates: UpdateMessage[] = [];
  const oversized: Prefix[] = [];
  for (const chunk of chunks) {
    const single = chunk.length === 1 && base + nlriLength({ prefix: chunk[0] as Prefix }, false) > max;
    if (single) oversized.push(...chunk);
    else updates.push(announceMessage(ctx, afi, nextHop, attributes, chunk));
  }
  return { updates, oversized };
}

function withdrawMessage(afi: AfiValue, prefixes: readonly Prefix[]): UpdateMessage {
  const nlri = toNlri(prefixes);
  if (afi === Afi.IPV4) return { type: 'update', withdrawn: nlri, attributes: [], nlri: [] };
  return {
    type: 'update',
    withdrawn: [],
    attributes: [{ kind: 'mp-unreach-nlri', afi, safi: Safi.UNICAST, withdrawn: nlri }],
    nlri: [],
  };
}

/** UPDATEs withdrawing `prefixes` (one family). */
export function packWithdrawals(
  ctx: ExportContext,
  afi: AfiValue,
  prefixes: readonly Prefix[],
): UpdateMessage[] {
  if (prefixes.length === 0) return [];
  const slack = afi === Afi.IPV6 ? EXTENDED_LENGTH_SLACK : 0;
  const base = messageLength(withdrawMessage(afi, []), ctx.codec) + slack;
  return chunkPrefixes(prefixes, base, updateMaxLength(ctx)).map((chunk) => withdrawMessage(afi, chunk));
}
