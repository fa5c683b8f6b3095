/**
 * bench:failover client agent: runs inside the client namespace (`ip netns exec NS tsx client-agent.ts
 * IFACE VIP PORT INTERVAL_MS TIMEOUT_MS`) and reports, as JSON lines on stdout, every gratuitous ARP for
 * the VIP (AF_PACKET socket on IFACE via Herald's native addon) and every HTTP poll result. All times
 * are process.hrtime.bigint() (CLOCK_MONOTONIC, shared by every process on the host, so the bench
 * compares them with its own kill timestamp directly). Polling: a new request (new TCP connection,
 * no keep-alive) every INTERVAL_MS whether or not earlier ones finished, each aborted after TIMEOUT_MS,
 * at most MAX_OUTSTANDING at once. Stops when stdin closes (the bench exits) or on SIGTERM.
 */
import { request } from 'node:http';

import { ARP_FILTER } from '../../src/platform/bpf.js';
import { openPacketSocket, type PacketSocket } from '../../src/platform/packet-socket.js';
import { gratuitousArpSender } from './garp.js';

const MAX_OUTSTANDING = 100;
const MAX_BODY_BYTES = 256;

const [iface, vip, portText, intervalText, timeoutText] = process.argv.slice(2);
const port = Number(portText);
const intervalMs = Number(intervalText);
const timeoutMs = Number(timeoutText);
if (iface === undefined || vip === undefined || !(port > 0) || !(intervalMs > 0) || !(timeoutMs > 0)) {
  console.error('usage: client-agent IFACE VIP PORT INTERVAL_MS TIMEOUT_MS');
  process.exit(2);
}

function emit(event: Record<string, string | number | boolean>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const now = (): bigint => process.hrtime.bigint();
let outstanding = 0;

function poll(): void {
  if (outstanding >= MAX_OUTSTANDING) return;
  outstanding++;
  const start = now();
  let done = false;
  const finish = (ok: boolean, body: string): void => {
    if (done) return;
    done = true;
    outstanding--;
    emit({ type: 'http', start: String(start), end: String(now()), ok, body });
  };
  const req = request({ host: vip, port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body = (body + chunk).slice(0, MAX_BODY_BYTES)));
    res.on('end', () => finish(res.statusCode === 200, body.trim()));
    res.on('error', (error) => finish(false, error.message));
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (error) => finish(false, error.message));
  req.end();
}

/** Fires poll() every intervalMs on a fixed schedule (no drift when a tick is late). */
function schedule(): () => void {
  const origin = performance.now();
  let k = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    poll();
    k++;
    timer = setTimeout(tick, Math.max(0, origin + k * intervalMs - performance.now()));
  };
  tick();
  return () => clearTimeout(timer);
}

let socket: PacketSocket | undefined;
try {
  socket = openPacketSocket(
    { interface: iface, protocol: 'arp', filter: ARP_FILTER },
    (frame) => {
      const at = now();
      const sender = gratuitousArpSender(frame, vip);
      if (sender !== undefined) emit({ type: 'garp', at: String(at), mac: sender });
    },
    (error, fatal) => emit({ type: 'error', message: error.message, fatal }),
  );
} catch (error) {
  console.error(`client-agent: cannot open an ARP socket on ${iface}: ${(error as Error).message}`);
  process.exit(1);
}
const stopPolling = schedule();
emit({ type: 'ready', at: String(now()) });

function shutdown(): void {
  stopPolling();
  socket?.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
