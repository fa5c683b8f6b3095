/**
 * bench:failover command line (pure): --smoke, --trials N, --targets a,b, --tuned-flags "...".
 */
import { TUNED_SPEAKER_ARGS } from '../../src/lab/main.js';

/**
 * Speaker flags of the Herald targets: the defaults (probe 200 ms, timeouts 50/100 ms, suspicion 300 ms)
 * and the lab's "tuned" profile (src/lab/main.ts, shared with `npm run lab -- --tuned`).
 */
export const HERALD_DEFAULT_FLAGS: readonly string[] = [];
export const HERALD_TUNED_FLAGS: readonly string[] = TUNED_SPEAKER_ARGS;

export const ALL_TARGETS = ['keepalived-1s', 'keepalived-0.1s', 'herald-default', 'herald-tuned'] as const;
export type TargetName = (typeof ALL_TARGETS)[number];

export interface Options {
  smoke: boolean;
  trials: number;
  targets: TargetName[];
  tunedFlags: string[];
}

function flagValue(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

export function parseOptions(argv: readonly string[]): Options {
  const smoke = argv.includes('--smoke');
  const trialsText = flagValue(argv, '--trials');
  const trials = trialsText === undefined ? (smoke ? 2 : 20) : Number(trialsText);
  if (!Number.isInteger(trials) || trials < 1 || trials > 1_000) {
    throw new RangeError(`--trials must be an integer in 1..1000, got ${String(trialsText)}`);
  }
  const targetsText = flagValue(argv, '--targets');
  const targets = (targetsText?.split(',') ?? [...ALL_TARGETS]).map((t) => t.trim());
  for (const t of targets) {
    if (!(ALL_TARGETS as readonly string[]).includes(t)) {
      throw new RangeError(`--targets: unknown target '${t}' (known: ${ALL_TARGETS.join(', ')})`);
    }
  }
  const tunedText = flagValue(argv, '--tuned-flags');
  const tunedFlags =
    tunedText === undefined ? [...HERALD_TUNED_FLAGS] : tunedText.split(/\s+/).filter(Boolean);
  return { smoke, trials, targets: targets as TargetName[], tunedFlags };
}
