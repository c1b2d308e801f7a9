import { TikTokLive, TikTokLiveError, type CreatorEventName, type Creators, type Envelope } from '@tiktool/live';
import { onEveryEvent } from '../playground/app/every-event.js';
import { colours, wantsColour } from './colours.js';
import { eventLine, liveStatusLine } from './event-line.js';
import { API_KEY_ENV, ExitCode, closeOutcome, giveUpOutcome } from './exit-codes.js';
import { Recording } from './recording.js';

export interface WatchOptions {
  /** One creator, or several: a roster on one socket, each line naming its creator. */
  creators: string[];
  /** A single creator who is not live (or whose LIVE ends) is waited for instead of exiting. Rosters always wait. */
  wait?: boolean;
  key: string | undefined;
  url: string;
  /** NDJSON on stdout instead of readable lines. */
  json: boolean;
  /** Only these events (the gateway filters); all when undefined. */
  events?: CreatorEventName[];
  /** Also record every envelope as NDJSON in this file. */
  out?: string;
  /** Reconnects in a row that may fail the same way before giving up; the SDK's default when undefined. */
  maxFailedReconnects?: number;
}

export interface WatchIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Resolves when the user asks to stop (Ctrl-C). */
  interrupted: Promise<void>;
}

/**
 * Watches one creator (or a roster) until the LIVE ends, a close code forbids
 * reconnecting, or the user stops it; resolves with the process exit code. Events go to
 * stdout, everything about the connection to stderr, so `--json > file` is clean NDJSON.
 * Reconnects and resumes are the SDK's: no event is printed twice or skipped across a
 * drop. A roster (and `wait`) waits for creators who are not live and says so.
 */
export async function watch(options: WatchOptions, io: WatchIo): Promise<number> {
  const err = colours(wantsColour(io.stderr, io.env));
  const out = colours(wantsColour(io.stdout, io.env));
  const say = (line: string) => io.stderr.write(`${err.dim(line)}\n`);
  const fail = (message: string, exitCode: number) => {
    io.stderr.write(`${err.red(`tiktool watch: ${message}`)}\n`);
    return exitCode;
  };
  if (!options.key) return fail(`no API key: pass --key KEY or set ${API_KEY_ENV}`, ExitCode.UNAUTHORIZED);

  const roster = options.creators.length > 1;
  let client: TikTokLive<Creators>;
  try {
    client = new TikTokLive(roster ? options.creators : options.creators[0]!, {
      url: options.url,
      events: options.events,
      apiKey: options.key,
      waitForLive: options.wait === true,
      reconnect: options.maxFailedReconnects === undefined ? true : { maxFailedReconnects: options.maxFailedReconnects },
    });
  } catch (e) {
    return fail((e as Error).message, ExitCode.FAILED);
  }
  const creatorWidth = roster ? Math.max(...client.creators.map((id) => id.length)) : undefined;
  let recording: Recording | undefined;
  try {
    recording = options.out ? await Recording.open(options.out) : undefined;
  } catch (e) {
    return fail(`cannot write ${options.out}: ${(e as Error).message}`, ExitCode.FAILED);
  }

  const record = (envelope: Envelope) => {
    const line = `${JSON.stringify(envelope)}\n`;
    recording?.write(line);
    if (options.json) io.stdout.write(line);
  };
  onEveryEvent(client, (e) => {
    record(e);
    if (options.json) return;
    const line = eventLine(e, out, creatorWidth);
    if (line) io.stdout.write(`${line}\n`);
  });
  client.on('roomInfo', (info, envelope) => {
    record(envelope);
    if (!info.resumed) say(`connected to @${info.uniqueId} (room ${info.roomId}, ${info.viewerCount} viewers): ${info.title}`);
  });
  client.on('liveStatus', (status, envelope) => {
    record(envelope);
    say(liveStatusLine(status));
  });
  client.on('resumed', ({ uniqueId, recovered, replayed }) => {
    const who = roster ? `@${uniqueId} ` : '';
    say(
      recovered
        ? `${who}resumed: ${replayed} missed events replayed, none lost`
        : `${who}resumed with a gap: events were lost (${replayed} replayed)`,
    );
  });
  let lastClose = '';
  client.on('reconnecting', ({ attempt, delayMs }) =>
    say(`${lastClose}; reconnecting in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})`),
  );
  client.on('error', (e) => say(`warning: ${e.message}`));
  // A roster whose every creator the gateway refused or could not find has nothing left to watch.
  const nobodyLeft = new Promise<string>((resolve) => {
    if (roster)
      client.on('error', (e) => {
        if (e instanceof TikTokLiveError && e.code === 'ERR_REFUSED' && client.creators.length === 0) resolve(e.message);
      });
  });

  const exitCode = await new Promise<number>((resolve) => {
    let settled = false;
    const finish = (code: number) => {
      if (settled) return;
      settled = true;
      resolve(code);
    };
    client.on('disconnected', ({ code, reason, willReconnect, error }) => {
      lastClose = error ? error.message : `connection lost (${code}${reason ? ` ${reason}` : ''})`;
      if (willReconnect || settled) return;
      const outcome = error ? giveUpOutcome(error) : closeOutcome(code, reason);
      if (outcome.exitCode === ExitCode.OK) say(outcome.message);
      finish(outcome.exitCode === ExitCode.OK ? ExitCode.OK : fail(outcome.message, outcome.exitCode));
    });
    client.connect().catch((e: unknown) => {
      // Closes are answered by `disconnected`; this is for failures without one.
      if (settled || (e instanceof TikTokLiveError && (e.code === 'ERR_CONNECTION_CLOSED' || e.code === 'ERR_DISCONNECTED'))) return;
      finish(fail(e instanceof Error ? e.message : String(e), ExitCode.FAILED));
    });
    void io.interrupted.then(() => finish(ExitCode.OK));
    void nobodyLeft.then((last) => finish(fail(`no creator of the roster can be watched (the last: ${last})`, ExitCode.NOT_FOUND)));
    // `tiktool watch x | head`: the reader left, which is a normal way to stop.
    io.stdout.on('error', (e: NodeJS.ErrnoException) =>
      finish(e.code === 'EPIPE' ? ExitCode.OK : fail(`cannot write to stdout: ${e.message}`, ExitCode.FAILED)),
    );
  });
  client.disconnect();
  await recording?.close();
  return exitCode;
}
