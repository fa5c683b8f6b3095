// Layer 2 interface selection over sysfs-like fixtures (the attribute texts a node's /sys/class/net
// holds: bonds and their members, bridges and ports, VLANs, tunnels, CNI devices), plus properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  parseInterface,
  type InterfaceAttributes,
  type NetInterface,
} from '../../../src/platform/interfaces.js';
import {
  DEFAULT_EXCLUDE_PATTERNS,
  ineligibility,
  interfacesKey,
  isExcluded,
  namedInterfacesUnavailable,
  sameInterfaces,
  selectInterfaces,
  type SelectionRequest,
} from '../../../src/speaker/interfaces.js';

const DEFAULTS = DEFAULT_EXCLUDE_PATTERNS.map((p) => new RegExp(p));

// sysfs flag words as the kernel prints them.
const ETHER_UP = '0x1003'; // UP|BROADCAST|MULTICAST
const BOND_MASTER_UP = '0x1403'; // ... |MASTER
const BOND_SLAVE_UP = '0x1803'; // ... |SLAVE
const LOOPBACK_UP = '0x9'; // UP|LOOPBACK
const TUN_UP = '0x1091'; // UP|POINTOPOINT|NOARP|MULTICAST
const DUMMY_NOARP_DOWN = '0x82'; // BROADCAST|NOARP (kube-ipvs0)
const ETHER_ADMIN_DOWN = '0x1002';

let nextMac = 1;
function sysfs(
  name: string,
  ifindex: number,
  over: Partial<InterfaceAttributes> & { master?: string } = {},
): NetInterface {
  const mac = `02:00:00:00:00:${(nextMac++ % 256).toString(16).padStart(2, '0')}`;
  const { master, ...attrs } = over;
  return parseInterface(name, {
    ifindex: `${ifindex}\n`,
    address: `${mac}\n`,
    type: '1\n',
    flags: `${ETHER_UP}\n`,
    operstate: 'up\n',
    mtu: '1500\n',
    masterLink: master === undefined ? undefined : `../../../virtual/net/${master}`,
    ...attrs,
  });
}

/** A worker node: a bond of two NICs with a VLAN on top, Docker, Calico, kube-proxy IPVS, a tunnel. */
function workerNode(): NetInterface[] {
  return [
    sysfs('lo', 1, {
      type: '772\n',
      flags: LOOPBACK_UP,
      operstate: 'unknown\n',
      address: '00:00:00:00:00:00',
    }),
    sysfs('eno1', 2, { flags: BOND_SLAVE_UP, master: 'bond0' }),
    sysfs('eno2', 3, { flags: BOND_SLAVE_UP, master: 'bond0', operstate: 'down\n' }),
    sysfs('bond0', 4, { flags: BOND_MASTER_UP }),
    sysfs('bond0.100', 5),
    sysfs('docker0', 6, { operstate: 'down\n' }),
    sysfs('cali1234abcd', 7),
    sysfs('kube-ipvs0', 8, { flags: DUMMY_NOARP_DOWN, operstate: 'down\n' }),
    sysfs('tunl0', 9, { type: '768\n', flags: '0xc1', address: '00:00:00:00' }),
    sysfs('wg0', 10, { type: '65534\n', flags: TUN_UP, operstate: 'unknown\n', address: '\n' }),
    sysfs('br-lab', 11, { operstate: 'unknown\n' }),
    sysfs('ens5', 12, { master: 'br-lab' }),
    sysfs('ens6', 13, { flags: ETHER_ADMIN_DOWN, operstate: 'down\n' }),
  ];
}

const all = (exclude: readonly RegExp[] = DEFAULTS): SelectionRequest => ({ names: undefined, exclude });
const names = (selected: readonly { name: string }[]): string[] => selected.map((i) => i.name);

describe('selectInterfaces: every interface (no L2Advertisement.interfaces)', () => {
  it('answers on the bond, its VLAN and the bridge; skips everything else with the reason', () => {
    const result = selectInterfaces(workerNode(), all());
    expect(names(result.selected)).toEqual(['bond0', 'bond0.100', 'br-lab']);
    expect(Object.fromEntries(result.skipped.map((s) => [s.name, s.reason]))).toEqual({
      lo: 'excluded',
      eno1: 'enslaved',
      eno2: 'enslaved',
      docker0: 'excluded',
      cali1234abcd: 'excluded',
      'kube-ipvs0': 'excluded',
      tunl0: 'excluded',
      wg0: 'noarp',
      ens5: 'enslaved',
      ens6: 'down',
    });
    expect(result.missing).toEqual([]);
  });

  it('gives the announcer name, MAC and ifindex', () => {
    const node = workerNode();
    const bond = node.find((i) => i.name === 'bond0')!;
    expect(selectInterfaces(node, all()).selected[0]).toEqual({
      name: 'bond0',
      mac: bond.mac,
      ifindex: 4,
    });
  });

  it('follows a member leaving its bond: it is answered on itself from then on', () => {
    const node = workerNode().map((i) => (i.name === 'eno1' ? { ...i, master: undefined } : i));
    expect(names(selectInterfaces(node, all()).selected)).toEqual(['eno1', 'bond0', 'bond0.100', 'br-lab']);
  });

  it('without exclusions, lo is skipped as loopback and docker0 as down', () => {
    const result = selectInterfaces(workerNode(), all([]));
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.name, s.reason]));
    expect(reasons).toMatchObject({ lo: 'loopback', docker0: 'down', 'kube-ipvs0': 'down', tunl0: 'noarp' });
    expect(names(result.selected)).toEqual(['bond0', 'bond0.100', 'cali1234abcd', 'br-lab']);
  });

  it('sorts by ifindex whatever the input order', () => {
    const node = workerNode();
    expect(selectInterfaces([...node].reverse(), all())).toEqual(selectInterfaces(node, all()));
  });

  it('returns nothing when no interface is eligible (the node cannot announce)', () => {
    const node = workerNode().filter((i) => !['bond0', 'bond0.100', 'br-lab'].includes(i.name));
    expect(selectInterfaces(node, all()).selected).toEqual([]);
  });
});

describe('selectInterfaces: L2Advertisement.interfaces', () => {
  it('answers only on the listed interfaces; reports absent names as missing', () => {
    const request = { names: ['bond0.100', 'eno1', 'nope0', 'docker0'], exclude: DEFAULTS };
    const result = selectInterfaces(workerNode(), request);
    expect(names(result.selected)).toEqual(['bond0.100']);
    expect(result.missing).toEqual(['nope0']);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.name, s.reason]));
    expect(reasons).toMatchObject({ eno1: 'enslaved', docker0: 'excluded', bond0: 'not-listed' });
    expect(result.skipped.filter((s) => s.reason === 'not-listed')).toHaveLength(10);
  });

  it('never overrides the exclude list, as in MetalLB: a listed veth stays excluded', () => {
    const node = [sysfs('veth0', 2), sysfs('eth0', 3)];
    const result = selectInterfaces(node, { names: ['veth0'], exclude: DEFAULTS });
    expect(result.selected).toEqual([]);
    expect(result.skipped).toEqual([
      { name: 'veth0', reason: 'excluded' },
      { name: 'eth0', reason: 'not-listed' },
    ]);
  });

  it('an empty list selects nothing (distinct from undefined = all)', () => {
    expect(selectInterfaces(workerNode(), { names: [], exclude: DEFAULTS }).selected).toEqual([]);
  });

  it('duplicate names are reported once', () => {
    expect(selectInterfaces([], { names: ['x0', 'x0'], exclude: [] }).missing).toEqual(['x0']);
  });
});

describe('eligibility of one interface', () => {
  it.each([
    ['up', undefined],
    ['unknown', undefined],
    ['down', 'down'],
    ['lowerlayerdown', 'down'],
    ['dormant', 'down'],
    ['testing', 'down'],
    ['notpresent', 'down'],
  ] as const)('operstate %s -> %s', (operstate, reason) => {
    expect(ineligibility(sysfs('eth0', 2, { operstate }))).toBe(reason);
  });

  it('admin down is down even with operstate unknown', () => {
    expect(ineligibility(sysfs('eth0', 2, { flags: ETHER_ADMIN_DOWN, operstate: 'unknown' }))).toBe('down');
  });

  it('NOARP (ip link set X arp off) is skipped', () => {
    expect(ineligibility(sysfs('eth0', 2, { flags: '0x1083' }))).toBe('noarp');
  });

  it('a device without BROADCAST or without a MAC is skipped', () => {
    expect(ineligibility(sysfs('eth0', 2, { flags: '0x1001' }))).toBe('not-broadcast');
    expect(ineligibility(sysfs('eth0', 2, { address: '\n' }))).toBe('no-mac');
  });

  it('a non-Ethernet device (InfiniBand, 20-byte address) is skipped', () => {
    const ib = sysfs('ib0', 2, { type: '32', address: Array(20).fill('80').join(':') });
    expect(ineligibility(ib)).toBe('not-ethernet');
  });
});

describe('exclusion patterns', () => {
  it('DEFAULT_EXCLUDE_PATTERNS is MetalLB shipped list', () => {
    expect(DEFAULT_EXCLUDE_PATTERNS).toEqual([
      '^docker.*',
      '^cbr.*',
      '^dummy.*',
      '^virbr.*',
      '^lxcbr.*',
      '^veth.*',
      '^lo$',
      '^cali.*',
      '^tunl.*',
      '^flannel.*',
      '^kube-ipvs.*',
      '^cni.*',
      '^nodelocaldns.*',
      '^lxc.*',
    ]);
  });

  it.each(['docker0', 'cbr0', 'dummy0', 'virbr0', 'veth9a8b', 'lo', 'cali0', 'flannel.1', 'cni0', 'lxc12'])(
    '%s is excluded by default',
    (name) => expect(isExcluded(name, DEFAULTS)).toBe(true),
  );

  it.each(['eth0', 'ens5', 'bond0', 'br0', 'lo0', 'mydocker0', 'vlan100'])('%s is not excluded', (name) => {
    expect(isExcluded(name, DEFAULTS)).toBe(false);
  });

  it('a /g pattern gives the same answer every time (no lastIndex carried over)', () => {
    const global = [/^eth/g];
    expect([1, 2, 3].map(() => isExcluded('eth0', global))).toEqual([true, true, true]);
  });
});

describe('namedInterfacesUnavailable (MetalLB announceFailed)', () => {
  const node = workerNode();
  const check = (list: string[] | undefined): boolean => {
    const request = { names: list, exclude: DEFAULTS };
    return namedInterfacesUnavailable(request, selectInterfaces(node, request));
  };
  it('is false without names, and when one named interface exists outside the exclude list', () => {
    expect(check(undefined)).toBe(false);
    expect(check(['nope0', 'ens6'])).toBe(false); // ens6 exists, only down
  });
  it('is true when every named interface is absent or excluded', () => {
    expect(check(['nope0', 'docker0'])).toBe(true);
    expect(check([])).toBe(true);
  });
});

describe('interfacesKey / sameInterfaces', () => {
  const a = { name: 'eth0', mac: '02:00:00:00:00:01', ifindex: 2 };
  const b = { name: 'br0', mac: '02:00:00:00:00:02', ifindex: 3 };
  it('ignores order and MAC case', () => {
    expect(sameInterfaces([a, b], [b, { ...a, mac: a.mac.toUpperCase() }])).toBe(true);
    expect(interfacesKey([a, b])).toBe(interfacesKey([b, a]));
  });
  it('sees a new ifindex (re-created interface), a new MAC, an added or removed interface', () => {
    expect(sameInterfaces([a], [{ ...a, ifindex: 9 }])).toBe(false);
    expect(sameInterfaces([a], [{ ...a, mac: '02:00:00:00:00:09' }])).toBe(false);
    expect(sameInterfaces([a], [a, b])).toBe(false);
    expect(sameInterfaces([a, b], [b])).toBe(false);
  });
});

describe('properties', () => {
  const operstates = ['up', 'unknown', 'down', 'lowerlayerdown', 'dormant'] as const;
  const ifaceArb = fc.record({
    name: fc.constantFrom('eth0', 'eth1', 'br0', 'bond0', 'veth1', 'docker0', 'lo', 'wg0', 'ens5'),
    flags: fc.integer({ min: 0, max: 0x1fff }),
    operstate: fc.constantFrom(...operstates),
    type: fc.constantFrom(1, 1, 772, 65534),
    master: fc.option(fc.constantFrom('br0', 'bond0'), { nil: undefined }),
    mac: fc.boolean(),
  });
  const nodeArb = fc.uniqueArray(ifaceArb, { selector: (i) => i.name, maxLength: 9 }).map((list) =>
    list.map((i, index) =>
      sysfs(i.name, index + 1, {
        flags: `0x${i.flags.toString(16)}`,
        operstate: i.operstate,
        type: String(i.type),
        master: i.master,
        address: i.mac ? '02:00:00:00:00:aa' : '',
      }),
    ),
  );
  const requestArb = fc.record({
    names: fc.option(fc.subarray(['eth0', 'br0', 'bond0', 'veth1', 'nope0']), { nil: undefined }),
    exclude: fc.constantFrom(DEFAULTS, []),
  });

  it('partitions the node: every interface is selected or skipped, once; missing names are absent', () => {
    fc.assert(
      fc.property(nodeArb, requestArb, (node, request) => {
        const { selected, skipped, missing } = selectInterfaces(node, request);
        const seen = [...names(selected), ...names(skipped)].sort();
        expect(seen).toEqual(names(node).sort());
        for (const name of missing) expect(names(node)).not.toContain(name);
        for (const iface of selected) {
          const source = node.find((i) => i.name === iface.name)!;
          expect(ineligibility(source)).toBeUndefined();
          expect(isExcluded(iface.name, request.exclude)).toBe(false);
          if (request.names !== undefined) expect(request.names).toContain(iface.name);
        }
      }),
    );
  });

  it('does not depend on input order', () => {
    fc.assert(
      fc.property(nodeArb, requestArb, (node, request) => {
        expect(selectInterfaces([...node].reverse(), request)).toEqual(selectInterfaces(node, request));
      }),
    );
  });
});
