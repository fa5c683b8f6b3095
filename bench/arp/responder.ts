/**
 * bench:arp's Herald side, run inside the responder namespace (`ip netns exec NS node --import tsx
 * bench/arp/responder.ts --interface r0 --vip 192.0.2.200`): the Layer 2 Announcer with the real AF_PACKET
 * sockets and ARP_FILTER, wired as src/speaker/main.ts wires it (its receive buffer
 * as --receive-buffer BYTES gives it), owning --vip, an address on no interface. Answers `stats` commands on
 * stdin with the announcer's counters, the ARP socket's PACKET_STATISTICS and /proc/self/schedstat;
 * exits when stdin closes, on `quit`, or after --lifetime-ms.
 */
import { parseArgs } from 'node:util';

import { Announcer, type LinkOpenOptions } from '../../src/l2/announcer.js';
import { ARP_FILTER, ICMPV6_ND_FILTER } from '../../src/platform/bpf.js';
import { readInterface } from '../../src/platform/interfaces.js';
import { openPacketSocket, type PacketSocket } from '../../src/platform/packet-socket.js';
import { answer, readLines, readSchedstat, type ChildCommand, type ResponderStats } from './protocol.js';

const { values } = parseArgs({
  options: {
    interface: { type: 'string', default: 'r0' },
    vip: { type: 'string', default: '192.0.2.200' },
    'lifetime-ms': { type: 'string', default: '600000' },
    /** SO_RCVBUFFORCE for the announcer's sockets; default: the kernel's (net.core.rmem_default). */
    'receive-buffer': { type: 'string' },
  },
});
const receiveBufferBytes =
  values['receive-buffer'] === undefined ? undefined : Number(values['receive-buffer']);
const ifname = values.interface;
const iface = await readInterface(ifname);
if (iface.mac === undefined) throw new Error(`${ifname} has no MAC address`);

let arpSocket: PacketSocket | undefined;
const announcer = new Announcer({
  link: {
    open(options: LinkOpenOptions, onFrame, onError) {
      const sized = receiveBufferBytes === undefined ? options : { ...options, receiveBufferBytes };
      const socket = openPacketSocket(sized, onFrame, onError);
      if (options.protocol === 'arp') arpSocket = socket;
      return socket;
    },
  },
  clock: {
    setTimeout: (cb, ms) => setTimeout(cb, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  },
  filters: { arp: ARP_FILTER, ipv6: ICMPV6_ND_FILTER },
});
announcer.on('conflict', (c) => answer({ event: 'conflict', ...c }));
announcer.on('linkError', (e) =>
  answer({ event: 'linkError', interface: e.interface, error: e.error.message }),
);
announcer.setInterfaces([{ name: ifname, mac: iface.mac, ifindex: iface.ifindex }]);
announcer.start();
announcer.announce(values.vip);

function stats(): ResponderStats {
  const counters = announcer.stats()[values.vip];
  const socket = arpSocket?.stats();
  return {
    requestsReceived: counters?.requestsReceived ?? 0,
    responsesSent: counters?.responsesSent ?? 0,
    socketPackets: socket?.packets ?? 0,
    socketDrops: socket?.drops ?? 0,
    receiveBufferBytes: arpSocket?.receiveBufferBytes() ?? 0,
    sched: readSchedstat(),
  };
}

const quit = (code: number): never => {
  announcer.stop();
  process.exit(code);
};
setTimeout(() => quit(1), Number(values['lifetime-ms'])).unref();
readLines(process.stdin, (line) => {
  try {
    const cmd = JSON.parse(line) as ChildCommand;
    if (cmd.cmd === 'quit') quit(0);
    else if (cmd.cmd === 'stats') answer(stats());
    else answer({ error: `unknown command ${String(cmd.cmd)}` });
  } catch (error) {
    answer({ error: error instanceof Error ? error.message : String(error) });
  }
});
process.stdin.on('end', () => quit(0));
answer({ event: 'ready', mac: iface.mac, receiveBufferBytes: stats().receiveBufferBytes });
