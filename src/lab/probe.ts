/**
 * The client-side prober for failover measurements: from inside the client namespace, starts an HTTP GET
 * to each URL every intervalMs (a fresh connection each time, each bounded by timeoutMs, at most
 * maxInFlight outstanding per URL) and writes one JSON line per finished request:
 * {"url","start","end","ok","body"|"error"} with wall-clock milliseconds, which the lab compares with the
 * moment it injected the failure. Stops by itself after durationMs. Started with programArgv('probe', ...).
 */
import { request } from 'node:http';

export interface ProbeOptions {
  urls: string[];
  intervalMs: number;
  timeoutMs: number;
  durationMs: number;
  maxInFlight: number;
}

export interface ProbeResult {
  url: string;
  start: number;
  end: number;
  ok: boolean;
  body?: string;
  error?: string;
}

function once(url: string, timeoutMs: number): Promise<ProbeResult> {
  const start = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<ProbeResult, 'url' | 'start' | 'end'>): void => {
      if (settled) return;
      settled = true;
      resolve({ url, start, end: Date.now(), ...r });
    };
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => finish({ ok: res.statusCode === 200, body: body.trim() }));
      res.on('error', (err) => finish({ ok: false, error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => finish({ ok: false, error: err.message }));
    req.end();
  });
}

export async function main(options: ProbeOptions): Promise<void> {
  const inFlight = new Map<string, number>(options.urls.map((u) => [u, 0]));
  const started = Date.now();
  process.stdout.write(`${JSON.stringify({ ready: true, at: started })}\n`);
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (Date.now() - started >= options.durationMs) {
        clearInterval(timer);
        setTimeout(resolve, options.timeoutMs);
        return;
      }
      for (const url of options.urls) {
        if ((inFlight.get(url) ?? 0) >= options.maxInFlight) continue;
        inFlight.set(url, (inFlight.get(url) ?? 0) + 1);
        void once(url, options.timeoutMs).then((r) => {
          inFlight.set(url, (inFlight.get(url) ?? 1) - 1);
          process.stdout.write(`${JSON.stringify(r)}\n`);
        });
      }
    }, options.intervalMs);
  });
}
