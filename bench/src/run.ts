/**
 * `npm run bench`: runs every benchmark in turn, prints the tables, and (on a full run)
 * rewrites bench/RESULTS.md. Arguments pick benchmarks (decode fan-out many connections
 * resume accounts); `--profile DIR` writes a V8 CPU profile of every gateway process to DIR;
 * `--clients 1000,5000` sets the fan-out sizes. Three run only on their own, each
 * rewriting its own block of RESULTS.md: `soak [--minutes N] [--warmup M] [--history-mib B]`,
 * `idle [--idle-clients N]` (50,000 idle clients by default), and `bulk` (bulk live checks
 * over REST).
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAccounts } from './benches/accounts.js';
import { runBulkLive } from './benches/bulk-live.js';
import { runConnections } from './benches/connections.js';
import { runIdleClients } from './benches/idle-clients.js';
import { runSoak, defaultWarmup } from './benches/soak.js';
import { runDecode } from './benches/decode.js';
import { runFanOut, type FanOutRun } from './benches/fan-out.js';
import { runManyCreators } from './benches/many-creators.js';
import { runResume } from './benches/resume.js';
import { describeMachine } from './lib/machine.js';
import { renderResults, type Results } from './report.js';

const ALL = ['decode', 'fan-out', 'many', 'connections', 'resume', 'accounts'] as const;
/** Benchmarks a full run leaves out (too long), each with its own block of RESULTS.md. */
const ALONE = { soak: 'Soak', idle: 'Idle clients', bulk: 'Bulk live checks' } as const;
type Alone = keyof typeof ALONE;
const RESULTS_MD = fileURLToPath(new URL('../RESULTS.md', import.meta.url));

function parseArgs(argv: string[]) {
  const picked: string[] = [];
  let profileDir: string | undefined;
  let clients = [1_000, 5_000];
  let minutes = 30;
  let warmup: number | undefined;
  let historyMiB: number | undefined;
  let idleClients = 50_000;
  const count = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') profileDir = argv[++i];
    else if (argv[i] === '--clients') clients = argv[++i].split(',').map(Number);
    else if (argv[i] === '--minutes') minutes = Math.max(1, count('--minutes', argv[++i]));
    else if (argv[i] === '--warmup') warmup = count('--warmup', argv[++i]);
    else if (argv[i] === '--history-mib') historyMiB = Math.max(1, count('--history-mib', argv[++i]));
    else if (argv[i] === '--idle-clients') idleClients = Math.max(1, count('--idle-clients', argv[++i]));
    else if ((ALL as readonly string[]).includes(argv[i]) || argv[i] in ALONE) picked.push(argv[i]);
    else throw new Error(`unknown argument ${argv[i]}; benchmarks: ${ALL.join(' ')}; on their own: ${Object.keys(ALONE).join(' ')}`);
  }
  const alone = picked.length === 1 && picked[0] in ALONE ? (picked[0] as Alone) : undefined;
  if (!alone && picked.some((p) => p in ALONE)) throw new Error(`${Object.keys(ALONE).join(' and ')} run on their own`);
  return {
    picked: picked.length > 0 ? picked : [...ALL],
    profileDir,
    clients,
    minutes,
    warmup: warmup ?? defaultWarmup(minutes),
    historyMiB,
    idleClients,
    alone,
    full: picked.length === 0 && clients.join() === '1000,5000',
  };
}

const BEGIN = '<!-- bench:begin (written by npm run bench) -->';
const END = '<!-- bench:end -->';

/**
 * The file with a measured block replaced (the full run's, or a lone benchmark's); the
 * analysis written around it stays. A lone benchmark's block missing is appended.
 */
function withMeasured(file: string, measured: string, alone?: Alone): string {
  const begin = alone ? `<!-- bench:${alone}:begin (written by npm run bench -- ${alone}) -->` : BEGIN;
  const end = alone ? `<!-- bench:${alone}:end -->` : END;
  const block = `${begin}\n${measured}\n${end}`;
  const from = file.indexOf(begin);
  const to = file.indexOf(end);
  if (from === -1 || to === -1) return alone ? `${file.trimEnd()}\n\n${block}\n` : `${block}\n`;
  return file.slice(0, from) + block + file.slice(to + end.length);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.profileDir) mkdirSync(args.profileDir, { recursive: true });
  const started = Date.now();
  const results: Results = {
    title: args.alone && ALONE[args.alone],
    machine: describeMachine(),
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    startedAt: new Date(started).toISOString().replace(/\.\d+Z$/, 'Z'),
    durationS: 0,
  };
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    if (!args.picked.includes(name)) return undefined;
    const t0 = Date.now();
    process.stderr.write(`bench: ${name}...\n`);
    const out = await fn();
    process.stderr.write(`bench: ${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    return out;
  };
  results.decode = await step('decode', runDecode);
  results.fanOut = await step('fan-out', async () => {
    const runs: FanOutRun[] = [];
    for (const clients of args.clients) runs.push(...(await runFanOut({ clients, profileDir: args.profileDir })));
    return runs;
  });
  results.manyCreators = await step('many', () => runManyCreators(args.profileDir));
  results.connections = await step('connections', runConnections);
  results.resume = await step('resume', () => runResume(args.profileDir));
  results.accounts = await step('accounts', runAccounts);
  results.idleClients = await step('idle', () => runIdleClients(args.idleClients, args.profileDir));
  results.soak = await step('soak', () => runSoak(args.minutes, args.warmup, args.historyMiB));
  results.bulkLive = await step('bulk', runBulkLive);
  results.durationS = (Date.now() - started) / 1000;
  const text = renderResults(results);
  process.stdout.write(`${text}\n`);
  if ((args.full || args.alone) && !args.profileDir) {
    writeFileSync(RESULTS_MD, withMeasured(existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, 'utf8') : '', text, args.alone));
    process.stderr.write(`bench: wrote ${RESULTS_MD}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
