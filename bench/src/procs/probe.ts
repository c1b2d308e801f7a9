/**
 * Loaded with --import into every benchmark process: answers usage requests on the IPC
 * channel, and bounds the process's life (it exits when the bench that started it goes
 * away, and after PROBE_LIFETIME_MS at the latest).
 */

import { performance } from 'node:perf_hooks';

const LIFETIME_MS = Number(process.env.PROBE_LIFETIME_MS ?? 15 * 60_000);

function usage() {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return { cpuUs: cpu.user + cpu.system, rss: mem.rss, heapUsed: mem.heapUsed, at: performance.timeOrigin + performance.now() };
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
