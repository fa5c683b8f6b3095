// Layer 2 interface selection against real kernel interfaces, in one network namespace (hifs-a):
//
//   eth0 (veth, up)                       -> selected
//   br0 (bridge, up) with port eth1       -> br0 selected, eth1 skipped 'enslaved'
//   docker0 (bridge, up)                  -> skipped 'excluded' (MetalLB's default list)
//   down0 (veth, admin down)              -> skipped 'down'
//   nocarr0 (veth, up, peer down)         -> skipped 'down' (operstate lowerlayerdown)
//   noarp0 (veth, up, arp off)            -> skipped 'noarp'
//   lo, veth-* (the veth peers)           -> skipped 'excluded'
//
// sysfs is read by fixtures/interfaces-probe.ts run through `ip netns exec` (which mounts the namespace's
// own /sys), with the real readInterfaces and InterfaceWatcher. The kernel here has no bonding or dummy
// module: bonds are covered by the unit tests' sysfs fixtures.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { NetInterface } from '../../../src/platform/interfaces.js';
import { defaultExcludePatterns } from '../../../src/speaker/exclude-l2.js';
import { selectInterfaces, type Selection } from '../../../src/speaker/interfaces.js';
import { Lab, requireRoot, waitFor, type LabProcess } from '../../helpers/netns.js';

const skip = requireRoot('the interface-selection namespace test');
const PROBE = fileURLToPath(new URL('./fixtures/interfaces-probe.ts', import.meta.url));
const TSX = [process.execPath, '--import', 'tsx', PROBE];
const USABLE = new Set(['up', 'unknown']);

type Event = { event: string; interfaces?: NetInterface[] };

const reasons = (selection: Selection): Record<string, string> =>
  Object.fromEntries(selection.skipped.map((s) => [s.name, s.reason]));

describe.skipIf(skip !== undefined)('interface selection in a namespace', () => {
  const lab = new Lab('hifs-');
  const ns = lab.ns('a');

  const readInNamespace = async (): Promise<NetInterface[]> => {
    const { stdout } = await lab.exec(ns, [...TSX, '--once'], { timeoutMs: 20_000 });
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    if (line === undefined) throw new Error(`probe printed nothing: ${stdout}`);
    return (JSON.parse(line) as Event).interfaces ?? [];
  };

  const operState = (list: NetInterface[], name: string): string | undefined =>
    list.find((i) => i.name === name)?.operState;

  beforeAll(async () => {
    await lab.removeStale();
    await lab.addNamespace('a');
    await lab.veth(ns, 'eth0', ns, 'veth-e0');
    await lab.veth(ns, 'eth1', ns, 'veth-e1');
    await lab.bridge(ns, 'br0', ['eth1']);
    await lab.bridge(ns, 'docker0');
    await lab.veth(ns, 'down0', ns, 'veth-d0');
    await lab.exec(ns, ['ip', 'link', 'set', 'down0', 'down']);
    await lab.veth(ns, 'nocarr0', ns, 'veth-nc');
    await lab.exec(ns, ['ip', 'link', 'set', 'veth-nc', 'down']);
    await lab.veth(ns, 'noarp0', ns, 'veth-n0');
    await lab.exec(ns, ['ip', 'link', 'set', 'noarp0', 'arp', 'off']);
    // Carrier and bridge port state settle asynchronously in the kernel.
    await waitFor(
      async () => {
        const list = await readInNamespace();
        return ['eth0', 'br0', 'noarp0'].every((n) => USABLE.has(operState(list, n) ?? ''));
      },
      { timeoutMs: 15_000, intervalMs: 200, what: 'eth0, br0 and noarp0 to be operationally up' },
    );
  }, 60_000);

  afterAll(async () => {
    await lab.cleanup();
  }, 60_000);

  it('selects eth0 and br0 with MetalLB default exclusions, and says why the others are skipped', async () => {
    const all = await readInNamespace();
    const selection = selectInterfaces(all, { names: undefined, exclude: defaultExcludePatterns() });
    expect(selection.selected.map((i) => i.name)).toEqual(['eth0', 'br0']);
    const eth0 = all.find((i) => i.name === 'eth0')!;
    expect(selection.selected[0]).toEqual({ name: 'eth0', mac: eth0.mac, ifindex: eth0.ifindex });
    expect(reasons(selection)).toEqual({
      lo: 'excluded',
      'veth-e0': 'excluded',
      'veth-e1': 'excluded',
      'veth-d0': 'excluded',
      'veth-nc': 'excluded',
      'veth-n0': 'excluded',
      eth1: 'enslaved',
      docker0: 'excluded',
      down0: 'down',
      nocarr0: 'down',
      noarp0: 'noarp',
    });
    expect(operState(all, 'nocarr0')).toMatch(/^(lowerlayerdown|down)$/u);
    expect(all.find((i) => i.name === 'eth1')?.master).toBe('br0');
  }, 30_000);

  it('without exclusions lo is skipped as loopback; listed names follow the same rules', async () => {
    const all = await readInNamespace();
    expect(reasons(selectInterfaces(all, { names: undefined, exclude: [] })).lo).toBe('loopback');
    const listed = selectInterfaces(all, {
      names: ['eth1', 'docker0', 'gone0', 'br0'],
      exclude: defaultExcludePatterns(),
    });
    expect(listed.selected.map((i) => i.name)).toEqual(['br0']);
    expect(listed.missing).toEqual(['gone0']);
    expect(reasons(listed)).toMatchObject({ eth1: 'enslaved', docker0: 'excluded', eth0: 'not-listed' });
  }, 30_000);

  describe('the watcher follows interfaces appearing and disappearing', () => {
    let probe: LabProcess;
    const changes = (): NetInterface[][] =>
      probe
        .log()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Event)
        .filter((e) => e.event === 'change')
        .map((e) => e.interfaces ?? []);
    const selectedNow = (): string[] => {
      const last = changes().at(-1) ?? [];
      return selectInterfaces(last, { names: undefined, exclude: defaultExcludePatterns() }).selected.map(
        (i) => i.name,
      );
    };
    const waitSelected = (expected: string[], what: string): Promise<boolean> =>
      waitFor(
        () => {
          if (probe.exit() !== undefined) throw new Error(`probe exited: ${probe.log()}`);
          return JSON.stringify(selectedNow()) === JSON.stringify(expected);
        },
        { timeoutMs: 10_000, intervalMs: 50, what },
      );

    beforeAll(async () => {
      const logFile = join(lab.tempDir('watch'), 'probe.log');
      probe = lab.spawnInNs(ns, [...TSX, '--watch', '--interval-ms', '100', '--lifetime-ms', '60000'], {
        logFile,
      });
      await waitSelected(['eth0', 'br0'], 'the first scan');
    }, 30_000);

    afterAll(async () => {
      if (probe !== undefined) await lab.kill(probe);
    }, 30_000);

    it('reports a new interface once it is up, and its removal', async () => {
      const before = changes().length;
      await lab.exec(ns, ['ip', 'link', 'add', 'new0', 'type', 'veth', 'peer', 'name', 'veth-new']);
      await waitFor(
        () =>
          changes()
            .at(-1)
            ?.some((i) => i.name === 'new0'),
        {
          timeoutMs: 10_000,
          intervalMs: 50,
          what: 'a change listing new0',
        },
      );
      expect(selectedNow()).toEqual(['eth0', 'br0']); // still down
      await lab.exec(ns, ['ip', 'link', 'set', 'veth-new', 'up']);
      await lab.exec(ns, ['ip', 'link', 'set', 'new0', 'up']);
      await waitSelected(['eth0', 'br0', 'new0'], 'new0 to be selected');
      await lab.exec(ns, ['ip', 'link', 'del', 'new0']);
      await waitSelected(['eth0', 'br0'], 'new0 to be gone');
      expect(
        changes()
          .at(-1)
          ?.some((i) => i.name === 'new0' || i.name === 'veth-new'),
      ).toBe(false);
      expect(changes().length).toBeGreaterThanOrEqual(before + 3);
    }, 45_000);

    it('follows a port leaving its bridge: it is answered on itself from then on', async () => {
      await lab.exec(ns, ['ip', 'link', 'set', 'eth1', 'nomaster']);
      await waitSelected(['eth0', 'eth1', 'br0'], 'eth1 to be selected on its own');
      await lab.exec(ns, ['ip', 'link', 'set', 'eth1', 'master', 'br0']);
      await waitSelected(['eth0', 'br0'], 'eth1 back in br0');
    }, 45_000);
  });
});
