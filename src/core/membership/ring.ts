/**
 * The shared probe ring. Every member orders the roster the same way (by FNV-1a of the name, so
 * neighbours in the ring are unrelated in name and, usually, in rack), and in protocol period p the
 * member at ring position i probes position i + 1 + (p mod (R - 1)). Because the offset is the same
 * for everyone, each period is a permutation: every member is probed by exactly one other member, and
 * the prober rotates each period. This bounds the time to the first probe of a dead member by one
 * period (SWIM's random round robin only bounds it in expectation). Periods come from the clock
 * (p = floor((now - phase) / T)) so members agree on p without talking; `phase` staggers members.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of the UTF-16 code units of a string (names are ASCII in practice). */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** The ring order of a roster (self included). Ties on the hash fall back to the name. */
export function buildRing(names: Iterable<string>): string[] {
  const keyed = [...new Set(names)].map((name) => ({ name, h: fnv1a32(name) }));
  keyed.sort((a, b) => a.h - b.h || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return keyed.map((k) => k.name);
}

/** The member `self` probes in `period`, or undefined when the ring has no one else. */
export function ringTarget(ring: readonly string[], selfIndex: number, period: number): string | undefined {
  const size = ring.length;
  if (size < 2 || selfIndex < 0) return undefined;
  const offset = 1 + (((period % (size - 1)) + (size - 1)) % (size - 1));
  return ring[(selfIndex + offset) % size];
}

/** A member's probe phase within the period, from its name. */
export function probePhase(self: string, intervalMs: number): number {
  return fnv1a32(self) % Math.max(1, Math.floor(intervalMs));
}
