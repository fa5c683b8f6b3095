/**
 * Fuzzing for the bgp-ts-lite decoder (GoBGP FuzzParseBGPMessage, mdlayher/arp fuzz_test): random
 * messages and mutations of valid encodings (bit flips, boundary values in length fields, truncation,
 * insertion, deletion, splicing), with the header Length usually fixed up so the body parsers are reached.
 *
 * For every input the decoder must either throw a BgpWireError whose action ends the session, or return
 * a message whose warnings are all RFC 7606 non-fatal outcomes; and an accepted message must survive
 * encode -> decode unchanged (attributes in wire order). Anything else is a violation, reported with the
 * input in hex. Shared by test/unit/bgp/codec/fuzz.test.ts and bench/bgp-fuzz.ts.
 */
import fc from 'fast-check';
import { wireOrder } from '../../src/bgp/attributes/list.js';
import { decodeMessage, encodeMessage } from '../../src/bgp/codec.js';
import { BgpWireError } from '../../src/bgp/errors.js';
import type { BgpMessage, CodecContext } from '../../src/bgp/types.js';
import { arbMessage, CONTEXTS } from './bgp-arbitraries.js';

export interface FuzzInput {
  readonly bytes: Uint8Array;
  readonly ctx: CodecContext;
}

export interface FuzzStats {
  total: number;
  accepted: number;
  withWarnings: number;
  /** Thrown errors by "code/subcode action". */
  readonly errors: Map<string, number>;
  /** Warnings by "code/subcode action". */
  readonly warnings: Map<string, number>;
  readonly violations: string[];
}

export function newStats(): FuzzStats {
  return { total: 0, accepted: 0, withWarnings: 0, errors: new Map(), warnings: new Map(), violations: [] };
}

/** xorshift32: a small deterministic PRNG, so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const HEADER = 19;
const BOUNDARY = [0x00, 0x01, 0x02, 0x03, 0x04, 0x0f, 0x10, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0x81, 0xfe, 0xff];

function setLength(b: Uint8Array): Uint8Array {
  if (b.length >= HEADER) {
    b[16] = (b.length >>> 8) & 0xff;
    b[17] = b.length & 0xff;
  }
  return b;
}

/** Valid encodings to mutate: generated messages under every session shape, plus any extra seeds. */
export function buildCorpus(seed: number, perContext: number, extra: readonly FuzzInput[] = []): FuzzInput[] {
  const corpus: FuzzInput[] = [...extra];
  for (const ctx of Object.values(CONTEXTS)) {
    for (const m of fc.sample(arbMessage(ctx), { seed, numRuns: perContext })) {
      corpus.push({ bytes: encodeMessage(m, ctx), ctx });
    }
  }
  return corpus;
}

function randomMessage(next: () => number): Uint8Array {
  const bodyLength = next() % 200;
  const b = new Uint8Array(HEADER + bodyLength).fill(0xff);
  for (let i = HEADER; i < b.length; i++) b[i] = next() & 0xff;
  b[18] = next() % 8 === 0 ? next() & 0xff : 1 + (next() % 5);
  return setLength(b);
}

/** One to four mutations of a valid encoding. */
export function mutate(source: Uint8Array, next: () => number): Uint8Array {
  let b = source.slice();
  const rounds = 1 + (next() % 4);
  for (let round = 0; round < rounds; round++) {
    const at =
      b.length > HEADER && next() % 10 !== 0 ? HEADER + (next() % (b.length - HEADER)) : next() % b.length;
    switch (next() % 7) {
      case 0:
        b[at] = (b[at] as number) ^ (1 << (next() % 8));
        break;
      case 1:
        b[at] = BOUNDARY[next() % BOUNDARY.length] as number;
        break;
      case 2:
        b[at] = next() & 0xff;
        if (at + 1 < b.length) b[at + 1] = next() & 0xff;
        break;
      case 3:
        b = b.slice(0, Math.max(1, at));
        break;
      case 4: {
        const extra = Uint8Array.from({ length: 1 + (next() % 8) }, () => next() & 0xff);
        b = Uint8Array.from([...b.subarray(0, at), ...extra, ...b.subarray(at)]);
        break;
      }
      case 5:
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at + 1 + (next() % 8)))]);
        break;
      default:
        b = Uint8Array.from([...b, ...b.subarray(HEADER, HEADER + (next() % 64))]);
    }
  }
  return next() % 8 === 0 ? b : setLength(b);
}

function bump(map: Map<string, number>, e: BgpWireError): void {
  const key = `${e.code}/${e.subcode} ${e.action}`;
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Structural equality that treats Uint8Arrays by content and ignores undefined properties. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function inWireOrder(m: BgpMessage): BgpMessage | undefined {
  if (m.type !== 'update') return m;
  const codes = new Set(m.attributes.map((a) => a.kind + ('typeCode' in a ? a.typeCode : '')));
  if (codes.size !== m.attributes.length) return undefined; // e.g. two MP_UNREACH after treat-as-withdraw
  return { ...m, attributes: [...wireOrder(m.attributes)] };
}

function checkRoundTrip(m: BgpMessage, ctx: CodecContext): string | undefined {
  const expected = inWireOrder(m);
  if (expected === undefined) return undefined;
  const again = decodeMessage(encodeMessage(m, ctx), ctx);
  if (again.warnings.length > 0) return `re-decoding produced warnings: ${again.warnings[0]?.message}`;
  return sameValue(again.message, expected) ? undefined : 'encode -> decode changed the message';
}

/** Decodes one input and records the outcome; returns a violation description, if any. */
export function fuzzOne(input: FuzzInput, stats: FuzzStats): void {
  stats.total++;
  let problem: string | undefined;
  try {
    const { message, warnings } = decodeMessage(input.bytes, input.ctx);
    stats.accepted++;
    if (warnings.length > 0) stats.withWarnings++;
    for (const w of warnings) {
      bump(stats.warnings, w);
      if (
        !(w instanceof BgpWireError) ||
        (w.action !== 'treat-as-withdraw' && w.action !== 'attribute-discard')
      ) {
        problem = `warning with action ${String((w as BgpWireError).action)}`;
      }
    }
    problem ??= checkRoundTrip(message, input.ctx);
  } catch (e) {
    if (!(e instanceof BgpWireError)) {
      problem = `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    } else {
      bump(stats.errors, e);
      if (e.action !== 'session-reset' && e.action !== 'afisafi-disable')
        problem = `threw a ${e.action} error`;
    }
  }
  if (problem !== undefined && stats.violations.length < 20) {
    stats.violations.push(
      `${problem}; ctx ${JSON.stringify({ ...input.ctx, addPathReceive: [...input.ctx.addPathReceive], addPathSend: [...input.ctx.addPathSend] })}; input ${Buffer.from(input.bytes).toString('hex')}`,
    );
  }
}

/** Runs `iterations` inputs: one in eight purely random, the rest mutations of the corpus. */
export function runFuzz(
  corpus: readonly FuzzInput[],
  iterations: number,
  seed: number,
  stats = newStats(),
): FuzzStats {
  const next = prng(seed);
  const contexts = Object.values(CONTEXTS);
  for (let i = 0; i < iterations; i++) {
    if (next() % 8 === 0) {
      fuzzOne({ bytes: randomMessage(next), ctx: contexts[next() % contexts.length] as CodecContext }, stats);
    } else {
      const source = corpus[next() % corpus.length] as FuzzInput;
      fuzzOne({ bytes: mutate(source.bytes, next), ctx: source.ctx }, stats);
    }
  }
  return stats;
}
