/**
 * A steady event rate from a timer: each tick does whatever is due since the start, so a
 * late tick (a busy process) catches up instead of lowering the rate.
 */
export function pace(perSecond: number, tickMs: number, fn: (due: number) => void): () => void {
  const start = performance.now();
  let done = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) * perSecond) / 1000) - done;
    if (due <= 0) return;
    done += due;
    fn(due);
  }, tickMs);
  return () => clearInterval(timer);
}
