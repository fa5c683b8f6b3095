/**
 * `herald peer-check`: opens a BGP session to a router with the given identity, announces prefixes with
 * communities, and prints what happens as JSON lines (state changes with reasons, the router's OPEN and
 * capabilities, negotiated timers and families, routes sent and received, NOTIFICATIONs, BFD). Exit status
 * 0 when the session was Established and stayed up for --duration, 1 when it failed, 2 for bad flags.
 * This module is the composition root of the check: it picks the TCP transport (the native addon for TCP
 * MD5, TTL and GTSM) and the clocks; the work is in ./peer-check/.
 */
import { createSocket } from 'node:dgram';

import { nodeTcpTransport, systemClock, type TcpTransport } from '../bgp/index.js';
import { nativeTcpTransport } from '../platform/bgp-transport.js';
import { loadNative } from '../platform/native.js';
import type { Command, CommandIo } from './command.js';
import {
  DEFAULT_BFD_INTERVAL_MS,
  DEFAULT_BFD_MULTIPLIER,
  DEFAULT_DURATION_S,
  DEFAULT_HOLD_S,
  DEFAULT_PORT,
  DEFAULT_TIMEOUT_S,
  parsePeerCheckArgs,
  type PeerCheckArgs,
} from './peer-check/args.js';
import { message, runPeerCheck } from './peer-check/runner.js';

const USAGE = `Usage: herald peer-check --peer ADDR --peer-asn N --my-asn N [flags]

Opens a BGP session to a router the way Herald would, announces the given prefixes, and prints one JSON
object per line: start, state changes with their reasons, the router's OPEN (AS, router ID, hold time,
capabilities by name), what was negotiated, routes sent and End-of-RIB, NOTIFICATIONs (code and subcode
names, shutdown communication), BFD state changes, and a final "result" line with the routes received
per family. Exit status: 0 the session was Established and stayed up for --duration (or was stopped
early with Ctrl-C once Established); 1 it failed (the reason is also printed on stderr); 2 bad flags.
See docs/peer-check.md.

Session:
  --peer ADDR            the router's IPv4 or IPv6 address (required)
  --peer-asn N           the router's AS number, 1..4294967295 (required)
  --my-asn N             our AS number (required); equal to --peer-asn for iBGP
  --router-id ID         our BGP Identifier (default: --source, or our IPv4 address towards the peer)
  --password P           TCP MD5 password (RFC 2385); use --password=P if P starts with '-'
  --hold S               hold time to propose: 0 or 3..65535 seconds (default ${DEFAULT_HOLD_S})
  --keepalive S          keepalive interval in seconds (default a third of the negotiated hold time)
  --multihop N           eBGP multihop: send with TTL N (1..255); BFD runs multihop when N > 1
  --ttl-security N       GTSM (RFC 5082): TTL 255, accept only packets from at most N hops away
  --source ADDR          local address to connect from (or to listen on with --passive)
  --port N               the router's BGP port, or the port to listen on with --passive (default ${DEFAULT_PORT})
  --passive              wait for the router to connect instead of connecting
Routes:
  --announce PREFIX      a prefix to announce (e.g. 203.0.113.10/32); repeatable
  --community C          on every announced prefix, MetalLB syntax: AA:NN, large:A:B:C, or a well-known
                         name (no-export, no-advertise, blackhole, ...); repeatable
  --local-pref N         LOCAL_PREF of the announced prefixes (iBGP only)
  --next-hop ADDR        next hop for the prefixes of ADDR's family (IPv6 prefixes over an IPv4 session
                         need one); at most one IPv4 and one IPv6
BFD:
  --bfd                  run BFD (RFC 5880) with the router; BFD Down tears BGP down (Cease / BFD Down)
  --bfd-rx MS            required minimum receive interval, 10..60000 ms (default ${DEFAULT_BFD_INTERVAL_MS})
  --bfd-tx MS            desired minimum transmit interval, 10..60000 ms (default ${DEFAULT_BFD_INTERVAL_MS})
  --bfd-multiplier N     detection multiplier, 2..255 (default ${DEFAULT_BFD_MULTIPLIER})
Check:
  --duration S           how long the session must stay Established (default ${DEFAULT_DURATION_S} s)
  --timeout S            how long to wait for Established, connect included (default ${DEFAULT_TIMEOUT_S} s)
`;

/** The native transport when MD5, TTL or GTSM is asked for (throws NativeAddonError if not built). */
export function chooseTransport(args: PeerCheckArgs): { transport: TcpTransport; name: string } {
  const needsNative =
    args.password !== undefined || args.multihop !== undefined || args.ttlSecurity !== undefined;
  if (!needsNative) return { transport: nodeTcpTransport, name: 'node:net' };
  loadNative();
  return { transport: nativeTcpTransport, name: 'native' };
}

/** The local address the kernel picks towards `peer` (a connected UDP socket sends nothing). */
function localAddressTowards(peer: string, port: number): Promise<string> {
  const socket = createSocket(peer.includes(':') ? 'udp6' : 'udp4');
  return new Promise<string>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, peer, () => resolve(socket.address().address));
  }).finally(() => socket.close());
}

async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parsePeerCheckArgs(argv);
  let chosen: { transport: TcpTransport; name: string };
  try {
    chosen = chooseTransport(args);
  } catch (error) {
    io.stderr.write(`herald peer-check: ${message(error)}\n`);
    return 1;
  }
  return runPeerCheck(
    args,
    {
      transport: chosen.transport,
      transportName: chosen.name,
      clock: systemClock,
      wallClock: () => new Date(),
      localAddressTowards,
    },
    { line: (text) => io.stdout.write(`${text}\n`), error: (text) => io.stderr.write(`${text}\n`) },
    io.signal,
  );
}

export const peerCheckCommand: Command = {
  name: 'peer-check',
  summary: 'open a BGP session to a router and report what it negotiates, to check its configuration',
  usage: USAGE,
  run,
};
