import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloseCode } from '@tiktool/protocol';
import { GatewayProcess } from './gateway-process.js';
import { waitFor } from '@tiktool/testkit';
import { RawClient, TEST_KEY } from './helpers.js';

/** `tiktool serve` in emulator mode with its own database, as a user starts it. */
function startGatewayProcess(): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'tiktool-'));
  return GatewayProcess.start({
    TIKTOOL_UPSTREAM: 'emulator',
    TIKTOOL_DB: join(dir, 'db.sqlite'),
    TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
  });
}

describe('the gateway process', () => {
  it('prints its config in one line with secrets masked, and exits 0 with 1001 to every client on SIGTERM', async () => {
    const gateway = await startGatewayProcess();
    const port = gateway.port;
    const startLine = gateway.output.split('\n').find((l) => l.includes('listening'))!;
    assert.match(startLine, /upstream=emulator/);
    assert.match(startLine, /bootstrapKey=\*\*\*/);
    assert.ok(!gateway.output.includes(TEST_KEY), 'the key is not printed');

    const clients = ['proc_a', 'proc_a', 'proc_b'].map((u) => new RawClient(`ws://127.0.0.1:${port}/?uniqueId=${u}&apiKey=${TEST_KEY}`));
    await Promise.all(clients.map((c) => c.until((x) => x.events().length > 0)));
    const t0 = Date.now();
    const exited = gateway.kill('SIGTERM');
    const closes = await Promise.all(clients.map((c) => c.closed));
    for (const c of closes) assert.equal(c.code, CloseCode.GOING_AWAY);
    assert.equal(await exited, 0);
    assert.ok(Date.now() - t0 < 5000, 'exits within 5 s');
  });

  it("runs the README's Python client unchanged but for host and port", async () => {
    const gateway = await startGatewayProcess();
    const port = gateway.port;
    try {
      const script = `import asyncio, websockets, json
async def connect():
    uri = "ws://127.0.0.1:${port}?uniqueId=py_creator&apiKey=${TEST_KEY}"
    async with websockets.connect(uri) as ws:
        async for message in ws:
            event = json.loads(message)
            print(event["event"], event.get("data", {}), flush=True)
asyncio.run(connect())
`;
      const file = join(mkdtempSync(join(tmpdir(), 'tiktool-py-')), 'client.py');
      writeFileSync(file, script);
      const py = spawn('/usr/bin/python3', [file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      py.stdout.on('data', (d) => (out += d));
      py.stderr.on('data', (d) => (err += d));
      // On a timeout or an early exit the assertion below shows what python printed.
      await waitFor(() => out.split('\n').length >= 12 || py.exitCode !== null, { timeoutMs: 15_000, what: 'python' }).catch(
        () => undefined,
      );
      py.kill();
      const lines = out.split('\n').filter(Boolean);
      assert.ok(lines.length >= 11, `python printed: ${out} ${err}`);
      assert.match(lines[0], /^roomInfo \{'sessionId': /);
      assert.match(
        lines.slice(1).join('\n'),
        /^(chat|gift|like|member|follow|share|roomUserSeq|subscribe|linkMicBattle|linkMicArmies|roomPin|liveIntro|emote|envelope|questionNew) \{/m,
      );
    } finally {
      await gateway.kill('SIGTERM');
    }
  });
});
