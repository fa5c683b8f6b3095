/** EventSender: bounded concurrency, one plan's Events in order, queued work dropped on abort. */
import { describe, expect, it } from 'vitest';
import { EventSender } from '../../../src/controller/event-sender.js';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import type { ControllerEvent, ServiceStatusPort } from '../../../src/controller/ports.js';
import { silentLog } from './fake-cluster.js';

function ev(reason: string): ControllerEvent {
  return { type: 'Normal', reason, message: reason };
}

function gatedPort(): {
  port: ServiceStatusPort;
  sent: string[];
  maxInFlight: () => number;
  release: () => void;
} {
  const sent: string[] = [];
  let inFlight = 0;
  let max = 0;
  let gate: () => void = () => undefined;
  let open = new Promise<void>((r) => (gate = r));
  return {
    sent,
    maxInFlight: () => max,
    release: () => {
      gate();
      open = Promise.resolve();
    },
    port: {
      patchStatus: async () => 'written',
      event: async (ref, event) => {
        inFlight++;
        max = Math.max(max, inFlight);
        await open;
        sent.push(`${ref.name}:${event.reason}`);
        inFlight--;
      },
    },
  };
}

describe('EventSender', () => {
  it("keeps at most `concurrency` Events in flight and one plan's Events in order", async () => {
    const g = gatedPort();
    const metrics = new ControllerMetrics({ processMetrics: false });
    const sender = new EventSender(g.port, metrics, silentLog, new AbortController().signal, 2);
    for (let i = 0; i < 5; i++)
      sender.send(`ns/s${i}`, { namespace: 'ns', name: `s${i}` }, [ev('ClearAssignment'), ev('IPAllocated')]);
    await new Promise((r) => setTimeout(r, 5));
    expect(g.maxInFlight()).toBe(2);
    g.release();
    await sender.idle();
    expect(g.sent).toHaveLength(10);
    for (let i = 0; i < 5; i++) {
      expect(g.sent.indexOf(`s${i}:ClearAssignment`)).toBeLessThan(g.sent.indexOf(`s${i}:IPAllocated`));
    }
    expect(await metrics.registry.metrics()).toContain(
      'herald_controller_events_total{reason="IPAllocated"} 5',
    );
  });

  it('drops queued Events when the term ends', async () => {
    const g = gatedPort();
    const abort = new AbortController();
    const sender = new EventSender(
      g.port,
      new ControllerMetrics({ processMetrics: false }),
      silentLog,
      abort.signal,
      1,
    );
    for (let i = 0; i < 4; i++)
      sender.send(`ns/s${i}`, { namespace: 'ns', name: `s${i}` }, [ev('IPAllocated')]);
    abort.abort();
    g.release();
    await sender.idle();
    expect(g.sent.length).toBeLessThanOrEqual(1);
    sender.send('ns/x', { namespace: 'ns', name: 'x' }, [ev('IPAllocated')]);
    await sender.idle();
    expect(g.sent).not.toContain('x:IPAllocated');
  });
});
