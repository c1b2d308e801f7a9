import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { createLogger, describeConfig, loadConfig, startGateway, type Gateway, type GatewayConfig } from '../src/index.js';
import { RawClient, TEST_KEY, connectUrl } from './helpers.js';
import { deadPort, startHttpProxy, startSocksProxy, type LoopbackProxy } from './loopback-proxies.js';

/** A webcast-mode gateway configured through the environment, with every log line it writes. */
async function gatewayWith(env: Record<string, string>, overrides: Partial<GatewayConfig>) {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig(env, {
    port: 0,
    host: '127.0.0.1',
    dbPath: ':memory:',
    upstream: 'webcast',
    bootstrapKey: TEST_KEY,
    bootstrapTier: 'ultra',
    logLevel: 'debug',
    ...overrides,
  });
  logs.push(describeConfig(config));
  const gateway = await startGateway(config, { logger: createLogger('debug', sink) });
  return { gateway, logs };
}

function proxiesFile(urls: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tiktool-proxies-')), 'proxies.txt');
  writeFileSync(file, `# proxies for the test\n${urls.join('\n')}\n`);
  return file;
}

async function metricsText(gateway: Gateway): Promise<string> {
  return (await fetch(`${gateway.url}/metrics`)).text();
}

async function watch(gateway: Gateway, uniqueId: string): Promise<RawClient> {
  const c = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
  await c.until((x) => x.events().length >= 3);
  return c;
}

for (const kind of ['http', 'socks5'] as const) {
  describe(`through a ${kind} proxy, the upstream reaches TikTok only via the proxy`, () => {
    const egress = kind === 'http' ? '127.0.0.2' : '127.0.0.3';
    const secret = `${kind}-proxy-secret-7f3a`;
    const deadSecret = 'dead-proxy-secret-91c2';
    let emulator: Emulator;
    let proxy: LoopbackProxy;
    let dead: string;
    let gateway: Gateway;
    let logs: string[];
    before(async () => {
      emulator = await startEmulator({ rate: 50 });
      proxy = kind === 'http' ? await startHttpProxy(egress, secret) : await startSocksProxy(egress, secret);
      dead = `${kind}://ghost:${deadSecret}@127.0.0.1:${await deadPort()}`;
      ({ gateway, logs } = await gatewayWith(
        { TIKTOOL_PROXIES_FILE: proxiesFile([dead, proxy.url]) },
        { webcast: emulator.upstreamOptions() },
      ));
    });
    after(async () => {
      await gateway.close();
      await proxy.close();
      await emulator.close();
    });

    it('skips the dead proxy, and every request and the push socket come from the proxy', async () => {
      const c = await watch(gateway, `via_${kind}`);
      const peers = emulator.peers();
      assert.deepEqual(Object.keys(peers), [egress], 'the emulator saw no other address than the proxy');
      assert.ok(peers[egress]!.upgrades >= 1, 'the push socket came through the proxy');
      assert.ok(peers[egress]!.requests >= 3, 'room lookup, room info and the sign call came through the proxy');
      assert.equal(proxy.tunnels.length, peers[egress]!.connections, 'one proxy tunnel per connection the emulator accepted');
      assert.ok(proxy.tunnels.every((t) => t === `127.0.0.1:${emulator.port}`));
      const masked = dead.replace(deadSecret, '***');
      assert.match(
        await metricsText(gateway),
        new RegExp(`tiktool_upstream_route_backoffs_total\\{route="${masked.replace(/[.*/]/g, '\\$&')}",code="NETWORK"\\} 1`),
      );
      c.close();
    });

    it('keeps the proxy credentials out of logs, config output and metrics', async () => {
      await watch(gateway, `quiet_${kind}`);
      const everything = logs.join('\n') + (await metricsText(gateway));
      for (const s of [secret, deadSecret]) assert.ok(!everything.includes(s), `${s} leaked`);
      assert.match(logs[0]!, /proxies=.*tiktool:\*\*\*@127\.0\.0\.1/);
      assert.match(logs.join('\n'), /upstream route backing off/);
    });
  });
}

describe('TikTok blocking a proxy moves the creator to another one', () => {
  let emulator: Emulator;
  let blocked: LoopbackProxy;
  let clean: LoopbackProxy;
  let gateway: Gateway;
  before(async () => {
    emulator = await startEmulator({ rate: 50 });
    blocked = await startHttpProxy('127.0.0.4', 'blocked-secret');
    clean = await startHttpProxy('127.0.0.5', 'clean-secret');
    emulator.blockAddress('127.0.0.4', 403);
    ({ gateway } = await gatewayWith(
      { TIKTOOL_PROXIES_FILE: proxiesFile([blocked.url, clean.url]) },
      { webcast: emulator.upstreamOptions() },
    ));
  });
  after(async () => {
    await gateway.close();
    await blocked.close();
    await clean.close();
    await emulator.close();
  });

  it('the first creator gets its events through the other proxy, and the blocked one backs off', async () => {
    await watch(gateway, 'moved_on');
    const peers = emulator.peers();
    assert.ok(peers['127.0.0.4']!.blocked >= 1, 'TikTok turned the first proxy away');
    assert.ok(peers['127.0.0.5']!.upgrades >= 1, 'the push socket came through the second proxy');
    assert.match(
      await metricsText(gateway),
      /tiktool_upstream_route_backoffs_total\{route="http:\/\/tiktool:\*\*\*@127\.0\.0\.1:\d+",code="BLOCKED"\} 1/,
    );
    const requestsBefore = peers['127.0.0.4']!.requests;
    await watch(gateway, 'next_one');
    assert.equal(emulator.peers()['127.0.0.4']!.requests, requestsBefore, 'a benched proxy is not used');
  });
});

describe('proxies rotate per creator, and a creator keeps its proxy', () => {
  let emulator: Emulator;
  let first: LoopbackProxy;
  let second: LoopbackProxy;
  let gateway: Gateway;
  before(async () => {
    emulator = await startEmulator({ rate: 50 });
    first = await startHttpProxy('127.0.0.6', 'first-secret');
    second = await startSocksProxy('127.0.0.7', 'second-secret');
    ({ gateway } = await gatewayWith(
      { TIKTOOL_PROXIES_FILE: proxiesFile([first.url, second.url]) },
      { webcast: emulator.upstreamOptions() },
    ));
  });
  after(async () => {
    await gateway.close();
    await first.close();
    await second.close();
    await emulator.close();
  });

  it('two creators take the two proxies, and a dropped push socket comes back through the same one', async () => {
    const pinned = await watch(gateway, 'pinned');
    await watch(gateway, 'other');
    assert.equal(emulator.peers()['127.0.0.6']!.upgrades, 1);
    assert.equal(emulator.peers()['127.0.0.7']!.upgrades, 1);
    const seen = pinned.events().length;
    emulator.drop('pinned');
    await pinned.until((c) => c.events().length > seen + 3 && emulator.peers()['127.0.0.6']!.upgrades === 2);
    assert.equal(emulator.peers()['127.0.0.7']!.upgrades, 1, 'the reconnect did not move to the other proxy');
  });
});

describe('proxy settings', () => {
  it('a malformed proxy URL stops the start with an error that masks its password', () => {
    assert.throws(
      () => loadConfig({ TIKTOOL_PROXY: 'ftp://user:hunter2@proxy.example:21' }),
      (err: Error) => /TIKTOOL_PROXY/.test(err.message) && /user:\*\*\*@/.test(err.message) && !err.message.includes('hunter2'),
    );
  });

  it('a proxies file that cannot be read stops the start', () => {
    assert.throws(() => loadConfig({ TIKTOOL_PROXIES_FILE: '/nonexistent/proxies.txt' }), /TIKTOOL_PROXIES_FILE: cannot read/);
  });
});
