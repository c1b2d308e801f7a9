import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { WebcastPushConnection } from '@tiktool/live/compat';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { RawClient, TEST_KEY, connectUrl, startEmulatedGateway, type Envelope } from './helpers.js';

const BOT = fileURLToPath(new URL('../../../live/examples/connector-bot.cjs', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: events are read as the untyped library's users read them
type D = Record<string, any>;

/** What the example bot prints for an event, from the gateway's own (tiktool-shaped) event. */
function expectedLines(e: Envelope): string[] {
  const d = e.data as D;
  const u = d.user as D | undefined;
  switch (e.event) {
    case 'chat':
      return [`${u!.uniqueId} (userId:${u!.userId}) writes: ${d.comment}`];
    case 'gift':
      return d.giftType === 1 && !d.repeatEnd
        ? [`${u!.uniqueId} is sending gift ${d.giftName} x${d.repeatCount}`]
        : [`${u!.uniqueId} has sent gift ${d.giftName} x${d.repeatCount} (${d.diamondCount} diamonds each)`];
    case 'like':
      return [`${u!.uniqueId} sent ${d.likeCount} likes, total likes: ${d.totalLikes}`];
    case 'member':
      return [`${u!.uniqueId} joins the stream!`];
    case 'roomUserSeq':
      return [`Viewer Count: ${d.viewerCount}`];
    case 'follow':
      return [`social: ${u!.uniqueId} pm_main_follow_message_viewer_2`, `${u!.uniqueId} followed!`];
    case 'share':
      return [`social: ${u!.uniqueId} pm_mt_guidance_share`, `${u!.uniqueId} shared the stream!`];
    case 'subscribe':
      return [`${u!.uniqueId} subscribed!`];
    case 'questionNew':
      return [`${u!.uniqueId} asks ${d.content}`];
    case 'linkMicBattle':
      return [`New Battle: ${d.battleUsers[0].uniqueId} VS ${d.battleUsers[1].uniqueId}`];
    case 'linkMicArmies':
      return [`Battle status ${d.battleStatus}: ${(d.armies as D[]).map((a) => a.points).join(' : ')}`];
    case 'envelope':
      return [`${u!.uniqueId} sent a treasure chest: ${d.diamondCount} coins`];
    case 'emote':
      return [`${u!.uniqueId} sent emote ${d.emotes[0].emoteId}`];
    case 'liveIntro':
      return [`Intro: ${d.description}`];
    case 'streamEnd':
      return [d.action === 3 ? 'Stream ended by user' : 'Stream ended by platform moderator (ban)'];
    default:
      return [];
  }
}

describe('@tiktool/live/compat runs TikTok-Live-Connector code', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 0 }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('the example bot, written against the connector 1.x README, prints the same fields as the gateway sends', async () => {
    const uniqueId = 'compat_bot';
    const reference = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    await reference.until((c) => c.roomInfo !== undefined);
    const bot = spawn(process.execPath, ['--no-warnings', BOT, uniqueId], {
      env: { ...process.env, TIKTOOL_URL: gateway.wsUrl, TIKTOOL_API_KEY: TEST_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    bot.stdout.on('data', (b) => (stdout += b));
    bot.stderr.on('data', (b) => (stderr += b));
    const exited = new Promise<number | null>((resolve) => bot.on('exit', resolve));
    try {
      await waitFor(() => stdout.includes('Connected to roomId'), { timeoutMs: 15_000, what: `the bot to connect (stderr: ${stderr})` });
      emulator.emit(uniqueId, 60);
      await reference.until((c) => c.events().length >= 60);
      emulator.endStream(uniqueId);
      await reference.closed;
      assert.equal(await exited, 0, stderr);
    } finally {
      bot.kill();
    }

    const lines = stdout.trim().split('\n');
    assert.equal(lines[0], `Connected to roomId ${reference.roomInfo!.data.roomId}`);
    const expected = reference.events().flatMap(expectedLines);
    assert.deepEqual(lines.slice(1), [...expected, 'Disconnected :(']);
    for (const name of [
      'chat',
      'gift',
      'like',
      'member',
      'follow',
      'share',
      'roomUserSeq',
      'subscribe',
      'questionNew',
      'linkMicBattle',
      'linkMicArmies',
      'envelope',
      'emote',
      'liveIntro',
    ]) {
      assert.ok(reference.events(name).length > 0, `the script covered ${name}`);
    }
    assert.equal(stderr, '');
  });

  it('connect() resolves to the connector state object; getRoomInfo and getAvailableGifts answer from the socket', async () => {
    const uniqueId = 'compat_state';
    const conn = new WebcastPushConnection(uniqueId, {
      url: gateway.wsUrl,
      apiKey: TEST_KEY,
      enableExtendedGiftInfo: true,
      processInitialData: false,
    });
    const gifts: D[] = [];
    conn.on('gift', (g: D) => gifts.push(g));
    const state = await conn.connect();
    assert.equal(state.isConnected, true);
    assert.equal(state.upgradedToWebsocket, true);
    assert.equal(state.roomId, emulator.roomId(uniqueId));
    assert.equal(state.roomInfo?.owner.display_id, uniqueId);
    assert.deepEqual(conn.getState().roomId, state.roomId);
    await assert.rejects(conn.connect(), /Already connected/);

    emulator.emit(uniqueId, 40);
    await waitFor(() => gifts.length >= 2, { timeoutMs: 10_000, what: 'gifts' });
    const available = await conn.getAvailableGifts();
    assert.ok(available.some((g) => g.id === gifts[0].giftId && g.name === gifts[0].giftName));
    assert.deepEqual(
      gifts[0].extendedGiftInfo,
      available.find((g) => g.id === gifts[0].giftId),
    );
    const info = await conn.getRoomInfo();
    assert.equal(info.id, state.roomId);

    const unconnected = new WebcastPushConnection(uniqueId, { url: gateway.wsUrl, apiKey: TEST_KEY });
    assert.equal((await unconnected.getRoomInfo()).id, state.roomId);
    assert.equal(unconnected.getState().isConnected, false);

    const disconnected = new Promise<void>((resolve) => conn.once('disconnected', () => resolve()));
    conn.disconnect();
    await disconnected;
    assert.equal(conn.getState().isConnected, false);
  });
});
