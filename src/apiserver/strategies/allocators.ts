/**
 * Allocators for what a Service gets from the cluster: cluster IPs from a service CIDR per family
 * (default 10.96.0.0/12 and fd00:10:96::/112) and node ports from 30000-32767. Allocation is sequential
 * from a rotating cursor (the real server picks at random); reservations of explicit values are checked.
 * An `AllocationTxn` records what one request took so a failed or dry-run request gives it back.
 */
import { formatIp, parseCidr, parseIp, type IpFamily, type IpRange } from '../../core/ip/index.js';

export const DEFAULT_SERVICE_CIDRS: readonly string[] = ['10.96.0.0/12', 'fd00:10:96::/112'];
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export type ReserveResult = 'ok' | 'taken' | 'out-of-range' | 'invalid';

export class CidrAllocator {
  readonly family: IpFamily;
  private readonly range: IpRange;
  private readonly used = new Set<bigint>();
  private cursor: bigint;

  constructor(readonly cidr: string) {
    const parsed = parseCidr(cidr);
    if (!parsed.ok) throw new RangeError(`service CIDR ${cidr}: ${parsed.reason}`);
    this.range = parsed.range;
    this.family = parsed.range.family;
    this.cursor = this.first();
  }

  /** The network address is never handed out; for IPv4 neither is the broadcast address. */
  private first(): bigint {
    return this.range.first + 1n;
  }
  private last(): bigint {
    return this.family === 'IPv4' ? this.range.last - 1n : this.range.last;
  }

  contains(ip: string): boolean {
    const a = parseIp(ip);
    return a !== undefined && a.family === this.family && a.value >= this.first() && a.value <= this.last();
  }

  allocate(): string | undefined {
    const size = this.last() - this.first() + 1n;
    for (let n = 0n; n < size; n++) {
      const v = this.cursor;
      this.cursor = v >= this.last() ? this.first() : v + 1n;
      if (!this.used.has(v)) {
        this.used.add(v);
        return formatIp({ family: this.family, value: v });
      }
    }
    return undefined;
  }

  reserve(ip: string): ReserveResult {
    const a = parseIp(ip);
    if (!a) return 'invalid';
    if (!this.contains(ip)) return 'out-of-range';
    if (this.used.has(a.value)) return 'taken';
    this.used.add(a.value);
    return 'ok';
  }

  release(ip: string): void {
    const a = parseIp(ip);
    if (a && a.family === this.family) this.used.delete(a.value);
  }

  get allocatedCount(): number {
    return this.used.size;
  }
}

export class PortAllocator {
  private readonly used = new Set<number>();
  private cursor: number;
  constructor(
    readonly min = NODE_PORT_MIN,
    readonly max = NODE_PORT_MAX,
  ) {
    this.cursor = min;
  }

  allocate(): number | undefined {
    for (let n = 0; n <= this.max - this.min; n++) {
      const p = this.cursor;
      this.cursor = p >= this.max ? this.min : p + 1;
      if (!this.used.has(p)) {
        this.used.add(p);
        return p;
      }
    }
    return undefined;
  }

  reserve(port: number): ReserveResult {
    if (!Number.isInteger(port)) return 'invalid';
    if (port < this.min || port > this.max) return 'out-of-range';
    if (this.used.has(port)) return 'taken';
    this.used.add(port);
    return 'ok';
  }

  release(port: number): void {
    this.used.delete(port);
  }

  isUsed(port: number): boolean {
    return this.used.has(port);
  }
}

/** What one request allocated; rollback() returns it all, for failed and dry-run requests. */
export class AllocationTxn {
  private readonly undo: Array<() => void> = [];
  private readonly afterCommit: Array<() => void> = [];

  took(release: () => void): void {
    this.undo.push(release);
  }

  /** Releases to perform only when the request commits (values the new object no longer uses). */
  releaseOnCommit(release: () => void): void {
    this.afterCommit.push(release);
  }

  rollback(): void {
    for (const f of this.undo.reverse()) f();
    this.undo.length = 0;
    this.afterCommit.length = 0;
  }

  commit(): void {
    for (const f of this.afterCommit) f();
    this.undo.length = 0;
    this.afterCommit.length = 0;
  }
}

/** The cluster-wide allocation state Services draw from. */
export class ServiceAllocators {
  readonly ips: ReadonlyMap<IpFamily, CidrAllocator>;
  readonly nodePorts = new PortAllocator();

  constructor(cidrs: readonly string[] = DEFAULT_SERVICE_CIDRS) {
    const map = new Map<IpFamily, CidrAllocator>();
    for (const c of cidrs) {
      const a = new CidrAllocator(c);
      if (map.has(a.family)) throw new RangeError(`more than one ${a.family} service CIDR`);
      map.set(a.family, a);
    }
    if (map.size === 0) throw new RangeError('at least one service CIDR is required');
    this.ips = map;
  }

  /** The cluster's primary family (the first CIDR's). */
  get primaryFamily(): IpFamily {
    return [...this.ips.keys()][0]!;
  }

  get dualStack(): boolean {
    return this.ips.size === 2;
  }
}
