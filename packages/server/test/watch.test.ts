import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CloseCode } from '@tiktool/protocol';
import type { Gateway } from '../src/index.js';
import { recentlyFreePort, waitFor } from '@tiktool/testkit';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { TEST_KEY, startEmulatedGateway, startTestGateway } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

/** `tiktool watch` as a user runs it, with its output split in lines. */
class WatchProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number>;
  private out = '';
  private err = '';

  constructor(args: string[], env: Record<string, string> = {}) {
    const { TIKTOOL_API_KEY: _key, NO_COLOR: _noColor, ...inherited } = process.env;
    this.child = spawn(process.execPath, [CLI, 'watch', ...args], {
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => (this.out += d));
    this.child.stderr!.on('data', (d) => (this.err += d));
    this.exited = once(this.child, 'exit').then(([code]) => code as number);
  }

  /** Complete stdout lines so far. */
  get lines(): string[] {
    return this.out.split('\n').slice(0, -1);
  }

  get stderr(): string {
    return this.err;
  }

  async until(predicate: (w: WatchProcess) => boolean, what: string): Promise<void> {
    await waitFor(() => predicate(this) || this.child.exitCode !== null, { timeoutMs: 15_000, what: what });
    assert.ok(predicate(this), `${what}; exited ${this.child.exitCode}: ${this.err}`);
  }

  /** Ctrl-C, and the exit code. */
  async interrupt(): Promise<number> {
    this.child.kill('SIGINT');
    return this.exited;
  }
}

const EVENT_LINE = /^\d\d:\d\d:\d\d (\w+) +(.*)$/;

describe('tiktool watch', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 60 }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('prints readable lines, a gift streak once with its total, and exits 0 on Ctrl-C', async () => {
    const w = new WatchProcess(['watch_plain', '--url', gateway.wsUrl, '--key', TEST_KEY]);
    await w.until((x) => x.lines.filter((l) => / gift +.* sent .* ×\d+ \(\d+ diamonds?\)$/.test(l)).length >= 2, 'gift lines');
    assert.match(w.stderr, /connected to @watch_plain \(room \d+/);
    for (const line of w.lines) {
      assert.match(line, EVENT_LINE, 'every stdout line is an event line');
      assert.ok(!line.includes('\u001b['), 'no colour when stdout is not a terminal');
      assert.ok(!/ gift .* is sending /.test(line), 'a streak in progress is not printed');
    }
    assert.ok(w.lines.some((l) => EVENT_LINE.exec(l)![1] === 'chat'));
    assert.equal(await w.interrupt(), 0);
  });

  it('prints NDJSON with --json, only --events, records the same lines with --out, and survives a drop by resuming', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tiktool-watch-')), 'events.ndjson');
    const w = new WatchProcess(['watch_json', '--json', '--events', 'chat,gift', '--out', out, '--url', gateway.wsUrl], {
      TIKTOOL_API_KEY: TEST_KEY,
    });
    await w.until((x) => x.lines.length >= 10, 'ten lines');
    const creator = gateway.hub.get('watch_json')!;
    for (const s of creator.subscribers) s.close(CloseCode.SLOW_CONSUMER, 'slow consumer: test');
    await w.until((x) => /resumed: \d+ missed events replayed, none lost/.test(x.stderr), 'resumed');
    const seen = w.lines.length;
    await w.until((x) => x.lines.length >= seen + 10, 'events after the resume');
    assert.equal(await w.interrupt(), 0);

    const envelopes = w.lines.map((l) => JSON.parse(l) as { event: string; seq?: number });
    assert.equal(envelopes[0]!.event, 'roomInfo');
    assert.equal(envelopes.filter((e) => e.event === 'roomInfo').length, 2, 'one roomInfo per connection');
    const events = envelopes.filter((e) => e.event !== 'roomInfo');
    assert.deepEqual(new Set(events.map((e) => e.event)), new Set(['chat', 'gift']));
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.seq! > events[i - 1]!.seq!, 'in order, no duplicate');
    assert.deepEqual(readFileSync(out, 'utf8').split('\n').slice(0, -1), w.lines);
  });

  it('prints the end of the LIVE and exits 0 when the stream ends', async () => {
    const w = new WatchProcess(['watch_end', '--url', gateway.wsUrl, '--key', TEST_KEY]);
    await w.until((x) => x.lines.length >= 3, 'events');
    emulator.endStream('watch_end');
    assert.equal(await w.exited, 0);
    assert.match(w.lines.at(-1)!, /streamEnd +the LIVE ended$/);
    assert.match(w.stderr, /the LIVE ended \(4005\)/);
  });

  it('exits 2 with a clear message on a bad or missing key', async () => {
    const bad = new WatchProcess(['watch_bad', '--url', gateway.wsUrl, '--key', 'tt_not_a_real_key']);
    assert.equal(await bad.exited, 2);
    assert.match(bad.stderr, /invalid API key: the gateway refused it with 4401/);
    assert.deepEqual(bad.lines, []);

    const missing = new WatchProcess(['watch_bad', '--url', gateway.wsUrl]);
    assert.equal(await missing.exited, 2);
    assert.match(missing.stderr, /no API key: pass --key KEY or set TIKTOOL_API_KEY/);
  });

  it('documents its exit codes in --help', async () => {
    const help = new WatchProcess(['--help']);
    assert.equal(await help.exited, 0);
    const text = help.lines.join('\n');
    for (const code of ['0', '1', '2', '3', '4', '5']) assert.match(text, new RegExp(`^  ${code}  `, 'm'));
    assert.match(text, /--max-failed-reconnects <n>/);
  });
});

describe('tiktool watch when it cannot get through', () => {
  it('says it cannot reach the gateway, and exits 4 after the reconnects', async () => {
    // Nothing listens there: the kernel just handed the port out and took it back.
    const url = `ws://127.0.0.1:${await recentlyFreePort()}`;
    const w = new WatchProcess(['nobody_listening', '--url', url, '--key', TEST_KEY, '--max-failed-reconnects', '2']);
    assert.equal(await w.exited, 4);
    const unreachable = `cannot reach the gateway at ${url}/ (ECONNREFUSED)`;
    assert.ok(w.stderr.startsWith(`${unreachable}; reconnecting in `), w.stderr);
    assert.ok(w.stderr.includes(`tiktool watch: ${unreachable}; gave up after 2 reconnect attempts`), w.stderr);
    assert.ok(!w.stderr.includes('connection lost (1006)'), w.stderr);
  });

  it('stops retrying a 4500 that repeats, says the last reason, and exits 5', async () => {
    const emulator = await startEmulator({ rate: 20 });
    const gateway = await startTestGateway({ upstream: 'webcast', webcast: emulator.upstreamOptions() });
    try {
      emulator.rejectHandshake('always_failing', true);
      const w = new WatchProcess(['always_failing', '--url', gateway.wsUrl, '--key', TEST_KEY, '--max-failed-reconnects', '2']);
      assert.equal(await w.exited, 5);
      assert.match(w.stderr, /tiktool watch: gave up after 2 reconnect attempts; last close: 4500 UPSTREAM_FAILED \(.*handshake/);
    } finally {
      await gateway.close();
      await emulator.close();
    }
  });
});

describe('tiktool watch with several creators, or --wait', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 40, liveCheckMs: 150 }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  const ROSTER_LINE = /^\d\d:\d\d:\d\d @(\w+) +(\w+) +(.*)$/;
  const creatorsOf = (w: WatchProcess) => new Set(w.lines.map((l) => ROSTER_LINE.exec(l)?.[1]));

  it('prints a roster, each line naming its creator, says who is not live, and follows it once live', async () => {
    const w = new WatchProcess(['w_ros_ann', 'w_ros_ben', 'offline_w_ros_cy', '--url', gateway.wsUrl, '--key', TEST_KEY]);
    await w.until((x) => creatorsOf(x).has('w_ros_ann') && creatorsOf(x).has('w_ros_ben'), 'lines of both live creators');
    await w.until((x) => /^@offline_w_ros_cy is not live \(checked \d\d:\d\d:\d\d\)$/m.test(x.stderr), 'offline_w_ros_cy waiting');
    for (const line of w.lines) assert.match(line, ROSTER_LINE, 'every stdout line names its creator');
    assert.ok(!creatorsOf(w).has('offline_w_ros_cy'));

    emulator.setLive('offline_w_ros_cy', true);
    await w.until((x) => creatorsOf(x).has('offline_w_ros_cy'), 'lines of offline_w_ros_cy once live');
    assert.match(w.stderr, /^@offline_w_ros_cy is live$/m);
    assert.match(w.stderr, /^connected to @offline_w_ros_cy \(room \d+/m);
    assert.equal(await w.interrupt(), 0);
  });

  it('prints a roster as NDJSON with --json: every event carries its uniqueId, liveStatus included', async () => {
    const w = new WatchProcess(['w_ros_json', 'offline_w_ros_json', '--json', '--url', gateway.wsUrl, '--key', TEST_KEY]);
    await w.until((x) => x.lines.length >= 10 && x.lines.some((l) => l.includes('"liveStatus"')), 'ten lines and a liveStatus');
    assert.equal(await w.interrupt(), 0);
    const envelopes = w.lines.map((l) => JSON.parse(l) as { event: string; uniqueId?: string; data: { uniqueId?: string } });
    for (const e of envelopes.filter((x) => x.event !== 'roomInfo' && x.event !== 'liveStatus')) assert.equal(e.uniqueId, 'w_ros_json');
    const status = envelopes.find((e) => e.event === 'liveStatus')!;
    assert.equal(status.data.uniqueId, 'offline_w_ros_json');
  });

  it('exits 3 for a creator not live without --wait, and waits for it with --wait', async () => {
    const plain = new WatchProcess(['offline_w_wait', '--url', gateway.wsUrl, '--key', TEST_KEY]);
    assert.equal(await plain.exited, 3);
    assert.match(plain.stderr, /creator not found or not live \(4404/);

    const w = new WatchProcess(['offline_w_wait', '--wait', '--url', gateway.wsUrl, '--key', TEST_KEY]);
    await w.until((x) => /^@offline_w_wait is not live \(checked /m.test(x.stderr), 'waiting');
    emulator.setLive('offline_w_wait', true);
    await w.until((x) => x.lines.length >= 3, 'events once live');
    for (const line of w.lines) assert.match(line, EVENT_LINE, 'one creator: lines as before, without its name');
    emulator.endStream('offline_w_wait');
    await w.until(
      (x) => /streamEnd +the LIVE ended$/m.test(x.lines.join('\n')) && /is not live: stream ended/.test(x.stderr),
      'waiting again',
    );
    assert.equal(w.child.exitCode, null, 'still running after the LIVE ended');
    assert.equal(await w.interrupt(), 0);
  });

  it('exits 3 when no creator of the roster exists', async () => {
    const w = new WatchProcess(['missing_w_a', 'missing_w_b', '--url', gateway.wsUrl, '--key', TEST_KEY]);
    assert.equal(await w.exited, 3);
    assert.match(w.stderr, /no creator of the roster can be watched/);
  });
});
