/** How long waitFor waits unless told: long enough for a loaded machine, short enough to fail a hung test. */
export const WAIT_TIMEOUT_MS = 10_000;
/** How often waitFor looks again at a condition no event announces. */
export const WAIT_POLL_MS = 10;

export interface WaitOptions {
  timeoutMs?: number;
  /** Names the condition in the timeout error. */
  what?: string;
}

/**
 * Resolves once the predicate holds; rejects, naming `what`, after the timeout. For
 * conditions that no event announces (a count on the server, a process's output); where
 * an event exists, await it instead.
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  { timeoutMs = WAIT_TIMEOUT_MS, what = 'condition' }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
  }
}
