/**
 * EventSender: records Events in the background with a bounded number in flight, so status writes (what
 * a Service needs) never wait behind Events (what a human reads). One task per reconcile: the Events
 * of one plan are sent in order. Tasks queue FIFO; when the term's signal aborts, queued tasks are
 * dropped and in-flight ones see the abort. Failures are logged, never retried (Events are best effort).
 */
import type { ControllerMetrics } from './metrics.js';
import type { ControllerEvent, Log, ServiceRef, ServiceStatusPort } from './ports.js';

interface Task {
  readonly key: string;
  readonly ref: ServiceRef;
  readonly events: readonly ControllerEvent[];
}

export class EventSender {
  private readonly pending: Task[] = [];
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly port: ServiceStatusPort,
    private readonly metrics: ControllerMetrics,
    private readonly log: Log,
    private readonly signal: AbortSignal,
    private readonly concurrency: number,
  ) {
    signal.addEventListener('abort', () => (this.pending.length = 0), { once: true });
  }

  send(key: string, ref: ServiceRef, events: readonly ControllerEvent[]): void {
    if (events.length === 0 || this.signal.aborted) return;
    this.pending.push({ key, ref, events });
    this.pump();
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.pending.length > 0) {
      const task = this.pending.shift()!;
      this.inFlight++;
      void this.run(task).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.pending.length === 0) {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
      });
    }
  }

  private async run(task: Task): Promise<void> {
    for (const event of task.events) {
      if (this.signal.aborted) return;
      try {
        await this.port.event(task.ref, event, this.signal);
        this.metrics.events.inc({ reason: event.reason });
      } catch (err) {
        if (this.signal.aborted) return;
        this.log.warn({ service: task.key, reason: event.reason, err }, 'recording an event failed');
      }
    }
  }
}
