/**
 * Watch streams over HTTP: chunked JSON, one `{"type":..., "object":...}` per line. Periodic BOOKMARKs
 * when the client allows them, the stream ends after timeoutSeconds, when the client goes away, when a
 * fault drops it, or right after an ERROR event (410 Expired for a resourceVersion older than the
 * window, delivered in-stream with HTTP 200 as the watch cache does).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { expired } from '../errors.js';
import type { Faults } from '../faults.js';
import { bookmark, watch, type WatchEventType, type WatchOptions } from '../rest/read.js';
import type { Engine, Scope } from '../rest/engine.js';
import { StoreGone } from '../store.js';
import type { KubeObject } from '../types.js';

export interface WatchLimits {
  /** Longest a watch stays open when the client gives no timeoutSeconds. */
  readonly maxTimeoutSeconds: number;
  /** How often BOOKMARK events are sent to watches that allow them. */
  readonly bookmarkIntervalMs: number;
}

export interface OpenWatches {
  add(close: () => void): () => void;
}

type WatchContext = { engine: Engine; faults: Faults; limits: WatchLimits; open: OpenWatches };
type WatchParams = WatchOptions & { timeoutSeconds?: number };

/** Starts the timers that end a stream (timeout, injected drop) and send BOOKMARKs; returns them. */
function armTimers(
  ctx: WatchContext,
  scope: Scope,
  opts: WatchParams,
  finish: () => void,
  emit: (o: KubeObject) => void,
): NodeJS.Timeout[] {
  const limit = ctx.limits.maxTimeoutSeconds;
  const timeoutS =
    opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0
      ? Math.min(opts.timeoutSeconds, limit)
      : limit;
  const timers = [setTimeout(finish, timeoutS * 1000)];
  const dropAfter = ctx.faults.dropWatchesAfterMs;
  if (dropAfter !== undefined) timers.push(setTimeout(finish, dropAfter));
  if (opts.allowBookmarks) {
    const tick = () => emit(bookmark(scope, ctx.engine.store.resourceVersion));
    timers.push(setInterval(tick, ctx.limits.bookmarkIntervalMs));
  }
  return timers;
}

export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: WatchContext,
  scope: Scope,
  opts: WatchParams,
  render: (object: KubeObject) => KubeObject = (o) => o,
): void {
  const pending: string[] = [];
  let started = false;
  const line = (type: WatchEventType, object: KubeObject): void => {
    const payload = type === 'BOOKMARK' || type === 'ERROR' ? object : render(object);
    const text = `${JSON.stringify({ type, object: payload })}\n`;
    if (started) res.write(text);
    else pending.push(text);
  };
  let cancel: () => void = () => {};
  let gone: StoreGone | undefined;
  try {
    cancel = watch(ctx.engine, scope, opts, line);
  } catch (err) {
    if (!(err instanceof StoreGone)) throw err;
    gone = err;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  started = true;
  for (const t of pending) res.write(t);
  let timers: NodeJS.Timeout[] = [];
  let ended = false;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    cancel();
    for (const t of timers) clearTimeout(t);
    unregister();
    unDrop();
    res.end();
  };
  const unregister = ctx.open.add(finish);
  const unDrop = ctx.faults.onDrop(finish);
  if (gone) {
    line(
      'ERROR',
      expired(`The resourceVersion for the provided watch is too old. (${gone.message})`).toStatus(),
    );
    return finish();
  }
  timers = armTimers(ctx, scope, opts, finish, (o) => line('BOOKMARK', o));
  req.on('close', finish);
  res.on('close', finish);
}
