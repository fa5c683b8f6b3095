/**
 * Split-brain resolution, pure. When this node owns an address and sees another MAC claim it (ARP reply,
 * gratuitous ARP or NA: the announcer's `conflict` event), the two claimants rank the address with every
 * eligible node counted as live (what each side would compute with a healed membership), and the
 * lower-ranked one yields: it stops answering until the winner is live again in membership (the normal
 * election then decides), the winner's Node is no longer Ready, or the winner stops announcing (its
 * ServiceL2Status disappears). The claimant is identified by MAC through the `herald.io/announcing-macs`
 * annotation every speaker puts on its ServiceL2Status objects; an unknown MAC (not a Herald speaker, or
 * its status not yet written) never makes this node yield. See docs/layer2.md "Split brain".
 */
import { rankCandidates, type ElectionInput } from '../core/election/index.js';

export type ConflictDecision =
  | { readonly action: 'yield'; readonly winner: string }
  | {
      readonly action: 'keep';
      readonly reason: 'claimant-ranks-lower' | 'claimant-not-candidate' | 'unknown-claimant';
      readonly claimant: string | undefined;
    };

export interface ConflictInput {
  readonly myNode: string;
  /** The claimant node from the MAC, if some speaker published that MAC. */
  readonly claimant: string | undefined;
  /** The election input for the address with every node marked live. */
  readonly election: ElectionInput;
}

export function decideConflict(input: ConflictInput): ConflictDecision {
  const { claimant } = input;
  if (claimant === undefined || claimant === input.myNode) {
    return { action: 'keep', reason: 'unknown-claimant', claimant };
  }
  const ranking = rankCandidates(input.election);
  if ('skip' in ranking) return { action: 'keep', reason: 'claimant-not-candidate', claimant };
  const names = ranking.candidates.map((c) => c.name);
  const theirs = names.indexOf(claimant);
  const mine = names.indexOf(input.myNode);
  if (theirs === -1) return { action: 'keep', reason: 'claimant-not-candidate', claimant };
  if (mine === -1 || theirs < mine) return { action: 'yield', winner: claimant };
  return { action: 'keep', reason: 'claimant-ranks-lower', claimant };
}

export interface YieldContext {
  /** Live speakers from membership (undefined: membership disabled). */
  readonly live: ReadonlySet<string> | undefined;
  readonly readyNodes: ReadonlySet<string>;
  /** Node → IPs it announces according to its ServiceL2Status objects. */
  readonly announcedBy: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The yields that still hold (IP → winner); the others are dropped so the election decides again. */
export function activeYields(yields: ReadonlyMap<string, string>, ctx: YieldContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const [ip, winner] of yields) {
    const healed = ctx.live?.has(winner) ?? true;
    const stillAnnouncing = ctx.announcedBy.get(winner)?.has(ip) ?? false;
    if (!healed && ctx.readyNodes.has(winner) && stillAnnouncing) out.set(ip, winner);
  }
  return out;
}

/** Parses `eth0=aa:bb:cc:dd:ee:ff,eth1=...` into MACs (lower case); malformed entries are skipped. */
export function parseAnnouncingMacs(text: string | undefined): string[] {
  if (text === undefined) return [];
  const macs: string[] = [];
  for (const part of text.split(',')) {
    const mac = part
      .slice(part.lastIndexOf('=') + 1)
      .trim()
      .toLowerCase();
    if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/u.test(mac)) macs.push(mac);
  }
  return macs;
}

export function formatAnnouncingMacs(interfaces: readonly { name: string; mac: string }[]): string {
  return interfaces.map((i) => `${i.name}=${i.mac.toLowerCase()}`).join(',');
}
