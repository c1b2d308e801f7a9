/** Small helpers of the benchmark drivers. */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** CPU (µs) and wall time (ms) between two usage probes. */
export function cpuBetween(a: { cpuUs: number; at: number }, b: { cpuUs: number; at: number }) {
  const cpuUs = b.cpuUs - a.cpuUs;
  const wallMs = b.at - a.at;
  return { cpuUs, wallMs, cpuPct: (cpuUs / 1000 / wallMs) * 100 };
}

/** msgId -> sentAt of every message the creators' rooms emitted. */
export function sentAtById(messages: Iterable<{ msgId: string; sentAt: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of messages) out.set(m.msgId, m.sentAt);
  return out;
}

export const MiB = 1024 * 1024;
