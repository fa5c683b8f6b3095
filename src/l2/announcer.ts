/**
 * The Layer 2 announcer adapter: answers ARP requests and Neighbor Solicitations for the addresses this
 * node owns (through the pure `decide`), joins solicited-node multicast groups (reference-counted per
 * interface), sends gratuitous ARP / unsolicited NA in a burst on takeover and then slowly while owning,
 * reports conflicting claims (`conflictOf`) as `conflict` events and counts requests, responses and
 * gratuitous frames per address. Sockets come from a consumer-declared port (./announcer/port.ts).
 * See docs/layer2.md "Announcer".
 */
import { EventEmitter } from 'node:events';
import { examine, type ResponderContext } from './responder.js';
import { formatMac, multicastMac, solicitedNodeAddress } from './wire/addresses.js';
import { buildGratuitousArp, buildUnsolicitedNa } from './wire/builders.js';
import { EtherType, IPV4_LENGTH, MAC_LENGTH } from './wire/constants.js';
import {
  AnnouncerError,
  resolveTiming,
  type AnnouncerOptions,
  type LinkConn,
  type LinkProtocol,
  type ResolvedTiming,
} from './announcer/port.js';
import {
  canonicalIp,
  checkInterface,
  type AnnouncerCounters,
  type AnnouncerEvents,
  type AnnouncerInterface,
  type Iface,
} from './announcer/types.js';

export * from './announcer/port.js';
export type {
  AnnouncerConflict,
  AnnouncerCounters,
  AnnouncerEvents,
  AnnouncerInterface,
  AnnouncerLinkError,
} from './announcer/types.js';

interface Owned {
  readonly bytes: Uint8Array;
  /** undefined: every interface. */
  readonly interfaces: ReadonlySet<string> | undefined;
  timer: unknown;
}

interface Links {
  arp?: LinkConn;
  ipv6?: LinkConn;
  /** Joined solicited-node multicast MACs and how many owned addresses need each. */
  readonly groups: Map<string, number>;
}

const PROTOCOLS: readonly LinkProtocol[] = ['arp', 'ipv6'];

// Untagged Ethernet + ARP (RFC 826) for IPv4: field offsets used by the fast path (#arpNotAboutUs).
const ETHERTYPE_OFFSET = 2 * MAC_LENGTH;
const BITS_PER_OCTET = 8;
const ARP_HLEN_OFFSET = 18;
const ARP_PLEN_OFFSET = 19;
const ARP_SPA_OFFSET = 28;
const ARP_TPA_OFFSET = 38;
const UNTAGGED_ARP_LENGTH = ARP_TPA_OFFSET + IPV4_LENGTH;

export class Announcer extends EventEmitter<AnnouncerEvents> {
  readonly #options: AnnouncerOptions;
  readonly #timing: ResolvedTiming;
  readonly #interfaces = new Map<string, Iface>();
  readonly #owned = new Map<string, Owned>();
  readonly #links = new Map<string, Links>();
  readonly #counters = new Map<string, AnnouncerCounters>();
  #running = false;

  constructor(options: AnnouncerOptions) {
    super();
    this.#timing = resolveTiming(options);
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#reconcile();
    for (const ip of this.#owned.keys()) this.#startBurst(ip);
  }

  stop(): void {
    this.#running = false;
    for (const owned of this.#owned.values()) this.#cancel(owned);
    for (const name of [...this.#links.keys()]) this.#closeLinks(name);
  }

  /** The interfaces the announcer may use; others are closed. New or changed ones restart the bursts. */
  setInterfaces(list: readonly AnnouncerInterface[]): void {
    if (!Array.isArray(list)) throw new AnnouncerError('interfaces', 'must be an array');
    const next = list.map(checkInterface);
    let grown = false;
    for (const name of [...this.#interfaces.keys()]) {
      if (!next.some((i) => i.name === name)) this.#interfaces.delete(name);
    }
    for (const iface of next) {
      const old = this.#interfaces.get(iface.name);
      if (old !== undefined && formatMac(old.mac) === formatMac(iface.mac) && old.ifindex === iface.ifindex) {
        continue;
      }
      if (old !== undefined) this.#closeLinks(iface.name);
      this.#interfaces.set(iface.name, iface);
      grown = true;
    }
    this.#reconcile();
    if (grown && this.#running) for (const ip of this.#owned.keys()) this.#startBurst(ip);
  }

  /** Takes over `ip` on `interfaces` (default: all): answers for it and announces it (burst, then refresh). */
  announce(ip: string, interfaces?: readonly string[]): void {
    const { text, bytes } = canonicalIp(ip);
    if (interfaces !== undefined && !Array.isArray(interfaces)) {
      throw new AnnouncerError('interfaces', 'must be an array of interface names when given');
    }
    const previous = this.#owned.get(text);
    if (previous !== undefined) this.#cancel(previous);
    const selected = interfaces === undefined ? undefined : new Set(interfaces);
    this.#owned.set(text, { bytes, interfaces: selected, timer: undefined });
    if (!this.#counters.has(text)) {
      this.#counters.set(text, { requestsReceived: 0, responsesSent: 0, gratuitousSent: 0 });
    }
    this.#reconcile();
    if (this.#running) this.#startBurst(text);
  }

  /** Stops answering for and announcing `ip` at once. */
  withdraw(ip: string): void {
    const { text } = canonicalIp(ip);
    const owned = this.#owned.get(text);
    if (owned === undefined) return;
    this.#cancel(owned);
    this.#owned.delete(text);
    this.#reconcile();
  }

  /** Whether `ip` is announced on interface `ifaceName` right now. */
  owns(ip: string, ifaceName: string): boolean {
    const owned = this.#owned.get(ip);
    if (owned === undefined || !this.#interfaces.has(ifaceName)) return false;
    return owned.interfaces === undefined || owned.interfaces.has(ifaceName);
  }

  /** Counters per address (canonical text) ever announced; copies. */
  stats(): Record<string, AnnouncerCounters> {
    const out: Record<string, AnnouncerCounters> = {};
    for (const [ip, c] of this.#counters) out[ip] = { ...c };
    return out;
  }

  #cancel(owned: Owned): void {
    if (owned.timer !== undefined) this.#options.clock.clearTimeout(owned.timer);
    owned.timer = undefined;
  }

  #startBurst(ip: string): void {
    const owned = this.#owned.get(ip);
    if (owned === undefined) return;
    this.#cancel(owned);
    const offsets = this.#timing.burstOffsetsMs;
    const step = (index: number): void => {
      owned.timer = undefined;
      this.#sendGratuitous(ip, owned);
      const next = offsets[index + 1];
      const delay = next === undefined ? this.#timing.refreshIntervalMs : next - (offsets[index] ?? 0);
      const nextIndex = next === undefined ? index : index + 1;
      owned.timer = this.#options.clock.setTimeout(() => step(nextIndex), delay);
    };
    const first = offsets[0] ?? 0;
    if (first === 0) step(0);
    else owned.timer = this.#options.clock.setTimeout(() => step(0), first);
  }

  #sendGratuitous(ip: string, owned: Owned): void {
    const counters = this.#counters.get(ip);
    for (const iface of this.#interfaces.values()) {
      if (!this.owns(ip, iface.name)) continue;
      const links = this.#links.get(iface.name);
      const frames =
        owned.bytes.length === IPV4_LENGTH
          ? [
              buildGratuitousArp(owned.bytes, iface.mac, 'request'),
              buildGratuitousArp(owned.bytes, iface.mac, 'reply'),
            ]
          : [buildUnsolicitedNa(owned.bytes, iface.mac)];
      const conn = owned.bytes.length === IPV4_LENGTH ? links?.arp : links?.ipv6;
      for (const frame of frames) {
        if (conn !== undefined && counters !== undefined && this.#send(iface.name, conn, frame)) {
          counters.gratuitousSent++;
        }
      }
    }
  }

  #send(name: string, conn: LinkConn, frame: Uint8Array): boolean {
    try {
      return conn.send(frame);
    } catch (error) {
      this.#linkError(name, conn === this.#links.get(name)?.arp ? 'arp' : 'ipv6', error, false);
      return false;
    }
  }

  #onFrame(iface: Iface, protocol: LinkProtocol, frame: Uint8Array): void {
    const links = this.#links.get(iface.name);
    const conn = links?.[protocol];
    if (!this.#running || conn === undefined || this.#interfaces.get(iface.name) !== iface) return;
    if (protocol === 'arp' && this.#arpNotAboutUs(frame, iface.name)) return;
    let asked: string | undefined;
    const ctx: ResponderContext = {
      ifaceMac: iface.mac,
      ifaceName: iface.name,
      owned: (ip, name) => {
        const yes = this.owns(ip, name);
        if (yes) asked = ip;
        return yes;
      },
    };
    const { decision, conflict } = examine(frame, ctx);
    if (conflict !== undefined) this.emit('conflict', { ...conflict, interface: iface.name });
    // A reply is only decided after `owned` said yes to the asked address: `asked` is that address.
    if (decision.kind !== 'reply' || asked === undefined) return;
    const counters = this.#counters.get(asked);
    if (counters === undefined) return;
    counters.requestsReceived++;
    if (this.#send(iface.name, conn, decision.frame)) counters.responsesSent++;
  }

  /**
   * Fast path for the common case on a busy LAN: an untagged Ethernet/IPv4 ARP frame whose sender and
   * target addresses are both not announced on this interface needs no reply and is no conflict, so it
   * is dropped without decoding. Anything else goes through the responder.
   */
  #arpNotAboutUs(frame: Uint8Array, ifaceName: string): boolean {
    if (frame.length < UNTAGGED_ARP_LENGTH) return false;
    const etherType = ((frame[ETHERTYPE_OFFSET] ?? 0) << BITS_PER_OCTET) | (frame[ETHERTYPE_OFFSET + 1] ?? 0);
    if (etherType !== EtherType.ARP) return false;
    if (frame[ARP_HLEN_OFFSET] !== MAC_LENGTH || frame[ARP_PLEN_OFFSET] !== IPV4_LENGTH) return false;
    const ip = (at: number): string => `${frame[at]}.${frame[at + 1]}.${frame[at + 2]}.${frame[at + 3]}`;
    return !this.owns(ip(ARP_SPA_OFFSET), ifaceName) && !this.owns(ip(ARP_TPA_OFFSET), ifaceName);
  }

  #linkError(name: string, protocol: LinkProtocol, error: unknown, fatal: boolean): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.emit('linkError', { interface: name, protocol, error: err, fatal });
  }

  /** Opens, joins, leaves and closes so that sockets and groups match the owned addresses. */
  #reconcile(): void {
    for (const name of [...this.#links.keys()]) {
      if (!this.#interfaces.has(name) || !this.#running) this.#closeLinks(name);
    }
    if (!this.#running) return;
    for (const iface of this.#interfaces.values()) {
      const wanted = new Map<string, number>();
      const need = { arp: false, ipv6: false };
      for (const [ip, owned] of this.#owned) {
        if (!this.owns(ip, iface.name)) continue;
        if (owned.bytes.length === IPV4_LENGTH) need.arp = true;
        else {
          need.ipv6 = true;
          const group = formatMac(multicastMac(solicitedNodeAddress(owned.bytes)));
          wanted.set(group, (wanted.get(group) ?? 0) + 1);
        }
      }
      this.#reconcileInterface(iface, need, wanted);
    }
  }

  #reconcileInterface(iface: Iface, need: Record<LinkProtocol, boolean>, wanted: Map<string, number>): void {
    let links = this.#links.get(iface.name);
    if (links === undefined) {
      links = { groups: new Map() };
      this.#links.set(iface.name, links);
    }
    for (const protocol of PROTOCOLS) {
      if (need[protocol] && links[protocol] === undefined) links[protocol] = this.#open(iface, protocol);
    }
    const conn = links.ipv6;
    for (const group of [...links.groups.keys()]) {
      if (wanted.has(group)) continue;
      links.groups.delete(group);
      if (conn !== undefined) this.#membership(iface.name, conn, group, false);
    }
    for (const [group, count] of wanted) {
      if (conn === undefined) break;
      if (!links.groups.has(group) && !this.#membership(iface.name, conn, group, true)) continue;
      links.groups.set(group, count);
    }
    // Groups are left before an unneeded connection is closed (closing would drop them anyway).
    for (const protocol of PROTOCOLS) {
      if (!need[protocol] && links[protocol] !== undefined) this.#closeConn(iface.name, links, protocol);
    }
  }

  #membership(name: string, conn: LinkConn, group: string, join: boolean): boolean {
    try {
      if (join) conn.addMembership(group);
      else conn.dropMembership(group);
      return true;
    } catch (error) {
      this.#linkError(name, 'ipv6', error, false);
      return false;
    }
  }

  #open(iface: Iface, protocol: LinkProtocol): LinkConn | undefined {
    const filter = this.#options.filters?.[protocol];
    const options = { interface: iface.name, protocol, ...(filter === undefined ? {} : { filter }) };
    try {
      return this.#options.link.open(
        options,
        (frame) => this.#onFrame(iface, protocol, frame),
        (error, fatal) => this.#onLinkError(iface.name, protocol, error, fatal),
      );
    } catch (error) {
      this.#linkError(iface.name, protocol, error, true);
      return undefined;
    }
  }

  #onLinkError(name: string, protocol: LinkProtocol, error: Error, fatal: boolean): void {
    const links = this.#links.get(name);
    if (fatal && links !== undefined) this.#closeConn(name, links, protocol);
    this.#linkError(name, protocol, error, fatal);
  }

  #closeConn(name: string, links: Links, protocol: LinkProtocol): void {
    const conn = links[protocol];
    delete links[protocol];
    if (protocol === 'ipv6') links.groups.clear();
    try {
      conn?.close();
    } catch (error) {
      this.#linkError(name, protocol, error, false);
    }
  }

  #closeLinks(name: string): void {
    const links = this.#links.get(name);
    if (links === undefined) return;
    for (const protocol of PROTOCOLS) this.#closeConn(name, links, protocol);
    this.#links.delete(name);
  }
}
