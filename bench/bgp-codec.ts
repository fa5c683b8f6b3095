/**
 * Codec throughput for bench:bgp: encodeMessage and decodeMessage on UPDATEs with typical attributes
 * (ORIGIN, a 3-ASN AS_PATH, NEXT_HOP, MED, two communities, a large community) carrying 1 and 100 IPv4
 * prefixes, and 100 IPv6 prefixes in MP_REACH_NLRI; plus MessageFramer on a stream of such UPDATEs cut
 * into 64 KiB chunks. Reports messages/s, MB/s and prefixes/s.
 */
import { performance } from 'node:perf_hooks';
import { decodeMessage, encodeMessage } from '../src/bgp/codec.js';
import type { CodecContext, Nlri, PathAttribute, UpdateMessage } from '../src/bgp/types.js';
import { makePrefix } from '../src/bgp/nlri/prefix.js';
import { MessageFramer } from '../src/bgp/wire/framer.js';

export interface BenchResult {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly [extra: string]: unknown;
}

export interface CodecBenchOptions {
  readonly smoke: boolean;
}

const CTX: CodecContext = {
  fourOctetAs: true,
  extendedMessage: false,
  addPathReceive: new Set(),
  addPathSend: new Set(),
};
const CHUNK = 64 * 1024;

const ATTRIBUTES: PathAttribute[] = [
  { kind: 'origin', value: 0 },
  { kind: 'as-path', segments: [{ type: 2, asns: [4200000001, 65010, 65020] }] },
  { kind: 'next-hop', address: Uint8Array.of(192, 0, 2, 1) },
  { kind: 'multi-exit-disc', value: 50 },
  { kind: 'communities', values: [0xfde80064, 0xffffff01] },
  { kind: 'large-communities', values: [{ globalAdmin: 4200000001, localData1: 1, localData2: 2 }] },
];

function v4(i: number): Nlri {
  return { prefix: makePrefix(Uint8Array.of(10, (i >>> 8) & 0xff, i & 0xff, 0), 24) };
}

function v6(i: number): Nlri {
  return {
    prefix: makePrefix(
      Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, (i >>> 8) & 0xff, i & 0xff, ...new Array<number>(10).fill(0)),
      48,
    ),
  };
}

function workloads(): Array<{ name: string; message: UpdateMessage; prefixes: number }> {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const mpReach: PathAttribute = {
    kind: 'mp-reach-nlri',
    afi: 2,
    safi: 1,
    nextHops: [Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1)],
    nlri: range(100).map(v6),
  };
  const noNextHop = ATTRIBUTES.filter((a) => a.kind !== 'next-hop');
  return [
    {
      name: 'update_1_prefix',
      message: { type: 'update', withdrawn: [], attributes: ATTRIBUTES, nlri: [v4(1)] },
      prefixes: 1,
    },
    {
      name: 'update_100_prefixes',
      message: { type: 'update', withdrawn: [], attributes: ATTRIBUTES, nlri: range(100).map(v4) },
      prefixes: 100,
    },
    {
      name: 'update_100_ipv6_prefixes',
      message: { type: 'update', withdrawn: [], attributes: [mpReach, ...noNextHop], nlri: [] },
      prefixes: 100,
    },
  ];
}

/** Runs `f` `n` times after a warm-up of n/10 and returns the elapsed milliseconds. */
function timed(n: number, f: () => void): number {
  for (let i = 0; i < Math.max(1, n / 10); i++) f();
  const start = performance.now();
  for (let i = 0; i < n; i++) f();
  return performance.now() - start;
}

function rates(
  op: string,
  name: string,
  n: number,
  ms: number,
  octets: number,
  prefixes: number,
): BenchResult[] {
  const perSecond = (count: number) => Math.round((count / ms) * 1000);
  const common = { bench: 'bgp', op, workload: name, messages: n, octets_per_message: octets };
  return [
    { ...common, metric: `${op}_${name}_msgs_per_s`, value: perSecond(n), unit: 'msg/s' },
    {
      ...common,
      metric: `${op}_${name}_mb_per_s`,
      value: Math.round(((n * octets) / 1e6 / ms) * 1000 * 10) / 10,
      unit: 'MB/s',
    },
    { ...common, metric: `${op}_${name}_prefixes_per_s`, value: perSecond(n * prefixes), unit: 'prefix/s' },
  ];
}

function framerRates(name: string, bytes: Uint8Array, n: number, prefixes: number): BenchResult[] {
  const stream = new Uint8Array(bytes.length * n);
  for (let i = 0; i < n; i++) stream.set(bytes, i * bytes.length);
  let count = 0;
  const ms = timed(1, () => {
    const framer = new MessageFramer();
    for (let at = 0; at < stream.length; at += CHUNK)
      count += framer.push(stream.subarray(at, at + CHUNK)).length;
  });
  if (count !== n * 2) throw new Error(`framer returned ${count} messages, expected ${n * 2}`);
  return rates('frame', name, n, ms, bytes.length, prefixes);
}

export function codecBenchmarks(opts: CodecBenchOptions): BenchResult[] {
  const results: BenchResult[] = [];
  for (const w of workloads()) {
    const n = (w.prefixes === 1 ? 200_000 : 20_000) / (opts.smoke ? 40 : 1);
    const bytes = encodeMessage(w.message, CTX);
    let sink = 0;
    const encodeMs = timed(n, () => {
      sink += encodeMessage(w.message, CTX).length;
    });
    const decodeMs = timed(n, () => {
      sink += decodeMessage(bytes, CTX).warnings.length;
    });
    if (sink === 0) throw new Error('benchmark produced nothing');
    results.push(...rates('encode', w.name, n, encodeMs, bytes.length, w.prefixes));
    results.push(...rates('decode', w.name, n, decodeMs, bytes.length, w.prefixes));
    results.push(...framerRates(w.name, bytes, n, w.prefixes));
  }
  return results;
}
