/**
 * Kubernetes metav1.Duration values: the text form of Go's time.ParseDuration ("90s", "1m30s", "1.5h",
 * "500ms", "0"). Returns milliseconds (possibly fractional for sub-millisecond units), or a reason.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  '\u00b5s': 1e-3, // micro sign, accepted by Go
  '\u03bcs': 1e-3, // Greek mu, accepted by Go
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go durations are int64 nanoseconds. */
const MAX_DURATION_MS = 9_223_372_036_854.775;
const TERM = /^(\d+\.?\d*|\.\d+)([a-zµμ]+)/;

export type DurationParse = { ok: true; ms: number } | { ok: false; reason: string };

export function parseDuration(text: string): DurationParse {
  const bad = (why: string): DurationParse => ({ ok: false, reason: `"${text}" is not a duration: ${why}` });
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, ms: 0 };
  if (rest === '') return bad('expected a number and a unit, such as "90s" or "1m30s"');
  let total = 0;
  while (rest !== '') {
    const m = TERM.exec(rest);
    if (!m) return bad('expected a number and a unit, such as "90s" or "1m30s"');
    const unit = UNIT_MS[m[2]!];
    if (unit === undefined) return bad(`unknown unit "${m[2]}" (use ns, us, ms, s, m or h)`);
    total += Number(m[1]) * unit;
    rest = rest.slice(m[0].length);
  }
  if (total > MAX_DURATION_MS) return bad('out of range');
  return { ok: true, ms: sign * total };
}

/** Formats milliseconds the way Go prints common durations ("90s", "1.5s", "250ms"), for messages. */
export function formatMs(ms: number): string {
  if (ms !== 0 && Math.abs(ms) < 1000) return `${ms}ms`;
  return `${ms / 1000}s`;
}
