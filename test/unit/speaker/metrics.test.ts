/**
 * SpeakerMetrics: MetalLB's metric names, Herald's own, default process metrics on request, and the
 * scrape-time sources (announcer counters per address, membership datagrams and live members) read
 * fresh on every scrape, never accumulated.
 */
import { describe, expect, it } from 'vitest';
import { SpeakerMetrics } from '../../../src/speaker/metrics.js';

type L2Stats = Record<string, { requestsReceived: number; responsesSent: number; gratuitousSent: number }>;

/** `name{labels} value` lines of the exposition, without comments. */
async function samples(metrics: SpeakerMetrics): Promise<string[]> {
  return (await metrics.registry.metrics()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('SpeakerMetrics', () => {
  it('registers MetalLB’s names and Herald’s own', async () => {
    const metrics = new SpeakerMetrics({ defaultMetrics: false });
    const names = metrics.registry.getMetricsAsArray().map((m) => m.name);
    expect(names.sort()).toEqual(
      [
        'metallb_speaker_announced',
        'metallb_layer2_requests_received',
        'metallb_layer2_responses_sent',
        'metallb_layer2_gratuitous_sent',
        'metallb_k8s_client_config_loaded_bool',
        'metallb_k8s_client_config_stale_bool',
        'herald_speaker_l2_conflicts_total',
        'herald_speaker_reconciles_total',
        'herald_speaker_l2_takeovers_total',
        'herald_speaker_l2_interfaces',
        'herald_speaker_membership_datagrams_total',
        'herald_speaker_members_live',
      ].sort(),
    );
    expect(await samples(metrics)).toContain('herald_speaker_members_live 0');
  });

  it('adds the default process metrics unless disabled', async () => {
    const withDefaults = new SpeakerMetrics();
    expect(await withDefaults.registry.metrics()).toContain('process_cpu_user_seconds_total');
    expect(await new SpeakerMetrics({ defaultMetrics: false }).registry.metrics()).not.toContain('process_');
  });

  it('keeps registries apart (two speakers in one process)', async () => {
    const a = new SpeakerMetrics({ defaultMetrics: false });
    const b = new SpeakerMetrics({ defaultMetrics: false });
    a.takeovers.inc();
    expect(await samples(a)).toContain('herald_speaker_l2_takeovers_total 1');
    expect(await samples(b)).toContain('herald_speaker_l2_takeovers_total 0');
  });

  it('reads the Layer 2 counters from the announcer at every scrape, per address, skipping zeros', async () => {
    const metrics = new SpeakerMetrics({ defaultMetrics: false });
    let stats: L2Stats = {
      '192.0.2.10': { requestsReceived: 3, responsesSent: 2, gratuitousSent: 0 },
      '2001:db8::10': { requestsReceived: 0, responsesSent: 0, gratuitousSent: 5 },
    };
    metrics.attach({ layer2: { stats: () => stats } });
    const first = await samples(metrics);
    expect(first).toContain('metallb_layer2_requests_received{ip="192.0.2.10"} 3');
    expect(first).toContain('metallb_layer2_responses_sent{ip="192.0.2.10"} 2');
    expect(first).toContain('metallb_layer2_gratuitous_sent{ip="2001:db8::10"} 5');
    expect(first.filter((l) => l.includes('ip="192.0.2.10"') && l.includes('gratuitous'))).toEqual([]);
    stats = { '192.0.2.10': { requestsReceived: 7, responsesSent: 2, gratuitousSent: 1 } };
    const second = await samples(metrics);
    expect(second).toContain('metallb_layer2_requests_received{ip="192.0.2.10"} 7');
    expect(second).toContain('metallb_layer2_responses_sent{ip="192.0.2.10"} 2');
    expect(second.some((l) => l.includes('2001:db8::10'))).toBe(false);
  });

  it('reads membership datagrams and live members, and keeps earlier sources on a partial attach', async () => {
    const metrics = new SpeakerMetrics({ defaultMetrics: false });
    const stats: Record<string, number> = { sent: 4, received: 0 };
    metrics.attach({ membership: { stats: () => stats, live: () => new Set(['node-1', 'node-2']) } });
    metrics.attach({ layer2: { stats: () => ({}) } });
    let lines = await samples(metrics);
    expect(lines).toContain('herald_speaker_membership_datagrams_total{kind="sent"} 4');
    expect(lines.some((l) => l.includes('kind="received"'))).toBe(false);
    expect(lines).toContain('herald_speaker_members_live 2');
    stats.sent = 9;
    stats.badMac = 1;
    lines = await samples(metrics);
    expect(lines).toContain('herald_speaker_membership_datagrams_total{kind="sent"} 9');
    expect(lines).toContain('herald_speaker_membership_datagrams_total{kind="badMac"} 1');
  });

  it('labels the announced gauge as MetalLB does', async () => {
    const metrics = new SpeakerMetrics({ defaultMetrics: false });
    metrics.announced.set(
      { service: 'default/web', protocol: 'layer2', node: 'node-1', ip: '192.0.2.10' },
      1,
    );
    expect(await samples(metrics)).toContain(
      'metallb_speaker_announced{service="default/web",protocol="layer2",node="node-1",ip="192.0.2.10"} 1',
    );
  });
});
