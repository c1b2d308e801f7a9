import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CloseCode } from '@tiktool/protocol';
import type { Gateway } from '../src/index.js';
import { ProcessOutput } from '@tiktool/testkit';
import { RawClient, TEST_KEY, connectUrl, startTestGateway } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

/** Runs the CLI as a user types it; resolves with its exit code and output. */
function tiktool(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 15_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function switchLive(gateway: Gateway, uniqueId: string, live: boolean): Promise<Response> {
  return fetch(`${gateway.url}/_emulator/creators/${uniqueId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ live }),
  });
}

describe("emulator mode: offline, missing and ending creators, switched from the gateway's port or the CLI", () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startTestGateway({ emulatorRate: 50 });
  });
  after(() => gateway.close());

  it('an offline_ creator closes 4404 "not live", a missing_ one 4404 "not found"', async () => {
    const offline = new RawClient(connectUrl(gateway, { uniqueId: 'offline_olga', apiKey: TEST_KEY }));
    const o = await offline.closed;
    assert.equal(o.code, CloseCode.NOT_FOUND);
    assert.match(o.reason, /not live/);
    const missing = new RawClient(connectUrl(gateway, { uniqueId: 'missing_mia', apiKey: TEST_KEY }));
    const m = await missing.closed;
    assert.equal(m.code, CloseCode.NOT_FOUND);
    assert.match(m.reason, /not found/);
  });

  it('switching a watched creator offline ends the stream (streamEnd, then 4005); switched live, a new connection gets events', async () => {
    const watching = new RawClient(connectUrl(gateway, { uniqueId: 'switch_sue', apiKey: TEST_KEY }));
    await watching.until((c) => c.events().length >= 3);
    const off = await switchLive(gateway, 'switch_sue', false);
    assert.equal(off.status, 200);
    assert.equal(((await off.json()) as { live: boolean }).live, false);
    const closed = await watching.closed;
    assert.equal(closed.code, CloseCode.STREAM_END);
    assert.equal(watching.events().at(-1)!.event, 'streamEnd');

    const whileOff = new RawClient(connectUrl(gateway, { uniqueId: 'switch_sue', apiKey: TEST_KEY }));
    assert.equal((await whileOff.closed).code, CloseCode.NOT_FOUND);

    assert.equal((await switchLive(gateway, 'switch_sue', true)).status, 200);
    const back = new RawClient(connectUrl(gateway, { uniqueId: 'switch_sue', apiKey: TEST_KEY }));
    await back.until((c) => c.events().length >= 3);
    assert.ok(!back.events().some((e) => e.event === 'streamEnd'));
    back.close();
  });

  it('tiktool emulator live NAME [--off] --url GATEWAY switches it, and says why when it cannot', async () => {
    const watching = new RawClient(connectUrl(gateway, { uniqueId: 'cli_carl', apiKey: TEST_KEY }));
    await watching.until((c) => c.events().length >= 1);
    const off = await tiktool(['emulator', 'live', 'cli_carl', '--off', '--url', gateway.url]);
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /@cli_carl is offline/);
    assert.equal((await watching.closed).code, CloseCode.STREAM_END);

    const on = await tiktool(['emulator', 'live', 'cli_carl', '--url', gateway.url]);
    assert.match(on.stdout, /@cli_carl is live/);

    const missing = await tiktool(['emulator', 'live', 'missing_max', '--url', gateway.url]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /HTTP 404: @missing_max does not exist/);
  });

  it("tiktool emulator --help says the control API is on the gateway's port in emulator mode", async () => {
    const help = await tiktool(['emulator', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /POST \/_emulator\/creators\/\{uniqueId\}/);
    assert.match(help.stdout, /on the gateway's own port \(8080\) when[\s\S]*TIKTOOL_UPSTREAM=emulator/);
  });
});

describe('the standalone emulator (tiktool emulator) takes the same control', () => {
  it('prints where its control API is, and tiktool emulator live switches its creators', async () => {
    const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--rate', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = new ProcessOutput(child);
    let url = '';
    try {
      [, url] = await out.waitForLine(/emulator listening on (http:\/\/[\d.]+:\d+)/, 'the emulator');
      assert.match(out.all, new RegExp(`control: POST ${url}/_emulator/creators/\\{uniqueId\\}`));
      const off = await tiktool(['emulator', 'live', 'solo_sam', '--off', '--url', url]);
      assert.equal(off.code, 0, off.stderr);
      assert.match(off.stdout, /@solo_sam is offline/);
      const state = (await (await fetch(`${url}/_emulator/creators/solo_sam`)).json()) as { live: boolean };
      assert.equal(state.live, false);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    const gone = await tiktool(['emulator', 'live', 'solo_sam', '--url', url]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /cannot reach the emulator at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });
});
