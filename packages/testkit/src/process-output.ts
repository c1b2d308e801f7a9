import type { ChildProcess } from 'node:child_process';
import { waitFor } from './wait-for.js';

/** How long a child process has to print that it is ready: generous, for a machine loaded by parallel runs. */
export const PROCESS_START_TIMEOUT_MS = 30_000;

/**
 * A child process's stdout and stderr, collected as they come. `waitForLine` resolves with
 * the first line matching the pattern; it rejects if the process exits first.
 */
export class ProcessOutput {
  private text = '';

  constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (d) => (this.text += d));
    child.stderr?.on('data', (d) => (this.text += d));
  }

  get all(): string {
    return this.text;
  }

  async waitForLine(pattern: RegExp, what: string, timeoutMs = PROCESS_START_TIMEOUT_MS): Promise<RegExpMatchArray> {
    let found: RegExpMatchArray | null = null;
    try {
      await waitFor(
        () => {
          found = this.text.match(pattern);
          if (found === null && this.child.exitCode !== null) throw new Error(`${what} exited (${this.child.exitCode})`);
          return found !== null;
        },
        { timeoutMs, what },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; its output: ${this.text}`);
    }
    return found!;
  }
}
