/**
 * A scripted BGP peer for session tests: a TCP listener on loopback that records every message the
 * session sends (decoded with the codec) and sends whatever the test tells it to, including raw bytes.
 */
import net from 'node:net';

import { decodeMessage, encodeMessage } from '../../../../src/bgp/codec.js';
import { Afi, Safi } from '../../../../src/bgp/constants.js';
import { MessageFramer } from '../../../../src/bgp/wire/framer.js';
import type { BgpMessage, CodecContext, OpenMessage } from '../../../../src/bgp/types.js';
import { DEFAULT_CODEC_CONTEXT } from '../../../../src/bgp/types.js';

export const PEER_CODEC: CodecContext = { ...DEFAULT_CODEC_CONTEXT, fourOctetAs: true };

export function peerOpen(overrides: Partial<OpenMessage> = {}): OpenMessage {
  return {
    type: 'open',
    version: 4,
    myAs: 65002,
    holdTime: 90,
    bgpId: 0x0a000002,
    capabilities: [
      { kind: 'multiprotocol', afi: Afi.IPV4, safi: Safi.UNICAST },
      { kind: 'multiprotocol', afi: Afi.IPV6, safi: Safi.UNICAST },
      { kind: 'route-refresh' },
      { kind: 'four-octet-as', asn: 65002 },
    ],
    ...overrides,
  };
}

export async function until(what: string, cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export class RawPeer {
  readonly received: BgpMessage[] = [];
  socket: net.Socket | undefined;
  closed = false;
  /** Our FIN arrived. */
  ended = false;
  #server: net.Server | undefined;
  #codec: CodecContext = PEER_CODEC;

  /** With `allowHalfOpen`, the peer keeps its side open after our FIN (a slow or stuck peer). */
  constructor(
    readonly port: number,
    private readonly options: { allowHalfOpen?: boolean } = {},
  ) {}

  async listen(): Promise<void> {
    const server = net.createServer({ allowHalfOpen: this.options.allowHalfOpen ?? false }, (socket) =>
      this.#accept(socket),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: this.port }, resolve);
    });
    this.#server = server;
  }

  #accept(socket: net.Socket): void {
    this.socket = socket;
    this.closed = false;
    const framer = new MessageFramer(65535);
    socket.on('data', (chunk) => {
      for (const frame of framer.push(chunk)) this.received.push(decodeMessage(frame, this.#codec).message);
    });
    socket.on('error', () => undefined);
    socket.on('end', () => {
      this.ended = true;
    });
    socket.on('close', () => {
      this.closed = true;
    });
  }

  send(message: BgpMessage): void {
    this.socket?.write(encodeMessage(message, this.#codec));
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket?.write(bytes);
  }

  of<T extends BgpMessage['type']>(type: T): Extract<BgpMessage, { type: T }>[] {
    return this.received.filter((m): m is Extract<BgpMessage, { type: T }> => m.type === type);
  }

  /** Waits for our OPEN, answers with `open` and a KEEPALIVE. */
  async handshake(open: OpenMessage = peerOpen()): Promise<void> {
    await until('the session OPEN', () => this.of('open').length > 0);
    this.send(open);
    this.send({ type: 'keepalive' });
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
