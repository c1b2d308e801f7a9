import { CloseCode, closeCodeInfo, type TikTokLiveError } from '@tiktool/live';

/** The environment variable the watcher reads its key from. */
export const API_KEY_ENV = 'TIKTOOL_API_KEY';

export const ExitCode = {
  /** The LIVE ended, the gateway closed normally, or the user stopped the watcher. */
  OK: 0,
  /** Anything else: bad usage, an unwritable --out file, another final close code. */
  FAILED: 1,
  /** The key is missing, invalid, revoked, or not allowed for this creator (4401, 4403). */
  UNAUTHORIZED: 2,
  /** The creator does not exist or is not live (4404); a roster: none of its creators exists. */
  NOT_FOUND: 3,
  /** The gateway could not be reached, reconnect after reconnect (not running, wrong --url). */
  UNREACHABLE: 4,
  /** Reconnects kept failing the same way (e.g. 4500: TikTok failing); the message says how. */
  GAVE_UP: 5,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  the LIVE ended (4005), the gateway closed normally, or you pressed Ctrl-C
  1  any other failure: bad arguments, --out not writable, another final close code
  2  no API key, or the gateway refused it: invalid or revoked (4401), not allowed (4403)
  3  the creator was not found or is not live (4404; with --wait only when not found);
     a roster: none of its creators can be watched
  4  the gateway cannot be reached (not running, or a wrong --url)
  5  reconnects kept failing the same way (e.g. 4500, TikTok failing): gave up
Closes that allow a reconnect (network drops, gateway restarts, slow consumer, tier
limits with a delay) are retried, resuming the session without losing an event, until
--max-failed-reconnects reconnects in a row fail the same way.`;

export interface Outcome {
  exitCode: number;
  message: string;
}

/** The client gave up reconnecting: its error says why, from the last failure. */
export function giveUpOutcome(error: TikTokLiveError): Outcome {
  if (error.code === 'ERR_UNREACHABLE') {
    return { exitCode: ExitCode.UNREACHABLE, message: `${error.message}; is it running? (npm start), or pass --url` };
  }
  return { exitCode: ExitCode.GAVE_UP, message: error.message };
}

/** What a close after which the client stops means for the watcher. */
export function closeOutcome(code: number, reason: string): Outcome {
  const info = closeCodeInfo(code);
  const said = reason && reason !== info.meaning ? ` ("${reason}")` : '';
  switch (code) {
    case CloseCode.STREAM_END:
      return { exitCode: ExitCode.OK, message: 'the LIVE ended (4005)' };
    case CloseCode.NORMAL:
      return { exitCode: ExitCode.OK, message: `the gateway closed the connection (1000${said})` };
    case CloseCode.UNAUTHORIZED:
      return {
        exitCode: ExitCode.UNAUTHORIZED,
        message: `invalid API key: the gateway refused it with 4401${said}; pass a valid key with --key or ${API_KEY_ENV}`,
      };
    case CloseCode.FORBIDDEN:
      return { exitCode: ExitCode.UNAUTHORIZED, message: `this key may not watch this creator from here (4403${said})` };
    case CloseCode.NOT_FOUND:
      return { exitCode: ExitCode.NOT_FOUND, message: `creator not found or not live (4404${said})` };
    default:
      return { exitCode: ExitCode.FAILED, message: `closed with ${code} ${info.name}: ${info.meaning}${said}` };
  }
}
