/**
 * A TCP forwarder from a Unix socket to HOST:PORT, run inside the control-plane namespace so the lab
 * process (in the host namespace) reaches the API server listening on the lab's bridge: Unix sockets
 * live in the filesystem, not in a network namespace. Started with programArgv('forward', ...).
 */
import { connect, createServer } from 'node:net';
import { rmSync } from 'node:fs';

export interface ForwardOptions {
  socketPath: string;
  host: string;
  port: number;
}

export async function main(options: ForwardOptions): Promise<void> {
  rmSync(options.socketPath, { force: true });
  const server = createServer((client) => {
    const upstream = connect(options.port, options.host);
    client.pipe(upstream).pipe(client);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => resolve());
  });
  process.stdout.write(`forwarding ${options.socketPath} to ${options.host}:${options.port}\n`);
}
