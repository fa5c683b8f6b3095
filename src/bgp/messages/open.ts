/**
 * OPEN (RFC 4271 §4.2): Version, My Autonomous System, Hold Time, BGP Identifier, Optional Parameters,
 * with the RFC 9072 extended parameter length when they exceed 255 octets. Syntax only; the checks that
 * need the session's configuration are in validate-open.ts.
 *
 * Errors: Version other than 4 is Unsupported Version Number with the supported version (2 octets) as
 * data; an Opt Parm Len that disagrees with the message Length is Bad Message Length (as BIRD); a
 * parameter overrunning the field is OPEN Message Error / Unspecific; a parameter type other than
 * Capabilities (2) is Unsupported Optional Parameter. Capabilities are all sent in one parameter.
 */
import {
  BGP_VERSION,
  EXTENDED_OPTIONAL_PARAMETER_HEADER_LENGTH,
  EXTENDED_OPTIONAL_PARAMETERS_MARKER,
  HeaderSubcode,
  MAX_ONE_OCTET_LENGTH,
  MessageType,
  OPEN_FIXED_LENGTH,
  OPTIONAL_PARAMETER_HEADER_LENGTH,
  OpenSubcode,
  OptionalParameterType,
} from '../constants.js';
import { capabilityCodec } from '../capabilities/registry.js';
import type { Capability, CodecContext, OpenMessage } from '../types.js';
import { type DecodeContext, sumOf } from '../wire/codec.js';
import { headerError, openError, u16Data } from '../wire/notify.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import type { BodyCodec } from './body.js';
import type { MessageHeader } from './header.js';

/** RFC 9072 §2: Non-Ext OP Type (1) + Extended Opt. Parm. Length (2) after the Non-Ext OP Len octet. */
const EXTENDED_PARAMETERS_PREFIX_LENGTH = 3;

function decodeParameters(r: Reader, extended: boolean, ctx: DecodeContext): Capability[] {
  const capabilities: Capability[] = [];
  const headerLength = extended
    ? EXTENDED_OPTIONAL_PARAMETER_HEADER_LENGTH
    : OPTIONAL_PARAMETER_HEADER_LENGTH;
  while (!r.atEnd()) {
    if (r.remaining < headerLength) {
      throw openError(OpenSubcode.UNSPECIFIC, `optional parameter header truncated (${r.remaining} octets)`);
    }
    const type = r.u8();
    const length = extended ? r.u16() : r.u8();
    if (length > r.remaining) {
      throw openError(
        OpenSubcode.UNSPECIFIC,
        `optional parameter length ${length} overruns (${r.remaining} left)`,
      );
    }
    const value = r.sub(length);
    if (type !== OptionalParameterType.CAPABILITIES) {
      throw openError(OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER, `optional parameter type ${type}`);
    }
    while (!value.atEnd()) capabilities.push(capabilityCodec.decode(value, ctx));
  }
  return capabilities;
}

function decodeOpen(r: Reader, header: MessageHeader, ctx: DecodeContext): OpenMessage {
  const version = r.u8();
  if (version !== BGP_VERSION) {
    throw openError(OpenSubcode.UNSUPPORTED_VERSION_NUMBER, `version ${version}`, u16Data(BGP_VERSION));
  }
  const myAs = r.u16();
  const holdTime = r.u16();
  const bgpId = r.u32();
  let paramsLength = r.u8();
  let extended = false;
  if (
    paramsLength === EXTENDED_OPTIONAL_PARAMETERS_MARKER &&
    r.remaining >= EXTENDED_PARAMETERS_PREFIX_LENGTH &&
    r.buf[r.pos] === OptionalParameterType.EXTENDED_LENGTH
  ) {
    r.skip(1);
    paramsLength = r.u16();
    extended = true;
  }
  if (paramsLength !== r.remaining) {
    throw headerError(
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      u16Data(header.length),
      `OPEN optional parameters length ${paramsLength} disagrees with the ${r.remaining} octets present`,
    );
  }
  const capabilities = decodeParameters(r, extended, ctx);
  return { type: 'open', version, myAs, holdTime, bgpId, capabilities };
}

function capabilitiesLength(m: OpenMessage, ctx: CodecContext): number {
  return sumOf(m.capabilities, (c) => capabilityCodec.length(c, ctx));
}

/** RFC 9072: extended parameters only when one standard parameter cannot hold the capabilities. */
function usesExtendedParameters(capsLength: number): boolean {
  return capsLength + OPTIONAL_PARAMETER_HEADER_LENGTH > MAX_ONE_OCTET_LENGTH;
}

function parametersLength(m: OpenMessage, ctx: CodecContext): number {
  const caps = capabilitiesLength(m, ctx);
  if (m.capabilities.length === 0) return 0;
  if (usesExtendedParameters(caps)) {
    return EXTENDED_PARAMETERS_PREFIX_LENGTH + EXTENDED_OPTIONAL_PARAMETER_HEADER_LENGTH + caps;
  }
  return OPTIONAL_PARAMETER_HEADER_LENGTH + caps;
}

export const openBody: BodyCodec<'open'> = {
  code: MessageType.OPEN,
  type: 'open',
  decode: (r, ctx, header) => decodeOpen(r, header, ctx),
  encode(w: Writer, m, ctx) {
    w.u8(m.version);
    w.u16(m.myAs);
    w.u16(m.holdTime);
    w.u32(m.bgpId);
    if (m.capabilities.length === 0) {
      w.u8(0);
      return;
    }
    const extended = usesExtendedParameters(capabilitiesLength(m, ctx));
    if (extended) {
      w.u8(EXTENDED_OPTIONAL_PARAMETERS_MARKER);
      w.u8(OptionalParameterType.EXTENDED_LENGTH);
    }
    w.beginLength(extended ? 2 : 1);
    w.u8(OptionalParameterType.CAPABILITIES);
    w.beginLength(extended ? 2 : 1);
    for (const c of m.capabilities) capabilityCodec.encode(w, c, ctx);
    w.endLength();
    w.endLength();
  },
  length: (m, ctx) => OPEN_FIXED_LENGTH + parametersLength(m, ctx),
};
