import type { Command } from 'commander';
import { Registry } from 'prom-client';
import type { AccountStore } from '../accounts/account-store.js';
import { openAccountStore } from '../accounts/open-account-store.js';
import { KeyStore } from '../auth/key-store.js';
import { Tiers } from '../auth/tiers.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { WebhookMetrics } from '../metrics/webhook-metrics.js';
import { describeDelivery } from './delivery.js';
import { describeEndpoint } from './webhook-endpoint.js';
import { WebhookEndpoints } from './webhook-endpoints.js';
import { WebhookOutbox } from './webhook-outbox.js';

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const print = (line: string): void => void process.stdout.write(`${line}\n`);

/** Runs `fn` on the account store the gateway uses; a running gateway picks changes up within seconds. */
async function withStore<T>(fn: (store: AccountStore, allowPrivate: boolean) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openAccountStore(config);
  try {
    return await fn(store, config.webhookAllowPrivate);
  } finally {
    await store.close();
  }
}

/** `tiktool webhooks list|create|delete|deliveries`: the operator's view of every key's endpoints. */
export function registerWebhooks(program: Command, fail: (message: string, code?: number) => never): void {
  const webhooks = program
    .command('webhooks')
    .description('manage webhook endpoints (in the account store: DATABASE_URL, else TIKTOOL_DB)');
  webhooks
    .command('list')
    .description("list endpoints (never their secrets), every key's or one key's")
    .option('--key <id>', 'only this key id')
    .option('--json', 'print JSON')
    .action(async (opts: { key?: string; json?: boolean }) => {
      const all = await withStore((s) => s.webhooks.endpoints(opts.key));
      if (opts.json)
        return print(
          JSON.stringify(
            all.map((e) => ({ keyId: e.keyId, ...describeEndpoint(e) })),
            null,
            2,
          ),
        );
      // An empty list says so on stderr, so a script reading stdout still gets no lines.
      if (all.length === 0) process.stderr.write(opts.key ? `no webhook endpoints for key ${opts.key}\n` : 'no webhook endpoints\n');
      for (const e of all) {
        const state = e.disabledAt === null ? 'enabled' : `disabled: ${e.disabledReason}`;
        print(`${e.id}\t${e.keyId}\t${e.url}\t${e.events.join(',')}\t${e.creators.join(',')}\t${state}`);
      }
    });
  webhooks
    .command('create')
    .description('create an endpoint for a key and print its signing secret once')
    .requiredOption('--key <id>', 'the key id that owns it (tiktool keys list)')
    .requiredOption('--url <url>', 'https:// URL to post events to')
    .requiredOption('--creators <list>', 'comma list of creators to watch')
    .requiredOption('--events <list>', 'comma list: live.start, live.end, gift, follow, subscribe, viewers.peak')
    .option('--min-diamonds <n>', 'send only gifts worth at least this many diamonds', (v) => Number(v))
    .action(async (opts: { key: string; url: string; creators: string; events: string; minDiamonds?: number }) => {
      const created = await withStore(async (store, allowPrivate) => {
        const key = await (await KeyStore.open(store, { watch: false })).lookup(opts.key);
        if (!key || key.revokedAt !== null) fail(`no active key with id ${opts.key}`);
        const tier = Tiers.load(loadConfig().tiersFile).get(key.tier);
        if (!tier) fail(`key ${key.id} has the unknown tier ${key.tier}`);
        const outbox = new WebhookOutbox(store.webhooks, new WebhookMetrics(new Registry()), createLogger('silent'), () => undefined);
        const endpoints = new WebhookEndpoints(store.webhooks, outbox, allowPrivate, async () => undefined);
        const input = { url: opts.url, creators: list(opts.creators), events: list(opts.events), minDiamonds: opts.minDiamonds };
        return endpoints.create(key, tier, input);
      });
      print(created.secret);
      process.stderr.write(`created ${created.id}; the secret is shown only now, store it safely\n`);
    });
  webhooks
    .command('delete <id>')
    .description('delete an endpoint and its deliveries')
    .action(async (id: string) => {
      if (!(await withStore((s) => s.webhooks.deleteEndpoint(id)))) fail(`no webhook with id ${id}`);
      print(`deleted ${id}`);
    });
  webhooks
    .command('deliveries <id>')
    .description("an endpoint's recent deliveries: status, response code, duration, next attempt")
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const rows = await withStore(async (s) => ((await s.webhooks.endpoint(id)) ? s.webhooks.deliveries(id, 50) : undefined));
      if (!rows) fail(`no webhook with id ${id}`);
      if (opts.json) return print(JSON.stringify(rows.map(describeDelivery), null, 2));
      for (const d of rows.map(describeDelivery)) {
        print(
          `${d.id}\t${d.type}\t${d.status}\t${d.attempts}\t${d.responseCode ?? '-'}\t${d.durationMs ?? '-'} ms\tnext ${d.nextAttemptAt ?? '-'}\t${d.error ?? ''}`,
        );
      }
    });
}
