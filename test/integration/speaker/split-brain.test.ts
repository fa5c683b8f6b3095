// Split brain end to end (issue #4 §6): a two-node lab cluster (src/lab) where membership traffic
// (UDP 7946) of the owner node is dropped by nftables while the Layer 2 segment still works. The other
// speaker declares the owner dead and starts announcing; both now claim the VIP, see each other's frames,
// and the lower-ranked one must yield (log, l2Conflict event, conflicts metric) so that the client sees
// exactly one MAC again. When the rule is removed, membership heals and the original owner keeps the
// VIP. Namespace prefix hspl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type LabCluster } from '../../../src/lab/cluster.js';
import {
  arping,
  diagnostics,
  logMark,
  logSince,
  metricSum,
  metricsText,
  nodeMacs,
  ranking,
  serviceEvents,
  skipReason,
  statusNodes,
  steadyArpingOwner,
  waitOrExplain,
} from './helpers.js';

const skip = skipReason('the split-brain end-to-end tests');
const SVC_NS = 'lab';
const SVC = 'web';
const TABLE = 'hblock';
const BLOCK = [
  `add table inet ${TABLE}`,
  `add chain inet ${TABLE} in { type filter hook input priority 0; }`,
  `add chain inet ${TABLE} out { type filter hook output priority 0; }`,
  `add rule inet ${TABLE} in udp dport 7946 drop`,
  `add rule inet ${TABLE} out udp dport 7946 drop`,
].join('; ');

describe.skipIf(skip !== undefined)('herald speaker, split brain, end to end', () => {
  let cluster: LabCluster | undefined;
  let vip = '';
  let owner = '';
  let other = '';
  let macOf = new Map<string, string>();
  let blocked = false;
  const c = (): LabCluster => {
    if (cluster === undefined) throw new Error('the lab cluster did not start');
    return cluster;
  };
  const nft = (script: string): Promise<unknown> =>
    c().lab.exec(c().nodeNs(owner), ['nft', script], { timeoutMs: 10_000 });
  const live = (node: string, mark: number): string | undefined => {
    const changes = logSince(c(), node, mark).filter((e) => e.msg === 'live speakers changed');
    return (changes.at(-1)?.live as string[] | undefined)?.join();
  };

  beforeAll(async () => {
    cluster = await startCluster({ prefix: 'hspl', nodes: 2, ipv6: false, scenario: 'pods' });
    vip = c().pods?.ips[0] ?? '';
    [owner, other] = ranking(
      c().nodes.map((n) => n.name),
      vip,
    ) as [string, string];
    macOf = new Map([...(await nodeMacs(c()))].map(([mac, node]) => [node, mac]));
  }, 120_000);

  afterAll(async () => {
    if (blocked) await nft(`delete table inet ${TABLE}`).catch(() => {});
    await cluster?.stop();
  }, 60_000);

  it('starts with one owner, the node MetalLB ranks first', async () => {
    await waitOrExplain(
      c(),
      async () => (await statusNodes(c(), SVC_NS, SVC)).join() === owner,
      30_000,
      `exactly one ServiceL2Status, on ${owner}`,
    );
    expect(await steadyArpingOwner(c(), vip, { rounds: 2, maxRounds: 5, expect: owner })).toBe(owner);
  });

  it('resolves the split brain when membership is blocked on the owner: the lower-ranked node yields', async () => {
    const otherMark = logMark(c(), other);
    const ownerMark = logMark(c(), owner);
    await nft(BLOCK);
    blocked = true;
    // The other node declares the owner dead and starts announcing the VIP.
    await waitOrExplain(
      c(),
      () =>
        live(other, otherMark) === other &&
        logSince(c(), other, otherMark).some((e) => e.msg === 'announcing' && e.ip === vip),
      15_000,
      `${other} to declare ${owner} dead and announce ${vip}`,
    );
    // The conflict is resolved: the lower-ranked node yields and logs it.
    await waitOrExplain(
      c(),
      () =>
        logSince(c(), other, otherMark).some(
          (e) => String(e.msg).includes('split brain') && String(e.msg).includes('yielding') && e.ip === vip,
        ),
      20_000,
      `${other} to log "split brain: ... yielding" for ${vip}`,
    );
    const after = await steadyArpingOwner(c(), vip, { rounds: 5, maxRounds: 15, expect: owner });
    expect(after).toBe(owner);
    // Still split: the owner still sees itself alone (the resolution did not come from a healed membership).
    expect(live(owner, ownerMark), diagnostics(c())).toBe(owner);
    const yielded = logSince(c(), other, otherMark).find((e) => String(e.msg).includes('yielding'));
    expect(yielded?.winner).toBe(owner);
    expect(yielded?.mac).toBe(macOf.get(owner));

    let conflicts = 0;
    for (const n of [owner, other]) {
      conflicts += metricSum(await metricsText(c(), n), 'herald_speaker_l2_conflicts_total', { ip: vip });
    }
    expect(conflicts, diagnostics(c())).toBeGreaterThan(0);
    const yieldedMetric = metricSum(await metricsText(c(), other), 'herald_speaker_l2_conflicts_total', {
      ip: vip,
      resolution: 'yielded',
    });
    expect(yieldedMetric).toBeGreaterThan(0);
    const events = await waitOrExplain(
      c(),
      async () => {
        const list = await serviceEvents(c(), SVC_NS, SVC, 'l2Conflict');
        return list.length > 0 ? list : undefined;
      },
      10_000,
      'an l2Conflict event on lab/web',
    );
    expect(events.every((e) => e.type === 'Warning')).toBe(true);
    expect(events.map((e) => String(e.message)).join('\n')).toContain(vip);
  }, 120_000);

  it('keeps the original owner when membership heals', async () => {
    const otherMark = logMark(c(), other);
    await nft(`delete table inet ${TABLE}`);
    blocked = false;
    const both = [owner, other].sort().join();
    await waitOrExplain(
      c(),
      () => live(other, otherMark) === both,
      15_000,
      `${other} to see ${owner} live again`,
    );
    await waitOrExplain(
      c(),
      async () => (await statusNodes(c(), SVC_NS, SVC)).join() === owner,
      15_000,
      `exactly one ServiceL2Status, on ${owner}, after the heal`,
    );
    expect(await steadyArpingOwner(c(), vip, { rounds: 5, maxRounds: 10, expect: owner })).toBe(owner);
    expect(await c().curl(vip)).toBe(owner);
    const reannounced = logSince(c(), other, otherMark).filter((e) => e.msg === 'announcing' && e.ip === vip);
    expect(reannounced, diagnostics(c())).toEqual([]);
    const oneMore = await arping(c(), vip, 2);
    expect(oneMore.macs, oneMore.output).toEqual([macOf.get(owner)]);
  }, 120_000);
});
