import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveOptions, webcastOptionsFromEnv } from '@tiktool/webcast';
import { ENV, loadConfig } from '../src/config.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../src/defaults.js';
import { ProcessOutput } from '@tiktool/testkit';
import { LISTENING } from './gateway-process.js';
import { RawClient, TEST_KEY } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The rows of docs/deploy.md's environment reference: variable -> default cell. */
function documentedEnv(): Map<string, string> {
  const doc = read('docs/deploy.md');
  const section = doc.slice(doc.indexOf('## Environment reference'));
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)) rows.set(m[1]!, m[2]!.trim());
  return rows;
}

/** Every environment variable the gateway's config reads, found by letting it read a recording object. */
function variablesRead(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get(_target, name) {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadConfig(env);
  return read;
}

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's stages, each a list of instructions (continuation lines joined). */
function dockerStages(): Instruction[][] {
  const lines = read('Dockerfile')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line.trim())!;
    if (op === 'FROM') stages.push([]);
    stages.at(-1)!.push({ op: op!, args: args! });
  }
  return stages;
}

function stageNamed(stages: Instruction[][], name: string): Instruction[] {
  const stage = stages.find((s) => new RegExp(`\\bAS ${name}$`, 'i').test(s[0]!.args));
  assert.ok(stage, `the Dockerfile has a stage ${name}`);
  return stage;
}

/** COPY instructions as [sources, dest], with `--from=STAGE` sources relative to the stage's /app. */
function copies(stage: Instruction[], from?: string): [string[], string][] {
  return stage
    .filter((i) => i.op === 'COPY')
    .map((i) => i.args.split(/\s+/))
    .filter((words) => (from ? words[0] === `--from=${from}` : !words[0]!.startsWith('--')))
    .map((words) => {
      const paths = words.filter((w) => !w.startsWith('--'));
      return [paths.slice(0, -1).map((p) => p.replace(/^\/app\/?/, '')), paths.at(-1)!];
    });
}

/** Applies COPYs from the repository into dir, with Docker's rules for directories and trailing slashes. */
function applyCopies(dir: string, list: [string[], string][]): void {
  for (const [sources, dest] of list) {
    for (const source of sources) {
      const into = dest.endsWith('/') || sources.length > 1;
      const target = join(dir, into ? join(dest, basename(source)) : dest);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(ROOT, source), target, { recursive: true });
    }
  }
}

/**
 * node_modules as `npm ci --omit=dev` leaves it: only production packages (linked to the
 * repository's copies), and the workspace links pointing into dir's own packages.
 */
function productionNodeModules(dir: string): void {
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  for (const path of listed.split('\n')) {
    const rel = relative(ROOT, path);
    // A workspace's own node_modules holds versions that differ from the root's (the image copies them too).
    if (!/^(packages\/[^/]+\/)?node_modules\/(@[^/]+\/)?[^/]+$/.test(rel)) continue;
    const target = join(dir, rel);
    mkdirSync(dirname(target), { recursive: true });
    const isWorkspace = lstatSync(path).isSymbolicLink();
    symlinkSync(isWorkspace ? readlinkSync(path) : path, target);
  }
}

describe('deployment files', () => {
  it('docs/deploy.md lists exactly the variables the config reads, with their defaults', () => {
    const documented = documentedEnv();
    assert.deepEqual([...documented.keys()].sort(), [...variablesRead()].sort());

    const defaults = loadConfig({});
    const webcastDefaults = resolveOptions({}) as unknown as Record<string, unknown>;
    const codeDefault = (name: string): unknown => {
      const field = Object.entries(ENV).find(([, v]) => v === name)?.[0];
      if (field) return defaults[field as keyof typeof defaults];
      const probe = webcastOptionsFromEnv({ [name]: 'probe' }) as Record<string, unknown>;
      const webcastField = Object.keys(probe).find((k) => probe[k] === 'probe')!;
      return webcastDefaults[webcastField];
    };
    // A default written as a literal must be the code's; "unset" means none.
    for (const [name, cell] of documented) {
      const literal = /^`([^`]*)`/.exec(cell)?.[1];
      if (literal !== undefined) assert.equal(literal, String(codeDefault(name)), `${name} default`);
      else if (cell === 'unset') assert.equal(codeDefault(name), undefined, `${name} default`);
    }
  });

  it('the Dockerfile builds every workspace, runs as a user, and its port and command match the defaults', () => {
    const stages = dockerStages();
    const named = new Set<string>();
    for (const stage of stages) {
      const [image, , name] = stage[0]!.args.split(/\s+/);
      assert.ok(image === 'node:20-bookworm-slim' || named.has(image!), `${image}: Node 20 on Debian bookworm`);
      if (name) named.add(name);
    }
    const runtime = stages.at(-1)!;
    const value = (op: string) => runtime.filter((i) => i.op === op).map((i) => i.args);

    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    const manifests = copies(stageNamed(stages, 'base')).flatMap(([sources, dest]) => sources.map((s) => join(dest, basename(s))));
    for (const ws of workspaces) assert.ok(manifests.includes(`${ws}/package.json`), `npm ci sees ${ws}/package.json`);

    assert.deepEqual(value('EXPOSE'), [String(DEFAULT_PORT)]);
    const env = value('ENV').join(' ');
    assert.match(env, new RegExp(`\\bPORT=${DEFAULT_PORT}\\b`));
    assert.match(env, new RegExp(`\\bHOST=${DEFAULT_HOST.replace(/\./g, '\\.')}\\b`));
    const user = value('USER');
    assert.equal(user.length, 1);
    assert.notEqual(user[0], 'root');
    assert.match(value('HEALTHCHECK').join(' '), /\/healthz/);

    const cmd = JSON.parse(value('CMD').at(-1)!) as string[];
    assert.equal(cmd[0], 'node');
    assert.ok(existsSync(join(ROOT, cmd[1]!)), `${cmd[1]} is what the build produces`);
    assert.equal(cmd[2], 'serve');
  });

  it('compose.yaml maps the default port and sets only documented variables', () => {
    const compose = read('compose.yaml');
    assert.match(compose, /^\s+image: redis:7\b/m);
    const ports = [...compose.matchAll(/^\s+- "(?:[\d.]+:)?\d+:(\d+)"$/gm)].map((m) => Number(m[1]));
    assert.deepEqual(ports, [DEFAULT_PORT]);
    const block = /^ {4}environment:\n((?: {6}.*\n)+)/m.exec(compose)?.[1] ?? '';
    const names = [...block.matchAll(/^ {6}([A-Z0-9_]+):/gm)].map((m) => m[1]!);
    assert.ok(names.includes('REDIS_URL'));
    const documented = documentedEnv();
    for (const name of names) assert.ok(documented.has(name), `${name} is in docs/deploy.md`);
  });

  it("the image's files, laid out as the Dockerfile copies them, start the gateway and serve events", { timeout: 30_000 }, async () => {
    const stages = dockerStages();
    const runtime = stages.at(-1)!;
    const dir = mkdtempSync(join(tmpdir(), 'tiktool-image-'));
    try {
      applyCopies(dir, copies(stageNamed(stages, 'base')));
      productionNodeModules(dir);
      applyCopies(dir, copies(runtime, 'build'));

      const imageEnv = Object.fromEntries(
        runtime.filter((i) => i.op === 'ENV').flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
      );
      const [, ...args] = JSON.parse(runtime.find((i) => i.op === 'CMD')!.args) as string[];
      const child = spawn(process.execPath, args, {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          ...imageEnv,
          PORT: '0',
          HOST: '127.0.0.1',
          TIKTOOL_DB: join(dir, 'data', 'tiktool.db'),
          TIKTOOL_UPSTREAM: 'emulator',
          TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output = new ProcessOutput(child);
      const exited = once(child, 'exit');
      try {
        const [, port] = await output.waitForLine(LISTENING, "the image's gateway");
        const base = `http://127.0.0.1:${port}`;
        assert.equal((await fetch(`${base}/healthz`)).status, 200);
        assert.equal((await fetch(`${base}/`)).status, 200);
        assert.equal((await fetch(`${base}/playground/lib/live/client.js`)).status, 200);
        const client = new RawClient(`ws://127.0.0.1:${port}/?uniqueId=image_check&apiKey=${TEST_KEY}`);
        await client.until((c) => c.events().length >= 5);
        client.close();
      } finally {
        child.kill('SIGTERM');
      }
      const [code] = (await exited) as [number];
      assert.equal(code, 0, output.all);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
