// MembershipDriver over real UDP sockets on loopback (127.0.0.1 and 127.0.0.2, one port): it starts only
// with a key and a usable interface, leaves the membership while no interface is usable (the peer sees
// it go at once) and joins again with a higher incarnation.
import { afterEach, describe, expect, it } from 'vitest';
import { MembershipDriver } from '../../../src/speaker/membership-driver.js';
import { SpeakerMetrics } from '../../../src/speaker/metrics.js';

const PORT = 47_811;
const KEY = new TextEncoder().encode('membership-driver-test-key');
// Detection takes over 3 s with this config, so seeing a peer go within 1 s proves it was told.
const FAST = { probeIntervalMs: 50, probeTimeoutMs: 20, indirectTimeoutMs: 30, suspicionTimeoutMs: 3000 };
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function pod(node: string, ip: string): unknown {
  return {
    metadata: {
      name: `speaker-${node}`,
      namespace: 'metallb-system',
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: { nodeName: node },
    status: { phase: 'Running', podIP: ip },
  };
}
const PODS = [pod('node-a', '127.0.0.1'), pod('node-b', '127.0.0.2')];

const drivers: MembershipDriver[] = [];
function driver(node: string, bind: string): { d: MembershipDriver; changes: () => number } {
  let changes = 0;
  const d = new MembershipDriver({
    node,
    bind,
    port: PORT,
    config: FAST,
    log: quiet,
    metrics: new SpeakerMetrics({ defaultMetrics: false }),
    onChange: () => changes++,
    reschedule: () => {},
  });
  drivers.push(d);
  return { d, changes: () => changes };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.stop()));
});

describe('MembershipDriver', () => {
  it('waits for a key and a usable interface before it starts', async () => {
    const { d } = driver('node-a', '127.0.0.1');
    d.refresh(undefined, PODS, true);
    expect(d.ready()).toBe(true);
    // Interfaces not read yet: an agent is wanted, so not ready (peers would probe a closed port).
    d.refresh(KEY, PODS, undefined);
    expect(d.ready()).toBe(false);
    d.refresh(KEY, PODS, false);
    await new Promise((r) => setTimeout(r, 50));
    expect(d.live()).toBeUndefined();
    expect(d.ready()).toBe(true);
  });

  it('leaves while no interface is usable and joins again', async () => {
    const a = driver('node-a', '127.0.0.1');
    const b = driver('node-b', '127.0.0.2');
    a.d.refresh(KEY, PODS, true);
    b.d.refresh(KEY, PODS, true);
    expect(a.d.ready()).toBe(false);
    await until(() => a.d.live()?.size === 2 && b.d.live()?.size === 2);
    expect(a.d.ready()).toBe(true);

    const before = a.changes();
    b.d.refresh(KEY, PODS, false);
    expect(b.d.live()).toBeUndefined();
    // A leave is announced, not detected: well under the failure-detection time of this config.
    await until(() => a.d.live()?.has('node-b') === false, 1000);
    expect(a.changes()).toBeGreaterThan(before);

    b.d.refresh(KEY, PODS, true);
    await until(() => a.d.live()?.has('node-b') === true && b.d.live()?.has('node-a') === true);
  });

  it('leave() tells the peers before stop', async () => {
    const a = driver('node-a', '127.0.0.1');
    const b = driver('node-b', '127.0.0.2');
    a.d.refresh(KEY, PODS, true);
    b.d.refresh(KEY, PODS, true);
    await until(() => a.d.live()?.size === 2);
    await b.d.leave();
    await until(() => a.d.live()?.has('node-b') === false, 1000);
  });
});
