import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { KeyStore } from './auth/key-store.js';
import { Tiers } from './auth/tiers.js';
import { describeConfig, loadConfig, startWarnings, type GatewayConfig } from './config.js';
import { DEFAULT_EMULATOR_RATE } from './defaults.js';
import { ConfigError } from './errors.js';
import { startGateway } from './gateway.js';
import { openAccountStore } from './accounts/open-account-store.js';
import { registerWatch } from './watch/watch-command.js';
import { registerWebhooks } from './webhooks/webhooks-command.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('tiktool')
  .description('Self-hostable WebSocket gateway for TikTok LIVE events')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError();

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
}

program
  .command('serve', { isDefault: true })
  .description('start the gateway (config from environment variables; flags override)')
  .option('-p, --port <port>', 'port to listen on (env PORT)', port)
  .option('--host <host>', 'address to bind (env HOST)')
  .option('--upstream <kind>', 'webcast (TikTok) or emulator (offline demo) (env TIKTOOL_UPSTREAM)')
  .option('--db <path>', 'SQLite file for keys and usage (env TIKTOOL_DB)')
  .action(async (opts: { port?: number; host?: string; upstream?: string; db?: string }) => {
    const overrides: Partial<GatewayConfig> = {};
    if (opts.port !== undefined) overrides.port = opts.port;
    if (opts.host) overrides.host = opts.host;
    if (opts.db) overrides.dbPath = opts.db;
    const env = { ...process.env };
    if (opts.upstream) env.TIKTOOL_UPSTREAM = opts.upstream;
    const config = loadConfig(env, overrides);
    const gateway = await startGateway(config);
    gateway.logger.info(`tiktool listening on ${gateway.wsUrl} | ${describeConfig(config)}`);
    for (const warning of startWarnings(config)) gateway.logger.warn(warning);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      gateway.logger.info({ signal }, 'shutting down');
      gateway.close().then(
        () => process.exit(0),
        (err: unknown) => {
          gateway.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });

/** Runs `fn` on the keys of the account store the gateway uses (DATABASE_URL, else TIKTOOL_DB). */
async function withKeys<T>(fn: (keys: KeyStore) => Promise<T>): Promise<T> {
  const store = await openAccountStore(loadConfig());
  try {
    return await fn(await KeyStore.open(store, { watch: false }));
  } finally {
    await store.close();
  }
}

function tierName(value: string): string {
  const tiers = Tiers.load(loadConfig().tiersFile);
  if (!tiers.get(value)) throw new InvalidArgumentError(`unknown tier; tiers: ${tiers.names().join(', ')}`);
  return value;
}

const keys = program.command('keys').description('manage API keys (in Postgres at DATABASE_URL, else the SQLite file TIKTOOL_DB)');
keys
  .command('create')
  .description('create a key and print it once')
  .option('--tier <tier>', 'community, basic, pro or ultra', tierName, 'community')
  .option('--label <label>', 'a note to recognise the key by', '')
  .option('--origins <list>', 'comma list of browser origins allowed to use the key')
  .option('--creators <list>', 'comma list of creators the key may watch')
  .action(async (opts: { tier: string; label: string; origins?: string; creators?: string }) => {
    const list = (v?: string) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : null;
    const scope = { allowedOrigins: list(opts.origins), allowedCreators: list(opts.creators?.toLowerCase()) };
    const { key, record } = await withKeys((k) => k.create(opts.tier, opts.label, scope));
    process.stdout.write(`${key}\n`);
    process.stderr.write(`created ${record.id} (tier ${record.tier}); the key is shown only now, store it safely\n`);
  });
keys
  .command('list')
  .description('list keys (ids and tiers, never the keys)')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const list = await withKeys((k) => k.list());
    if (opts.json) return void process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    for (const r of list) {
      const state = r.revokedAt ? `revoked ${new Date(r.revokedAt).toISOString()}` : 'active';
      process.stdout.write(`${r.id}\t${r.tier}\t${state}\t${new Date(r.createdAt).toISOString()}\t${r.label}\n`);
    }
  });
keys
  .command('revoke <id>')
  .description('revoke a key by id')
  .action(async (id: string) => {
    if (!(await withKeys((k) => k.revoke(id)))) fail(`no active key with id ${id}`);
    process.stdout.write(`revoked ${id}\n`);
  });
keys
  .command('set-tier <id> <tier>')
  .description("change a key's tier")
  .action(async (id: string, tier: string) => {
    tierName(tier);
    if (!(await withKeys((k) => k.setTier(id, tier)))) fail(`no key with id ${id}`);
    process.stdout.write(`${id} is now ${tier}\n`);
  });

program
  .command('db')
  .description('the account store (Postgres at DATABASE_URL, else the SQLite file TIKTOOL_DB)')
  .command('migrate')
  .description('apply schema migrations now (the gateway also applies them at start; safe on several nodes at once)')
  .action(async () => {
    const store = await openAccountStore(loadConfig());
    process.stdout.write(`${store.kind} account store at schema version ${store.schemaVersion}\n`);
    await store.close();
  });

const emulatorCommand = program
  .command('emulator')
  .description('the TikTok emulator: run it standalone (the default), or switch its creators live or offline')
  .addHelpText(
    'after',
    `
Its control API is POST /_emulator/creators/{uniqueId} with {"live": true|false}: on the
emulator's port when standalone (8081), and on the gateway's own port (8080) when the
gateway runs it in-process (TIKTOOL_UPSTREAM=emulator), e.g.
  tiktool emulator live offline_sam --url http://127.0.0.1:8080`,
  );
emulatorCommand
  .command('live <uniqueId>')
  .description('switch a creator live (a new LIVE), or offline with --off (its LIVE ends: clients get streamEnd, 4005)')
  .option('--off', 'end the LIVE instead')
  .option('--url <url>', 'the emulator, or a gateway in emulator mode', 'http://127.0.0.1:8081')
  .action(async (uniqueId: string, opts: { off?: boolean; url: string }) => {
    const { switchCreator } = await import('@tiktool/emulator');
    const state = await switchCreator(opts.url, uniqueId, !opts.off);
    process.stdout.write(`@${state.uniqueId} is ${state.live ? 'live' : 'offline'} (room ${state.roomId})\n`);
  });
emulatorCommand
  .command('start', { isDefault: true })
  .description('run the TikTok emulator standalone (HTTP + push WebSocket)')
  .option('-p, --port <port>', 'port to listen on', port, 8081)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--rate <n>', 'events per second per creator', (v) => Number(v), DEFAULT_EMULATOR_RATE)
  .action(async (opts: { port: number; host: string; rate: number }) => {
    const { startEmulator } = await import('@tiktool/emulator');
    const emulator = await startEmulator({ host: opts.host, port: opts.port, rate: opts.rate });
    process.stdout.write(`emulator listening on ${emulator.url} (control: POST ${emulator.url}/_emulator/creators/{uniqueId})\n`);
    const stop = () => void emulator.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });

registerWatch(program);
registerWebhooks(program, fail);

function fail(message: string, code = 1): never {
  process.stderr.write(`tiktool: ${message}\n`);
  process.exit(code);
}

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) fail(err.message, 2);
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') fail(`${e.message}: is another gateway running? Set PORT or --port`, 2);
  fail(e instanceof Error ? e.message : String(err));
});
