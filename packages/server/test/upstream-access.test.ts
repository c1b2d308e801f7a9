import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { CloseCode } from '@tiktool/protocol';
import { loadConfig, type Gateway } from '../src/index.js';
import { RawClient, TEST_KEY, capturedLogs, connectUrl, startTestGateway } from './helpers.js';
import { deadPort } from './loopback-proxies.js';

/** Nothing of the operator's infrastructure: no URL, no address, no port of the emulator. */
function assertNoInfrastructure(reason: string, emulator: Emulator): void {
  assert.doesNotMatch(reason, /https?:|ws:|127\.0\.0\.1|localhost/);
  assert.ok(!reason.includes(String(emulator.port)), `"${reason}" names the port`);
}

async function closeOf(gateway: Gateway, uniqueId: string): Promise<{ code: number; reason: string }> {
  return new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY })).closed;
}

describe('TikTok blocking the gateway address', () => {
  const detected = {
    captcha: /^push socket: upgrade answered with HTTP 403, TikTok is blocking this address$/,
    429: /^room info: HTTP 429, TikTok is blocking this address$/,
    handshake: /^push socket: upgrade refused with HTTP 200, handshake-status 429, handshake-msg too many requests$/,
  };
  for (const kind of ['captcha', 429, 'handshake'] as const) {
    it(`(${kind}) closes 4500 saying so, then backs off without asking TikTok again`, async () => {
      const emulator = await startEmulator({ rate: 50 });
      const gateway = await startTestGateway({ upstream: 'webcast', webcast: emulator.upstreamOptions() });
      try {
        emulator.blockAddress('*', kind);
        const first = await closeOf(gateway, 'blocked_here');
        assert.equal(first.code, CloseCode.UPSTREAM_FAILED);
        assert.match(first.reason, detected[kind]);
        assertNoInfrastructure(first.reason, emulator);

        const asked = emulator.peers()['127.0.0.1']!.requests;
        const second = await closeOf(gateway, 'blocked_too');
        assert.equal(second.code, CloseCode.UPSTREAM_FAILED);
        assert.match(second.reason, /TikTok blocked this gateway's address recently: backing off; retry after 30 s/);
        assert.equal(emulator.peers()['127.0.0.1']!.requests, asked, 'no request while backing off');
        const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
        assert.match(metrics, /tiktool_upstream_route_backoffs_total\{route="direct",code="BLOCKED"\} 1/);
        assert.match(metrics, /tiktool_upstream_errors_total\{code="BLOCKED"\} 2/);
      } finally {
        await gateway.close();
        await emulator.close();
      }
    });
  }
});

describe('age-restricted rooms', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rate: 50 });
  });
  after(async () => {
    await emulator.close();
  });

  it('without a session cookie, closes 4403 naming what the operator must set', async () => {
    const gateway = await startTestGateway({ upstream: 'webcast', webcast: emulator.upstreamOptions() });
    try {
      const { code, reason } = await closeOf(gateway, 'adult_star');
      assert.equal(code, CloseCode.FORBIDDEN);
      assert.match(reason, /@adult_star's LIVE is age-restricted: the gateway needs a logged-in session cookie \(TIKTOK_SESSION_ID\)/);
    } finally {
      await gateway.close();
    }
  });

  it('with TIKTOK_SESSION_ID and TIKTOK_TARGET_IDC, streams it, and the cookie is never logged', async () => {
    const secret = 'sess-0123456789abcdef';
    const config = loadConfig({ TIKTOK_SESSION_ID: secret, TIKTOK_TARGET_IDC: 'useast2a' });
    const gateway = await startTestGateway({ upstream: 'webcast', webcast: { ...config.webcast, ...emulator.upstreamOptions() } });
    try {
      const c = new RawClient(connectUrl(gateway, { uniqueId: 'adult_star', apiKey: TEST_KEY }));
      await c.until((x) => x.events().length >= 3);
      c.close();
      assert.ok(!capturedLogs.join('').includes(secret));
    } finally {
      await gateway.close();
    }
  });

  it('a session cookie without its data center stops the start', () => {
    assert.throws(() => loadConfig({ TIKTOK_SESSION_ID: 'sess' }), /TIKTOK_SESSION_ID needs TIKTOK_TARGET_IDC/);
  });
});

describe('upstream failure reasons name the step, never the infrastructure', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rate: 50, signApiKey: 'the-right-key' });
  });
  after(async () => {
    await emulator.close();
  });

  it('a rejected sign key: the sign provider step and its HTTP status', async () => {
    const gateway = await startTestGateway({ upstream: 'webcast', webcast: { ...emulator.upstreamOptions(), signApiKey: 'a-wrong-key' } });
    try {
      const { code, reason } = await closeOf(gateway, 'wrong_key');
      assert.equal(code, CloseCode.UPSTREAM_FAILED);
      assert.match(reason, /sign provider rejected the API key: HTTP 401 \(Invalid or missing API key\)/);
      assertNoInfrastructure(reason, emulator);
    } finally {
      await gateway.close();
    }
  });

  it('an unreachable sign provider: the step and the network error, not its URL', async () => {
    const signUrl = `http://127.0.0.1:${await deadPort()}`;
    const gateway = await startTestGateway({ upstream: 'webcast', webcast: { ...emulator.upstreamOptions(), signUrl } });
    try {
      const { code, reason } = await closeOf(gateway, 'no_signer');
      assert.equal(code, CloseCode.UPSTREAM_FAILED);
      assert.match(reason, /^sign provider: network error \(ECONNREFUSED\)$/);
      assertNoInfrastructure(reason, emulator);
      assert.ok(!reason.includes(new URL(signUrl).port));
    } finally {
      await gateway.close();
    }
  });

  it('a reason longer than a close frame holds is cut at a word, not inside one', async () => {
    const gateway = await startTestGateway({
      upstream: 'webcast',
      webcast: { ...emulator.upstreamOptions(), signApiKey: 'the-right-key', signRetries: 0 },
    });
    try {
      emulator.rateLimitSign(1);
      const { reason } = await closeOf(gateway, 'long_reason');
      const full =
        'sign provider rate limit: HTTP 429 on 1 attempts ((emulator) Too many connections started, try again later.); ' +
        'wait before connecting again or use a sign API key with a higher limit';
      assert.ok(new TextEncoder().encode(reason).byteLength <= 123);
      assert.ok(reason.endsWith('…'), reason);
      const kept = reason.slice(0, -1);
      assert.ok(full.startsWith(kept), reason);
      assert.match(full.slice(kept.length), /^[\s,;:)(.]/, `"${reason}" ends inside a word`);
    } finally {
      await gateway.close();
    }
  });
});
