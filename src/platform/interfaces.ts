/**
 * Network interfaces as the layer-2 speaker needs them (name, ifindex, MAC, flags, operstate, MTU, master
 * for bridge/bond ports), read from sysfs (/sys/class/net). The parsing functions are pure and take the
 * text of one sysfs attribute; readInterface/readInterfaces are the thin reader over the files.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

export const SYSFS_NET = '/sys/class/net';

// Interface flags (include/uapi/linux/if.h), as printed in /sys/class/net/IFACE/flags. sysfs prints the
// administrative flags only (no IFF_RUNNING / IFF_LOWER_UP): whether the link carries traffic is operState.
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_NOARP = 0x80;
export const IFF_PROMISC = 0x100;
export const IFF_MULTICAST = 0x1000;
/** ARPHRD_ETHER (include/uapi/linux/if_arp.h): /sys/class/net/IFACE/type of Ethernet-like devices. */
export const ARPHRD_ETHER = 1;

export interface InterfaceFlags {
  up: boolean;
  broadcast: boolean;
  loopback: boolean;
  pointToPoint: boolean;
  noArp: boolean;
  promiscuous: boolean;
  multicast: boolean;
}

/** RFC 2863 operational states as the kernel names them. */
export type OperState = 'unknown' | 'notpresent' | 'down' | 'lowerlayerdown' | 'testing' | 'dormant' | 'up';
const OPER_STATES: readonly OperState[] = [
  'unknown',
  'notpresent',
  'down',
  'lowerlayerdown',
  'testing',
  'dormant',
  'up',
];

export interface NetInterface {
  name: string;
  ifindex: number;
  /** Lower-case "aa:bb:cc:dd:ee:ff"; undefined for devices without a 6-byte hardware address. */
  mac: string | undefined;
  /** ARPHRD_* hardware type (1 for Ethernet, veth, bridges, bonds). */
  type: number;
  flags: InterfaceFlags;
  operState: OperState;
  mtu: number;
  /** The bridge or bond this interface is a port of. */
  master: string | undefined;
}

/** A sysfs attribute that does not hold what the kernel writes there (names the attribute). */
export class InterfaceParseError extends Error {
  override readonly name = 'InterfaceParseError';
}

/** Parses a decimal attribute such as ifindex, mtu or type (one line, trailing newline allowed). */
export function parseDecimal(text: string, attribute: string): number {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/u.test(trimmed)) {
    throw new InterfaceParseError(`${attribute}: expected a decimal number, got '${trimmed}'`);
  }
  return Number.parseInt(trimmed, 10);
}

/** Parses /sys/class/net/IFACE/flags ("0x1003"). */
export function parseFlags(text: string): InterfaceFlags {
  const trimmed = text.trim();
  if (!/^0x[0-9a-f]{1,8}$/iu.test(trimmed)) {
    throw new InterfaceParseError(`flags: expected a hexadecimal number like 0x1003, got '${trimmed}'`);
  }
  const value = Number.parseInt(trimmed.slice(2), 16);
  const has = (flag: number): boolean => (value & flag) !== 0;
  return {
    up: has(IFF_UP),
    broadcast: has(IFF_BROADCAST),
    loopback: has(IFF_LOOPBACK),
    pointToPoint: has(IFF_POINTOPOINT),
    noArp: has(IFF_NOARP),
    promiscuous: has(IFF_PROMISC),
    multicast: has(IFF_MULTICAST),
  };
}

/** Parses /sys/class/net/IFACE/address: a 6-byte MAC (lower-cased), or undefined for other lengths/empty. */
export function parseAddress(text: string): string | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return undefined;
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2})*$/u.test(trimmed)) {
    throw new InterfaceParseError(`address: expected colon-separated hex bytes, got '${trimmed}'`);
  }
  return trimmed.length === 17 ? trimmed : undefined;
}

/** Parses /sys/class/net/IFACE/operstate. */
export function parseOperState(text: string): OperState {
  const trimmed = text.trim();
  const state = OPER_STATES.find((candidate) => candidate === trimmed);
  if (state === undefined) {
    throw new InterfaceParseError(`operstate: unknown state '${trimmed}'`);
  }
  return state;
}

/** The raw attribute texts of one interface, as read from sysfs. */
export interface InterfaceAttributes {
  ifindex: string;
  address: string;
  type: string;
  flags: string;
  operstate: string;
  mtu: string;
  /** Target of the `master` symlink, if any (e.g. "../../../virtual/net/br0"). */
  masterLink?: string | undefined;
}

/** Builds a NetInterface from the attribute texts (pure). */
export function parseInterface(name: string, attrs: InterfaceAttributes): NetInterface {
  return {
    name,
    ifindex: parseDecimal(attrs.ifindex, `${name}/ifindex`),
    mac: parseAddress(attrs.address),
    type: parseDecimal(attrs.type, `${name}/type`),
    flags: parseFlags(attrs.flags),
    operState: parseOperState(attrs.operstate),
    mtu: parseDecimal(attrs.mtu, `${name}/mtu`),
    master: attrs.masterLink === undefined ? undefined : basename(attrs.masterLink),
  };
}

async function readMasterLink(dir: string): Promise<string | undefined> {
  try {
    return await readlink(join(dir, 'master'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads one interface from sysfs (root defaults to /sys/class/net); ENOENT when it does not exist. */
export async function readInterface(name: string, root = SYSFS_NET): Promise<NetInterface> {
  const dir = join(root, name);
  const read = (attribute: string): Promise<string> => readFile(join(dir, attribute), 'utf8');
  const [ifindex, address, type, flags, operstate, mtu, masterLink] = await Promise.all([
    read('ifindex'),
    read('address'),
    read('type'),
    read('flags'),
    read('operstate'),
    read('mtu'),
    readMasterLink(dir),
  ]);
  return parseInterface(name, { ifindex, address, type, flags, operstate, mtu, masterLink });
}

/** Reads every interface in sysfs, sorted by ifindex. Interfaces that vanish while reading are skipped. */
export async function readInterfaces(root = SYSFS_NET): Promise<NetInterface[]> {
  const names = await readdir(root);
  const found = await Promise.all(
    names.map((name) =>
      readInterface(name, root).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }),
    ),
  );
  return found
    .filter((item): item is NetInterface => item !== undefined)
    .sort((a, b) => a.ifindex - b.ifindex);
}
