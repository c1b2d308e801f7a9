import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { recentlyFreePort } from '@tiktool/testkit';
import { waitForOutput } from './gateway-process.js';

const PG_ROOT = '/usr/lib/postgresql';
// Postgres refuses to run as root; tests run as root in CI, so the server runs as this user.
const SERVER_USER = 'postgres';

/** The directory holding initdb and postgres, or an error saying how to get them. */
function binDir(): string {
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => join(PG_ROOT, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
  if (!dir) {
    throw new Error(`Postgres server binaries not found under ${PG_ROOT}/*/bin: install Debian's postgresql (.ci/run does)`);
  }
  return dir;
}

/** Runs a Postgres binary as the unprivileged server user when the tests run as root. */
function asServerUser(bin: string, args: string[]): [string, string[]] {
  return userInfo().uid === 0 ? ['runuser', ['-u', SERVER_USER, '--', bin, ...args]] : [bin, args];
}

/** A throwaway Postgres: initdb into a temp dir, listening on a free loopback port, trust auth. */
export class PostgresServer {
  private created = 0;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(): Promise<PostgresServer> {
    const bin = binDir();
    const dir = mkdtempSync(join(tmpdir(), 'tiktool-pg-'));
    if (userInfo().uid === 0) chownSync(dir, uidOf(SERVER_USER), gidOf(SERVER_USER));
    const data = join(dir, 'data');
    const init = spawnSync(...asServerUser(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'tiktool', '--no-sync']), {
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
    const port = await recentlyFreePort();
    const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'];
    const child = spawn(...asServerUser(join(bin, 'postgres'), args), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await waitForOutput(child, () => out, 'ready to accept connections', 'postgres');
    return new PostgresServer(port, dir, child);
  }

  /** A new, empty database on this server; its URL. */
  async createDatabase(): Promise<string> {
    const name = `tiktool_${process.pid}_${++this.created}`;
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  url(database: string): string {
    return `postgres://tiktool@127.0.0.1:${this.port}/${database}`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      // SIGINT to the postmaster itself (runuser does not pass it on): fast shutdown, closing client connections.
      const pid = Number(readFileSync(join(this.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      const exited = once(this.child, 'exit');
      process.kill(pid, 'SIGINT');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function uidOf(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}

function gidOf(user: string): number {
  return Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
}
