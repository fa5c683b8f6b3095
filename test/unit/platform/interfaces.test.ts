// sysfs interface parsing (pure, fixture strings) and the reader over a fake /sys/class/net tree.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import {
  InterfaceParseError,
  parseAddress,
  parseDecimal,
  parseFlags,
  parseInterface,
  parseOperState,
  readInterface,
  readInterfaces,
} from '../../../src/platform/interfaces.js';

const ETH0 = {
  ifindex: '4\n',
  address: '02:FC:00:00:00:01\n',
  type: '1\n',
  flags: '0x1003\n',
  operstate: 'up\n',
  mtu: '1500\n',
};

describe('parsing sysfs attributes', () => {
  it('parses flags', () => {
    expect(parseFlags('0x1003\n')).toEqual({
      up: true,
      broadcast: true,
      loopback: false,
      pointToPoint: false,
      noArp: false,
      promiscuous: false,
      multicast: true,
    });
    expect(parseFlags('0x9')).toMatchObject({ up: true, loopback: true, broadcast: false });
    expect(parseFlags('0x1082')).toMatchObject({ up: false, noArp: true, multicast: true });
    expect(parseFlags('0x1103')).toMatchObject({ promiscuous: true });
  });

  it('rejects malformed flags, numbers and states with the attribute named', () => {
    expect(() => parseFlags('4099')).toThrow(/flags: expected a hexadecimal number/u);
    expect(() => parseDecimal('x1', 'eth0/ifindex')).toThrow(InterfaceParseError);
    expect(() => parseDecimal('-1', 'eth0/mtu')).toThrow(/eth0\/mtu/u);
    expect(() => parseOperState('sideways')).toThrow(/operstate: unknown state 'sideways'/u);
    expect(() => parseAddress('zz:00')).toThrow(/address/u);
  });

  it('parses MAC addresses, ignoring other hardware address lengths', () => {
    expect(parseAddress('02:FC:00:00:00:01\n')).toBe('02:fc:00:00:00:01');
    expect(parseAddress('\n')).toBeUndefined();
    expect(parseAddress('00:00:00:00')).toBeUndefined(); // e.g. a tunnel's 4-byte address
  });

  it('parses operstate and decimals', () => {
    expect(parseOperState('lowerlayerdown\n')).toBe('lowerlayerdown');
    expect(parseDecimal(' 65536\n', 'lo/mtu')).toBe(65_536);
  });

  it('builds an interface with its master from the symlink target', () => {
    const port = parseInterface('eth0', { ...ETH0, masterLink: '../../../virtual/net/br0' });
    expect(port).toMatchObject({ name: 'eth0', ifindex: 4, mac: '02:fc:00:00:00:01', type: 1, mtu: 1500 });
    expect(port.master).toBe('br0');
    expect(port.operState).toBe('up');
    expect(parseInterface('eth0', ETH0).master).toBeUndefined();
  });
});

describe('reading /sys/class/net', () => {
  const root = mkdtempSync(join(tmpdir(), 'herald-sysfs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function fake(name: string, attrs: Record<string, string>, master?: string): void {
    const dir = join(root, name);
    mkdirSync(dir);
    for (const [file, text] of Object.entries(attrs)) writeFileSync(join(dir, file), text);
    if (master !== undefined) symlinkSync(join('..', master), join(dir, 'master'));
  }

  fake('br0', { ...ETH0, ifindex: '7\n', address: '02:00:00:00:00:07\n' });
  fake('eth0', ETH0, 'br0');
  fake('lo', { ...ETH0, ifindex: '1\n', address: '00:00:00:00:00:00\n', type: '772\n', flags: '0x9\n' });

  it('reads all interfaces sorted by ifindex, with masters', async () => {
    const all = await readInterfaces(root);
    expect(all.map((i) => [i.name, i.ifindex, i.master])).toEqual([
      ['lo', 1, undefined],
      ['eth0', 4, 'br0'],
      ['br0', 7, undefined],
    ]);
  });

  it('reads one interface and reports a missing one as ENOENT', async () => {
    expect((await readInterface('eth0', root)).mac).toBe('02:fc:00:00:00:01');
    await expect(readInterface('nope0', root)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads the real sysfs (loopback is always there)', async () => {
    const lo = (await readInterfaces()).find((i) => i.flags.loopback);
    expect(lo?.ifindex).toBeGreaterThan(0);
  });
});
