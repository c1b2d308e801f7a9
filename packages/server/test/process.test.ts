import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CloseCode } from '@tiktool/protocol';
import { RawClient, TEST_KEY } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

/** Starts `tiktool serve` in emulator mode and resolves once it listens. */
async function startGatewayProcess(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tiktool-'));
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: {
      ...process.env,
      TIKTOOL_UPSTREAM: 'emulator',
      TIKTOOL_DB: join(dir, 'db.sqlite'),
      TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 15_000;
  while (!out.includes('listening')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`gateway did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out };
}

describe('the gateway process', () => {
  it('prints its config in one line with secrets masked, and exits 0 with 1001 to every client on SIGTERM', async () => {
    const port = await freePort();
    const { child, output } = await startGatewayProcess(port);
    const startLine = output().split('\n').find((l) => l.includes('listening'))!;
    assert.match(startLine, /upstream=emulator/);
    assert.match(startLine, /bootstrapKey=\*\*\*/);
    assert.ok(!output().includes(TEST_KEY), 'the key is not printed');

    const clients = ['proc_a', 'proc_a', 'proc_b'].map(
      (u) => new RawClient(`ws://127.0.0.1:${port}/?uniqueId=${u}&apiKey=${TEST_KEY}`),
    );
    await Promise.all(clients.map((c) => c.until((x) => x.events().length > 0)));
    const t0 = Date.now();
    child.kill('SIGTERM');
    const closes = await Promise.all(clients.map((c) => c.closed));
    for (const c of closes) assert.equal(c.code, CloseCode.GOING_AWAY);
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    assert.ok(Date.now() - t0 < 5000, 'exits within 5 s');
  });

  it('runs the README\'s Python client unchanged but for host and port', async () => {
    const port = await freePort();
    const { child } = await startGatewayProcess(port);
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
      const deadline = Date.now() + 15_000;
      while (out.split('\n').length < 12 && Date.now() < deadline && py.exitCode === null) {
        await new Promise((r) => setTimeout(r, 50));
      }
      py.kill();
      const lines = out.split('\n').filter(Boolean);
      assert.ok(lines.length >= 11, `python printed: ${out} ${err}`);
      assert.match(lines[0], /^roomInfo \{'sessionId': /);
      assert.match(lines.slice(1).join('\n'), /^(chat|gift|like|member|follow|share|roomUserSeq|subscribe|linkMicBattle|linkMicArmies|roomPin|liveIntro|emote|envelope|questionNew) \{/m);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
