import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GatewayProcess, waitForOutput } from './gateway-process.js';
import { TEST_KEY, startTestGateway } from './helpers.js';
import type { Gateway } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const { version } = JSON.parse(read('packages/server/package.json')) as { version: string };
const DOCS = ['README.md', 'docs/keys.md', 'docs/deploy.md', 'docs/upstream.md', 'docs/scaling.md'];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell has: none of this test run's tiktool settings. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { TIKTOOL_API_KEY: _key, TIKTOOL_DB: _db, LOG_LEVEL: _level, ...inherited } = process.env;
  return { ...inherited, NO_COLOR: '1', ...extra };
}

/**
 * `npx tiktool ARGS` typed in the repository root. npm_config_yes=false only stops npx
 * from fetching a registry package of that name when the local bin is missing: that must
 * fail here.
 */
function npxTiktool(args: string[], env: Record<string, string> = {}) {
  // Its own process group, so Ctrl-C reaches npx and the gateway CLI as in a terminal.
  const child = spawn('npx', ['tiktool', ...args], {
    cwd: ROOT,
    env: userEnv({ ...env, npm_config_yes: 'false' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const run: Run = { code: null, signal: null, stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (run.stdout += d));
  child.stderr.on('data', (d) => (run.stderr += d));
  const exited = once(child, 'exit').then(([code, signal]) => {
    run.code = code as number | null;
    run.signal = signal as NodeJS.Signals | null;
    return run;
  });
  const interrupt = () => process.kill(-child.pid!, 'SIGINT');
  return { child, run, exited, interrupt };
}

/** The distinct `npx tiktool` command paths of the docs (e.g. "keys create", "watch"). */
function documentedCommands(): string[] {
  const paths = new Set<string>();
  for (const doc of DOCS) {
    for (const m of read(doc).matchAll(/npx tiktool ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)/g)) {
      const [command, sub] = m[1]!.split(' ');
      paths.add(command === 'keys' && sub ? `keys ${sub}` : command!);
    }
  }
  return [...paths].sort();
}

describe('a first run, as the README says', () => {
  let gateway: Gateway;
  let dir: string;
  before(async () => {
    gateway = await startTestGateway({ emulatorRate: 40 });
    dir = mkdtempSync(join(tmpdir(), 'tiktool-first-run-'));
  });
  after(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('npx tiktool --version prints the package version', async () => {
    const run = await npxTiktool(['--version']).exited;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), version);
  });

  it('npx tiktool keys create --tier pro prints a key that the keys list shows', async () => {
    assert.ok(read('README.md').includes('    npx tiktool keys create --tier pro\n'));
    const env = { TIKTOOL_DB: join(dir, 'tiktool.db') };
    const created = await npxTiktool(['keys', 'create', '--tier', 'pro'], env).exited;
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^tt_\S+\n$/);
    assert.match(created.stderr, /tier pro/);
    const listed = await npxTiktool(['keys', 'list'], env).exited;
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /\tpro\tactive\t/);
  });

  it('TIKTOOL_API_KEY=KEY npx tiktool watch streamer_demo prints the LIVE and stops on Ctrl-C', async () => {
    assert.ok(read('README.md').includes('$ TIKTOOL_API_KEY=demo-key npx tiktool watch streamer_demo\n'));
    const watch = npxTiktool(['watch', 'streamer_demo', '--url', gateway.wsUrl], { TIKTOOL_API_KEY: TEST_KEY });
    await waitForOutput(watch.child, () => watch.run.stderr, 'connected to @streamer_demo', 'npx tiktool watch');
    await waitForOutput(watch.child, () => watch.run.stdout, '\n', 'the first event line');
    watch.interrupt();
    const run = await watch.exited;
    // npx passes the interrupt on as its own exit (130 in a shell); the watcher says nothing more.
    assert.ok(run.code === 0 || run.signal === 'SIGINT', `exit ${run.code} ${run.signal}`);
    assert.ok(!run.stderr.includes('tiktool watch:'), run.stderr);
  });

  it('every npx tiktool command in the README and docs exists, and so does npx tiktool emulator', async () => {
    const commands = documentedCommands();
    for (const expected of ['keys create', 'keys list', 'watch']) assert.ok(commands.includes(expected), expected);
    for (const command of [...commands, 'emulator']) {
      const run = await npxTiktool([...command.split(' '), '--help']).exited;
      assert.equal(run.code, 0, `npx tiktool ${command} --help: ${run.stderr}`);
      assert.match(run.stdout, new RegExp(`^Usage: tiktool ${command} `), command);
    }
  });
});

describe('the install', () => {
  it('npm ci installs nothing that needs another Node (no EBADENGINE warning)', () => {
    // The manifests and the lockfile are all npm ci reads; a dry run in a copy changes nothing here.
    const copy = mkdtempSync(join(tmpdir(), 'tiktool-install-'));
    try {
      const { workspaces } = JSON.parse(read('package.json')) as { workspaces: string[] };
      for (const file of ['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)]) {
        mkdirSync(join(copy, file, '..'), { recursive: true });
        cpSync(join(ROOT, file), join(copy, file));
      }
      const install = spawnSync('npm', ['ci', '--dry-run', '--no-audit', '--no-fund'], {
        cwd: copy,
        env: userEnv({ npm_config_loglevel: 'warn' }),
        encoding: 'utf8',
      });
      assert.equal(install.status, 0, install.stderr);
      assert.doesNotMatch(install.stderr + install.stdout, /EBADENGINE/);
      assert.ok(!workspaces.includes('bench'), 'the benchmark installs its reference library itself');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('clear messages at start', () => {
  it('LOG_LEVEL=verbose is refused with the levels there are', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
      env: userEnv({ LOG_LEVEL: 'verbose', TIKTOOL_UPSTREAM: 'emulator', TIKTOOL_DB: ':memory:' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 2);
    assert.equal(stderr, 'tiktool: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"\n');
  });

  it('webcast mode without SIGN_API_KEY warns what will fail and how to fix it or run the demo', async () => {
    const clean = { SIGN_API_KEY: '', SIGN_API_URL: '', TIKTOOL_DB: ':memory:' };
    const webcast = await GatewayProcess.start({ ...clean, TIKTOOL_UPSTREAM: 'webcast' });
    const emulator = await GatewayProcess.start({ ...clean, TIKTOOL_UPSTREAM: 'emulator' });
    try {
      await waitForOutput(webcast.child, () => webcast.output, 'SIGN_API_KEY is not set', 'the warning');
      const warning = webcast.output.split('\n').find((l) => l.includes('SIGN_API_KEY is not set'))!;
      assert.match(warning, /"level":40/);
      assert.match(warning, /will close with 4500/);
      assert.match(warning, /Set SIGN_API_KEY/);
      assert.match(warning, /TIKTOOL_UPSTREAM=emulator TIKTOOL_BOOTSTRAP_KEY=demo-key npm start/);
      assert.ok(!emulator.output.includes('SIGN_API_KEY'), 'the demo needs no sign provider');
    } finally {
      await Promise.all([webcast.kill('SIGTERM'), emulator.kill('SIGTERM')]);
    }
  });
});
