/**
 * One membership agent in a child process, so the namespace test (membership-udp.test.ts) can run each
 * speaker inside its own network namespace (`ip netns exec NS node --import tsx membership-node.ts INIT`).
 * INIT is a JSON object: { self, bind: { address, port }, key (text), peers, config, incarnation }.
 * Every event is a JSON line on stdout ({"event":"memberDown","name":"node-3","t":1234}); SIGTERM makes a
 * graceful leave, then stop, then exit 0.
 */
import type { MembershipConfig } from '../../../src/core/membership/index.js';
import { MembershipAgent, type MembershipPeer } from '../../../src/speaker/membership-agent.js';

interface Init {
  readonly self: string;
  readonly bind: { readonly address: string; readonly port: number };
  readonly key: string;
  readonly peers: readonly MembershipPeer[];
  readonly config?: Partial<MembershipConfig>;
  readonly incarnation?: number;
}

const init = JSON.parse(process.argv[2] ?? '{}') as Init;
const out = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ ...line, t: Date.now() })}\n`);
};

const agent = new MembershipAgent({
  self: init.self,
  bind: init.bind,
  key: new TextEncoder().encode(init.key),
  ...(init.config ? { config: init.config } : {}),
  ...(init.incarnation !== undefined ? { incarnation: init.incarnation } : {}),
});
agent.on('memberUp', (name) => out({ event: 'memberUp', name }));
agent.on('memberDown', (name) => out({ event: 'memberDown', name }));
agent.on('memberLeft', (name, reason) => out({ event: 'memberLeft', name, reason }));
agent.on('change', (live) => out({ event: 'change', live: [...live].sort() }));
agent.on('error', (error) => out({ event: 'error', message: error.message }));

process.once('SIGTERM', () => {
  void agent
    .leave()
    .then(() => agent.stop())
    .then(() => {
      out({ event: 'exit', stats: agent.stats() });
      process.exit(0);
    });
});

await agent.start();
agent.setPeers(init.peers);
out({ event: 'ready', live: [...agent.live()].sort() });
