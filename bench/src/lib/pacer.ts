/**
 * A steady event rate from a timer: each tick does what is due since the start, so a late
 * tick (a busy process) catches up, but never more than `maxLag` ticks' worth at once: a
 * process that cannot keep up at all falls back to the rate it can do, rather than
 * spending ever longer catching up.
 */
export function pace(perSecond: number, tickMs: number, fn: (due: number) => void, maxLag = 4): () => void {
  const start = performance.now();
  const perTick = (perSecond * tickMs) / 1000;
  let done = 0;
  const timer = setInterval(() => {
    const owed = Math.floor(((performance.now() - start) * perSecond) / 1000) - done;
    if (owed <= 0) return;
    const due = Math.min(owed, Math.ceil(perTick * maxLag));
    done += owed;
    fn(due);
  }, tickMs);
  return () => clearInterval(timer);
}
