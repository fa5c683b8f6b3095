/**
 * Who uses which address: one record per address in use (its range, its sharing and backend keys, its
 * users), the sharing rules of MetalLB's checkSharing/sharingOK, and an index of addresses by
 * (sharing key, backend key) so a sharing service finds the lowest compatible shared address in O(s),
 * where s is the number of addresses carrying its keys. Keeps each range's used set in step. Pure.
 */
import type { IpAddress } from '../ip/index.js';
import { errors } from './errors.js';
import type { PoolState, RangeState } from './pool-state.js';
import type { NormalizedRequest } from './request.js';
import type { AllocationError, ServicePort } from './types.js';

/** One Service's assignment: its normalised request plus where its addresses are. */
export interface ServiceRecord extends NormalizedRequest {
  readonly ips: readonly IpAddress[];
  readonly pool: PoolState;
}

export interface Location {
  readonly pool: PoolState;
  readonly range: RangeState;
  readonly offset: bigint;
}

interface IpRecord {
  readonly ip: IpAddress;
  readonly range: RangeState;
  readonly sharingKey: string;
  readonly backendKey: string;
  readonly users: ServiceRecord[];
}

function groupKey(sharingKey: string, backendKey: string): string {
  return `${sharingKey}\u0000${backendKey}`;
}

/** IPv4 records are keyed by number (cheap to hash), IPv6 ones by bigint. */
export class IpTable {
  private readonly v4 = new Map<number, IpRecord>();
  private readonly v6 = new Map<bigint, IpRecord>();
  private readonly groups = new Map<string, Set<IpRecord>>();

  private get(ip: IpAddress): IpRecord | undefined {
    return ip.family === 'IPv4' ? this.v4.get(Number(ip.value)) : this.v6.get(ip.value);
  }

  private set(ip: IpAddress, rec: IpRecord): void {
    if (ip.family === 'IPv4') this.v4.set(Number(ip.value), rec);
    else this.v6.set(ip.value, rec);
  }

  private drop(ip: IpAddress): void {
    if (ip.family === 'IPv4') this.v4.delete(Number(ip.value));
    else this.v6.delete(ip.value);
  }

  /** Keys of the services using ip, in assignment order. */
  usersOf(ip: IpAddress): string[] {
    return this.get(ip)?.users.map((u) => u.key) ?? [];
  }

  /** Number of addresses in use (all pools). */
  get size(): number {
    return this.v4.size + this.v6.size;
  }

  /** Why the service may not use ip given its current users, or undefined when it may. */
  conflict(ip: IpAddress, n: NormalizedRequest): AllocationError | undefined {
    const rec = this.get(ip);
    return rec === undefined ? undefined : sharingProblem(rec, n);
  }

  /** Records that svc uses ip at loc; the caller has checked conflict(). */
  add(ip: IpAddress, loc: Location, svc: ServiceRecord): void {
    const existing = this.get(ip);
    if (existing !== undefined) {
      existing.users.push(svc);
      return;
    }
    const rec: IpRecord = {
      ip,
      range: loc.range,
      sharingKey: svc.sharingKey,
      backendKey: svc.backendKey,
      users: [svc],
    };
    this.set(ip, rec);
    loc.range.used.add(loc.offset);
    if (rec.sharingKey !== '') {
      const g = groupKey(rec.sharingKey, rec.backendKey);
      let set = this.groups.get(g);
      if (set === undefined) this.groups.set(g, (set = new Set()));
      set.add(rec);
    }
  }

  /** Drops svc from every address it uses, freeing addresses left without users. */
  remove(svc: ServiceRecord): void {
    for (const ip of svc.ips) {
      const rec = this.get(ip);
      if (rec === undefined) continue;
      const i = rec.users.indexOf(svc);
      if (i >= 0) rec.users.splice(i, 1);
      if (rec.users.length > 0) continue;
      this.drop(ip);
      rec.range.used.delete(rec.range.offsetOf(ip)!);
      if (rec.sharingKey !== '') {
        const g = groupKey(rec.sharingKey, rec.backendKey);
        const set = this.groups.get(g)!;
        set.delete(rec);
        if (set.size === 0) this.groups.delete(g);
      }
    }
  }

  /** The lowest address of range already used with n's keys whose users' ports do not overlap n's. */
  lowestShared(range: RangeState, n: NormalizedRequest): bigint | undefined {
    if (n.sharingKey === '') return undefined;
    const set = this.groups.get(groupKey(n.sharingKey, n.backendKey));
    if (set === undefined) return undefined;
    let best: bigint | undefined;
    for (const rec of set) {
      if (rec.range !== range || (best !== undefined && rec.ip.value >= best)) continue;
      if (portClash(rec, n) === undefined) best = rec.ip.value;
    }
    return best;
  }

  clear(): void {
    this.v4.clear();
    this.v6.clear();
    this.groups.clear();
  }
}

function portClash(rec: IpRecord, n: NormalizedRequest): { port: ServicePort; user: string } | undefined {
  for (const user of rec.users) {
    for (const port of n.ports) {
      if (user.ports.some((q) => q.port === port.port && q.protocol === port.protocol)) {
        return { port, user: user.key };
      }
    }
  }
  return undefined;
}

/** MetalLB sharingOK + port check: same non-empty sharing key, same backend key, disjoint ports. */
function sharingProblem(rec: IpRecord, n: NormalizedRequest): AllocationError | undefined {
  const users = rec.users.map((u) => u.key);
  if (rec.sharingKey === '') return errors.ipInUse(rec.ip, users, 'existing');
  if (n.sharingKey === '') return errors.ipInUse(rec.ip, users, 'new');
  if (rec.sharingKey !== n.sharingKey) {
    return errors.sharingKeyMismatch(rec.ip, n.sharingKey, rec.sharingKey, users);
  }
  if (rec.backendKey !== n.backendKey) return errors.backendKeyMismatch(rec.ip, users);
  const clash = portClash(rec, n);
  return clash === undefined ? undefined : errors.portConflict(rec.ip, clash.port, clash.user);
}
