/**
 * StatusLog: follows every Service change through one list + watch (resuming from the last
 * resourceVersion when a stream ends) and replays it in resourceVersion order, checking after every
 * single write that no address is held by two Services unless both carry the same non-empty sharing key.
 * A missed stretch (410 Expired) is recorded as a gap, so a test can tell "no violation" from "not seen".
 */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';

interface Held {
  readonly ips: readonly string[];
  readonly sharingKey: string;
}

type Obj = {
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
};

function keyOf(o: Obj): string {
  return `${o.metadata?.namespace}/${o.metadata?.name}`;
}

function heldBy(o: Obj): Held {
  const ips = (o.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => ip !== '');
  const a = o.metadata?.annotations ?? {};
  return {
    ips,
    sharingKey: a['metallb.io/allow-shared-ip'] ?? a['metallb.universe.tf/allow-shared-ip'] ?? '',
  };
}

export class StatusLog {
  readonly state = new Map<string, Held>();
  readonly violations: string[] = [];
  /** Changes of some Service's addresses that were observed. */
  ingressWrites = 0;
  events = 0;
  gaps = 0;
  private rv = '';
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly base: string) {}

  async start(): Promise<void> {
    const res = await fetch(`${this.base}/api/v1/services`);
    const list = (await res.json()) as { metadata: { resourceVersion: string }; items: Obj[] };
    for (const item of list.items) this.apply('ADDED', item);
    this.rv = list.metadata.resourceVersion;
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** Addresses held by more than one non-sharing Service in the current state. */
  conflictsNow(): string[] {
    const holders = new Map<string, string[]>();
    for (const [key, held] of this.state)
      for (const ip of held.ips) holders.set(ip, [...(holders.get(ip) ?? []), key]);
    return [...holders]
      .filter(([, keys]) => keys.length > 1 && !this.mayShare(keys))
      .map(([ip, keys]) => `${ip}: ${keys.join(', ')}`);
  }

  private mayShare(keys: readonly string[]): boolean {
    const sharing = new Set(keys.map((k) => this.state.get(k)?.sharingKey ?? ''));
    return sharing.size === 1 && !sharing.has('');
  }

  private apply(type: string, o: Obj): void {
    const key = keyOf(o);
    if (type === 'DELETED') {
      this.state.delete(key);
      return;
    }
    const held = heldBy(o);
    const before = this.state.get(key);
    if (before === undefined || before.ips.join(',') !== held.ips.join(',')) this.ingressWrites++;
    this.state.set(key, held);
    for (const ip of held.ips) {
      const users = [...this.state].filter(([, h]) => h.ips.includes(ip)).map(([k]) => k);
      if (users.length > 1 && !this.mayShare(users)) {
        this.violations.push(`rv ${o.metadata?.resourceVersion}: ${ip} held by ${users.join(', ')}`);
      }
    }
  }

  private async follow(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.watchOnce();
      } catch {
        if (this.abort.signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async watchOnce(): Promise<void> {
    const url = `${this.base}/api/v1/services?watch=1&resourceVersion=${this.rv}&timeoutSeconds=60`;
    const res = await fetch(url, { signal: this.abort.signal });
    if (!res.ok || res.body === null) throw new Error(`watch: ${res.status}`);
    const input = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
    input.on('error', () => undefined);
    const lines = createInterface({ input });
    lines.on('error', () => undefined);
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const event = JSON.parse(line) as { type: string; object: Obj & { code?: number } };
      if (event.type === 'ERROR') {
        this.gaps++;
        const fresh = await (await fetch(`${this.base}/api/v1/services`)).json();
        this.state.clear();
        for (const item of (fresh as { items: Obj[] }).items) this.apply('ADDED', item);
        this.rv = (fresh as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
        return;
      }
      if (event.type === 'BOOKMARK') {
        this.rv = event.object.metadata?.resourceVersion ?? this.rv;
        continue;
      }
      this.events++;
      this.apply(event.type, event.object);
      this.rv = event.object.metadata?.resourceVersion ?? this.rv;
    }
  }
}
