/**
 * The base of every tiktool error: `code` is stable, so match on it, not on the message.
 * Each package's errors extend it with their own fixed codes (as undici's errors do), so
 * one `instanceof TiktoolError` check finds any of them.
 */
export class TiktoolError<Code extends string = string> extends Error {
  override name = 'TiktoolError';
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
