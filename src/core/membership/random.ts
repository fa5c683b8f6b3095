/**
 * A small deterministic PRNG (mulberry32) whose whole state is one uint32, so the membership reducer
 * stays pure: the state carries the seed and every draw returns the next one.
 */

const GOLDEN_GAMMA = 0x6d2b79f5;

/** Returns a float in [0, 1) and the next seed. */
export function nextRandom(seed: number): { value: number; seed: number } {
  const next = (seed + GOLDEN_GAMMA) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000, seed: next };
}

/** A Fisher-Yates shuffle of a copy of `items`, with the next seed. */
export function shuffled<T>(items: readonly T[], seed: number): { items: T[]; seed: number } {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    const r = nextRandom(s);
    s = r.seed;
    const j = Math.floor(r.value * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return { items: out, seed: s };
}

/** Up to `k` distinct random picks from `items`, with the next seed. */
export function sample<T>(items: readonly T[], k: number, seed: number): { items: T[]; seed: number } {
  if (items.length <= k) return shuffled(items, seed);
  const picked = new Set<number>();
  let s = seed;
  while (picked.size < k) {
    const r = nextRandom(s);
    s = r.seed;
    picked.add(Math.floor(r.value * items.length));
  }
  return { items: [...picked].map((i) => items[i]!), seed: s };
}
