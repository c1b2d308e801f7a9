/** Metrics of webhook deliveries: events queued, attempts by outcome, dead letters, latency. */

import { Counter, Histogram, type Registry } from 'prom-client';

export class WebhookMetrics {
  private readonly queued: Counter;
  private readonly attempts: Counter<'outcome'>;
  private readonly dead: Counter;
  private readonly latency: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.queued = new Counter({ name: 'tiktool_webhook_queued_total', help: 'Webhook deliveries added to the outbox', registers });
    this.attempts = new Counter({
      name: 'tiktool_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered (2xx) or failed',
      labelNames: ['outcome'],
      registers,
    });
    this.dead = new Counter({
      name: 'tiktool_webhook_dead_lettered_total',
      help: 'Webhook deliveries that failed every attempt and were dead-lettered (kept for replay)',
      registers,
    });
    this.latency = new Histogram({
      name: 'tiktool_webhook_latency_seconds',
      help: "Webhook attempts' duration, request to response",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    for (const outcome of ['delivered', 'failed']) this.attempts.inc({ outcome }, 0);
  }

  enqueued(n: number): void {
    this.queued.inc(n);
  }

  attempted(ok: boolean, durationMs: number): void {
    this.attempts.inc({ outcome: ok ? 'delivered' : 'failed' });
    this.latency.observe(durationMs / 1000);
  }

  deadLettered(): void {
    this.dead.inc();
  }
}
