/**
 * The ports of a `herald peer-check` run: transport, clocks, BFD ports and the local-address lookup it
 * is given, and where its output goes. Implemented by src/cli/peer-check.ts and by tests.
 */
import type { BfdServiceInit } from '../../bgp/bfd/index.js';
import type { Clock, TcpTransport } from '../../bgp/index.js';

export interface PeerCheckEnvironment {
  readonly transport: TcpTransport;
  /** Shown in the output: 'native' (TCP MD5/TTL/GTSM) or 'node:net'. */
  readonly transportName: string;
  readonly clock: Clock;
  /** Wall-clock time for the `time` field of each line. */
  readonly wallClock: () => Date;
  /** BFD ports and bind addresses (tests); default the RFC 5881/5883 ports. */
  readonly bfdService?: BfdServiceInit;
  /** The local IPv4 address the kernel would use towards `peer` (for the default router ID). */
  readonly localAddressTowards: (peer: string, port: number) => Promise<string>;
}

export interface PeerCheckOutput {
  /** One JSON line on stdout. */
  line(text: string): void;
  /** A message on stderr. */
  error(text: string): void;
}
