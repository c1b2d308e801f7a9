/**
 * `node bench/dist/tools/profile-top.js FILE.cpuprofile [N] [--after S]`: the functions a
 * V8 CPU profile (node --cpu-prof, or `npm run bench -- --profile DIR`) spent most self
 * time in, and the share of each package, to read where a hot path goes. `--after S`
 * skips the first S seconds (start-up and connects), leaving the steady state.
 */

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ?? /packages\/([^/]+)\//.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node';
  return url === '' ? '(native)' : url.replace(/^.*\//, '');
}

const args = process.argv.slice(2);
const afterAt = args.indexOf('--after');
const afterUs = afterAt === -1 ? 0 : Number(args.splice(afterAt, 2)[1]) * 1e6;
const [file, top = '25'] = args;
if (!file) {
  process.stderr.write('usage: profile-top FILE.cpuprofile [N] [--after S]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
let total = 0;
let clock = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  clock += dt;
  if (clock < afterUs) return;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
});

const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const key = `${functionName || '(anonymous)'} ${where(url)}:${lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const pkg =
    functionName === '(idle)' || functionName === '(program)' || functionName === '(garbage collector)' ? functionName : where(url);
  pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
}
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nby package:\n`);
for (const [k, us] of [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stdout.write(`${pct(us)}  ${k}\n`);
process.stdout.write('\nby function (self):\n');
for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) process.stdout.write(`${pct(us)}  ${k}\n`);
