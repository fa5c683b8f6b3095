/**
 * bench:failover backend: a tiny HTTP server run inside a node namespace (`tsx backend.ts NAME PORT`)
 * that answers every request with the node's name, so the client sees which node served it.
 */
import { createServer } from 'node:http';

const [name, portText] = process.argv.slice(2);
const port = Number(portText);
if (name === undefined || !(port > 0 && port < 65_536)) {
  console.error('usage: backend NAME PORT');
  process.exit(2);
}
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
  res.end(`${name}\n`);
});
server.listen(port, '0.0.0.0', () => console.log(`backend ${name} listening on ${port}`));
const stop = (): void => {
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
