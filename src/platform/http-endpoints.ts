/**
 * The controller's HTTP endpoints on `--metrics-listen`: `/metrics` (Prometheus text format from the
 * controller's own registry), `/healthz` (liveness) and `/readyz` (readiness). Health answers are JSON
 * with the reason, status 200 or 503. A start()/stop() component; the constructor does no I/O.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface Probe {
  readonly ok: boolean;
  /** Extra fields for the JSON body (role, reason, ...). */
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface HealthSource {
  healthz(): Probe;
  readyz(): Probe;
}

export interface HttpEndpointsOptions {
  readonly host: string;
  /** 0 picks a free port (see `port` after start). */
  readonly port: number;
  readonly registry: Registry;
  readonly health: HealthSource;
}

const HTTP_OK = 200;
const HTTP_NOT_FOUND = 404;
const HTTP_METHOD_NOT_ALLOWED = 405;
const HTTP_UNAVAILABLE = 503;
const HTTP_ERROR = 500;

export class HttpEndpoints {
  private server: Server | undefined;

  constructor(private readonly options: HttpEndpointsOptions) {}

  /** HOST:PORT as configured. */
  get listen(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  /** The bound port (after start). */
  get port(): number {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : 0;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(HTTP_METHOD_NOT_ALLOWED, { allow: 'GET, HEAD' }).end();
      return;
    }
    try {
      if (path === '/metrics') {
        const body = await this.options.registry.metrics();
        res.writeHead(HTTP_OK, { 'content-type': this.options.registry.contentType }).end(body);
      } else if (path === '/healthz' || path === '/readyz') {
        const probe = path === '/healthz' ? this.options.health.healthz() : this.options.health.readyz();
        const body = JSON.stringify({ ok: probe.ok, ...probe.detail });
        res
          .writeHead(probe.ok ? HTTP_OK : HTTP_UNAVAILABLE, { 'content-type': 'application/json' })
          .end(`${body}\n`);
      } else {
        res.writeHead(HTTP_NOT_FOUND, { 'content-type': 'text/plain' }).end('not found\n');
      }
    } catch (err) {
      res
        .writeHead(HTTP_ERROR, { 'content-type': 'text/plain' })
        .end(`${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

/** Starts `http`; a failure to listen is reported as one line naming the address. */
export async function startEndpoints(http: HttpEndpoints, report: (line: string) => void): Promise<boolean> {
  try {
    await http.start();
    return true;
  } catch (err) {
    report(`cannot listen on ${http.listen}: ${String(err)}`);
    return false;
  }
}
