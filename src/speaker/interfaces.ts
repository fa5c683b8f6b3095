/**
 * Layer 2 interface selection (issue #4 §2 "Interfaces"), pure: which of the node's interfaces the
 * speaker answers ARP/NDP on. MetalLB's rules (internal/layer2/announcer.go updateInterfaces): an
 * interface whose name matches an exclude regex is never used, not even when L2Advertisement.interfaces
 * names it; then interfaces that are not up, have a master (bond members and bridge ports: the bond or
 * bridge answers instead) or carry NOARP are skipped. Herald adds: the link must be operationally up
 * ('up', or 'unknown' as veth/bridges/tun report), and must be an Ethernet-like device with a MAC and
 * the BROADCAST flag, since it answers with its MAC. No I/O: the list comes from src/platform/interfaces.ts.
 */
import type { AnnouncerInterface } from '../l2/announcer/types.js';
import type { NetInterface, OperState } from '../platform/interfaces.js';

/** ARPHRD_ETHER (include/uapi/linux/if_arp.h), repeated here so this module stays import-type only. */
const ARPHRD_ETHER = 1;

/**
 * MetalLB's ConfigMap metallb-excludel2 as shipped (config/native/exclude-l2-config.yaml and the Helm
 * chart): used when the ConfigMap is absent.
 */
export const DEFAULT_EXCLUDE_PATTERNS: readonly string[] = [
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
];

/** Why an interface is not answered on; checks run in the order of this list (first match wins). */
export type SkipReason =
  | 'not-listed'
  | 'excluded'
  | 'loopback'
  | 'enslaved'
  | 'down'
  | 'noarp'
  | 'not-ethernet'
  | 'not-broadcast'
  | 'no-mac';

export interface SelectionRequest {
  /** L2Advertisement.interfaces (unioned over advertisements); undefined = every eligible interface. */
  readonly names: readonly string[] | undefined;
  /** Compiled metallb-excludel2 patterns (see exclude-l2.ts); always applied, even to listed names. */
  readonly exclude: readonly RegExp[];
}

export interface SkippedInterface {
  readonly name: string;
  readonly reason: SkipReason;
}

export interface Selection {
  /** Interfaces to answer on, in ifindex order. Empty: this node cannot announce. */
  readonly selected: AnnouncerInterface[];
  /** Every other interface on the node, with the first reason it failed. */
  readonly skipped: SkippedInterface[];
  /** Names in `request.names` that no interface on the node has, in request order. */
  readonly missing: string[];
}

/** Operational states a link can carry traffic in; 'unknown' is what veth, bridges and tun often report. */
const USABLE_OPER_STATES: ReadonlySet<OperState> = new Set<OperState>(['up', 'unknown']);

/** Whether one of the patterns matches the name (MetalLB joins them as `(p1)|(p2)|...`: the same). */
export function isExcluded(name: string, exclude: readonly RegExp[]): boolean {
  return exclude.some((pattern) => {
    pattern.lastIndex = 0; // a caller's /g or /y pattern must not carry state between names
    return pattern.test(name);
  });
}

/** The first reason an interface is not eligible on its own (exclusion and listing are checked apart). */
export function ineligibility(iface: NetInterface): SkipReason | undefined {
  if (iface.flags.loopback) return 'loopback';
  if (iface.master !== undefined) return 'enslaved';
  if (!iface.flags.up || !USABLE_OPER_STATES.has(iface.operState)) return 'down';
  if (iface.flags.noArp) return 'noarp';
  if (iface.type !== ARPHRD_ETHER) return 'not-ethernet';
  if (!iface.flags.broadcast) return 'not-broadcast';
  if (iface.mac === undefined) return 'no-mac';
  return undefined;
}

function skipReason(
  iface: NetInterface,
  request: SelectionRequest,
  listed: ReadonlySet<string> | undefined,
): SkipReason | undefined {
  if (listed !== undefined && !listed.has(iface.name)) return 'not-listed';
  if (isExcluded(iface.name, request.exclude)) return 'excluded';
  return ineligibility(iface);
}

/** Chooses the interfaces to answer on from the node's interfaces (pure; input order does not matter). */
export function selectInterfaces(all: readonly NetInterface[], request: SelectionRequest): Selection {
  const listed = request.names === undefined ? undefined : new Set(request.names);
  const selected: AnnouncerInterface[] = [];
  const skipped: SkippedInterface[] = [];
  for (const iface of [...all].sort((a, b) => a.ifindex - b.ifindex)) {
    const reason = skipReason(iface, request, listed);
    if (reason === undefined && iface.mac !== undefined) {
      selected.push({ name: iface.name, mac: iface.mac, ifindex: iface.ifindex });
    } else {
      skipped.push({ name: iface.name, reason: reason ?? 'no-mac' });
    }
  }
  const present = new Set(all.map((iface) => iface.name));
  const missing = [...(listed ?? [])].filter((name) => !present.has(name));
  return { selected, skipped, missing };
}

/**
 * MetalLB's announceFailed condition (speaker/layer2_controller.go SetBalancer, `MatchInterfaces`):
 * interfaces were named and none of them exists on the node outside the exclude list. A named interface
 * that exists but is down does not trigger it (the node then simply has nothing selected).
 */
export function namedInterfacesUnavailable(request: SelectionRequest, selection: Selection): boolean {
  if (request.names === undefined) return false;
  const excluded = new Set(selection.skipped.filter((s) => s.reason === 'excluded').map((s) => s.name));
  const missing = new Set(selection.missing);
  return request.names.every((name) => missing.has(name) || excluded.has(name));
}

/** A canonical text for a selection (order-independent): equal keys mean nothing to reopen. */
export function interfacesKey(selected: readonly AnnouncerInterface[]): string {
  return selected
    .map((iface) => `${iface.name}#${iface.ifindex}#${iface.mac.toLowerCase()}`)
    .sort()
    .join(',');
}

/** Whether two selections answer on the same interfaces (same names, ifindexes and MACs). */
export function sameInterfaces(a: readonly AnnouncerInterface[], b: readonly AnnouncerInterface[]): boolean {
  return a.length === b.length && interfacesKey(a) === interfacesKey(b);
}
