import { InvalidArgumentError, type Command } from 'commander';
import { CREATOR_EVENT_NAMES, DEFAULT_RECONNECT, DEFAULT_URL, type CreatorEventName } from '@tiktool/live';
import { isCreatorEventName } from '@tiktool/protocol';
import { API_KEY_ENV, EXIT_CODES_HELP } from './exit-codes.js';
import { watch } from './watcher.js';

interface WatchFlags {
  key?: string;
  wait?: boolean;
  url: string;
  json?: boolean;
  events?: CreatorEventName[];
  out?: string;
  maxFailedReconnects?: number;
}

function eventList(value: string): CreatorEventName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!isCreatorEventName(name)) {
      throw new InvalidArgumentError(`unknown event "${name}"; events: ${CREATOR_EVENT_NAMES.join(', ')}`);
    }
  }
  return names as CreatorEventName[];
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number >= 0');
  return n;
}

/** The gateway's address as typed: http(s) URLs are taken as the ws(s) endpoint on the same host. */
function gatewayUrl(value: string): string {
  return value.replace(/^http(s?):\/\//i, 'ws$1://');
}

/** `tiktool watch USERNAME...`: a creator's events (or a roster's, on one socket) in the terminal. */
export function registerWatch(program: Command): void {
  program
    .command('watch <usernames...>')
    .description(
      "print a creator's LIVE events as they happen (readable lines, or NDJSON with --json); several usernames follow a roster on one socket, each line naming its creator, waiting for those not live",
    )
    .option('--key <key>', `API key (default: env ${API_KEY_ENV})`)
    .option('--wait', 'one creator: wait while it is not live, and again after its LIVE ends, instead of exiting (a roster always waits)')
    .option('--url <url>', 'the gateway', gatewayUrl, DEFAULT_URL)
    .option('--json', 'print each event as one JSON line (NDJSON) instead of readable lines')
    .option('--events <list>', 'only these events, comma separated, e.g. chat,gift', eventList)
    .option('--out <file>', 'also record every event as NDJSON in this file')
    .option(
      '--max-failed-reconnects <n>',
      `give up after n reconnects in a row that fail the same way (default ${DEFAULT_RECONNECT.maxFailedReconnects})`,
      count,
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (usernames: string[], opts: WatchFlags) => {
      const interrupted = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      const code = await watch(
        {
          creators: usernames,
          wait: opts.wait === true,
          key: opts.key ?? process.env[API_KEY_ENV],
          url: opts.url,
          json: opts.json === true,
          events: opts.events,
          out: opts.out,
          maxFailedReconnects: opts.maxFailedReconnects,
        },
        { stdout: process.stdout, stderr: process.stderr, env: process.env, interrupted },
      );
      process.exit(code);
    });
}
