/**
 * bench:bgp — bgp-ts-lite performance. Sections run in order and each prints one JSON object per line:
 * `codec` (bench/bgp-codec.ts: encode/decode/framing throughput), `announce` (bench/bgp-announce.ts: 100k
 * prefixes to BIRD from bgp-ts-lite and from gobgpd, in network namespaces; root). Further sections are
 * added to SECTIONS. Flags: --smoke (small sizes), --only NAME.
 */
import { announceBenchmarks } from './bgp-announce.js';
import { codecBenchmarks, type BenchResult } from './bgp-codec.js';

export interface SectionOptions {
  readonly smoke: boolean;
}

type Section = (opts: SectionOptions) => BenchResult[] | Promise<BenchResult[]>;

const SECTIONS: ReadonlyArray<{ name: string; run: Section }> = [
  { name: 'codec', run: codecBenchmarks },
  { name: 'announce', run: announceBenchmarks },
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const only = arg('--only');
  for (const section of SECTIONS) {
    if (only !== undefined && section.name !== only) continue;
    for (const result of await section.run({ smoke }))
      console.log(JSON.stringify({ ...result, section: section.name, smoke }));
  }
}

await main();
