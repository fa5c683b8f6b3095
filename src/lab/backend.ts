/**
 * The lab's HTTP backend: answers every request on port 80 (all addresses, IPv4 and IPv6) with its name
 * (a node name, or a VM name), so the client sees which backend the VIP reached. Started by the lab with
 * programArgv('backend', { name, port }) inside a node or VM namespace; runs until killed.
 */
import { createServer } from 'node:http';

export interface BackendOptions {
  name: string;
  port: number;
}

export async function main(options: BackendOptions): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close', 'x-lab-backend': options.name });
    res.end(`${options.name}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '::', port: options.port, ipv6Only: false }, () => resolve());
  });
  process.stdout.write(`backend ${options.name} listening on port ${options.port}\n`);
}
