/**
 * `npm run bench`: runs every benchmark in turn, prints the tables, and (on a full run)
 * rewrites bench/RESULTS.md. Arguments pick benchmarks (decode fan-out many connections
 * resume accounts); `--profile DIR` writes a V8 CPU profile of every gateway process to DIR;
 * `--clients 1000,5000` sets the fan-out sizes.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAccounts } from './benches/accounts.js';
import { runConnections } from './benches/connections.js';
import { runDecode } from './benches/decode.js';
import { runFanOut, type FanOutRun } from './benches/fan-out.js';
import { runManyCreators } from './benches/many-creators.js';
import { runResume } from './benches/resume.js';
import { describeMachine } from './lib/machine.js';
import { renderResults, type Results } from './report.js';

const ALL = ['decode', 'fan-out', 'many', 'connections', 'resume', 'accounts'] as const;
const RESULTS_MD = fileURLToPath(new URL('../RESULTS.md', import.meta.url));

function parseArgs(argv: string[]) {
  const picked: string[] = [];
  let profileDir: string | undefined;
  let clients = [1_000, 5_000];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') profileDir = argv[++i];
    else if (argv[i] === '--clients') clients = argv[++i].split(',').map(Number);
    else if ((ALL as readonly string[]).includes(argv[i])) picked.push(argv[i]);
    else throw new Error(`unknown argument ${argv[i]}; benchmarks: ${ALL.join(' ')}`);
  }
  return { picked: picked.length > 0 ? picked : [...ALL], profileDir, clients, full: picked.length === 0 && clients.join() === '1000,5000' };
}

const BEGIN = '<!-- bench:begin (written by npm run bench) -->';
const END = '<!-- bench:end -->';

/** The file with its measured part replaced; the analysis written around it stays. */
function withMeasured(file: string, measured: string): string {
  const block = `${BEGIN}\n${measured}\n${END}`;
  const from = file.indexOf(BEGIN);
  const to = file.indexOf(END);
  if (from === -1 || to === -1) return `${block}\n`;
  return file.slice(0, from) + block + file.slice(to + END.length);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.profileDir) mkdirSync(args.profileDir, { recursive: true });
  const started = Date.now();
  const results: Results = {
    machine: describeMachine(),
    command: 'npm run bench',
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
  results.durationS = (Date.now() - started) / 1000;
  const text = renderResults(results);
  process.stdout.write(`${text}\n`);
  if (args.full && !args.profileDir) {
    writeFileSync(RESULTS_MD, withMeasured(existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, 'utf8') : '', text));
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
