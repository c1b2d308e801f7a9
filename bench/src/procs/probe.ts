/**
 * Loaded with --import into every benchmark process (the gateway CLI included, which has
 * no code for it): answers usage requests on the IPC channel, and bounds the process's
 * life (it exits when the bench that started it goes away, and after PROBE_LIFETIME_MS at
 * the latest). Besides CPU and memory it reports, since the previous request, how late
 * the event loop ran and how long GC paused it: what a latency tail is made of.
 */

import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

const LIFETIME_MS = Number(process.env.PROBE_LIFETIME_MS ?? 15 * 60_000);

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
let gcMaxMs = 0;
let gcTotalMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcTotalMs += e.duration;
    if (e.duration > gcMaxMs) gcMaxMs = e.duration;
  }
}).observe({ entryTypes: ['gc'] });

function usage() {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const out = {
    cpuUs: cpu.user + cpu.system,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    at: performance.timeOrigin + performance.now(),
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
    gcMaxMs,
    gcTotalMs,
  };
  loop.reset();
  gcMaxMs = 0;
  gcTotalMs = 0;
  return out;
}

process.on('message', (m: { id: number; cmd: string }) => {
  if (m.cmd === 'probe.usage') process.send!({ id: m.id, ok: true, value: usage() });
  else if (m.cmd === 'probe.gc') {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    process.send!({ id: m.id, ok: true, value: usage() });
  }
});
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
process.send!({ ready: 'probe' });
setTimeout(() => process.kill(process.pid, 'SIGKILL'), LIFETIME_MS).unref();
