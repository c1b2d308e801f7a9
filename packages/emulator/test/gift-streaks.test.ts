/** The WebCast upstream finishes a gift streak whose end never arrives. */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { GiftData } from '@tiktool/protocol';
import { startEmulator, type Emulator } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { Recorder, upstreamFor } from './helpers.js';

let emu: Emulator;

before(async () => {
  emu = await startEmulator({ rate: 0, seed: 42 });
});

after(async () => {
  await emu.close();
});

const gifts = (rec: Recorder) => rec.events.filter((e) => e.event === 'gift').map((e) => e.data as GiftData);

test('a streak with no message for the timeout gets a final gift marked streakTimedOut, once, even if its end comes later', async () => {
  const up = upstreamFor(emu, { giftStreakTimeoutMs: 150 });
  const rec = new Recorder();
  const conn = await up.connect('streaky', rec.sink);
  // The script's opening messages start a Rose streak and do not finish it.
  emu.emit('streaky', 10);
  await waitFor(() => gifts(rec).some((g) => g.giftType === 1 && !g.repeatEnd), { what: 'a streak in progress' });
  const started = gifts(rec).find((g) => g.giftType === 1 && !g.repeatEnd)!;
  await waitFor(() => gifts(rec).some((g) => g.streakTimedOut === true), { what: 'the streak to time out' });

  const closing = gifts(rec).filter((g) => g.groupId === started.groupId && g.repeatEnd);
  assert.equal(closing.length, 1);
  const [final] = closing;
  assert.equal(final.streakTimedOut, true);
  assert.equal(final.repeatCount, started.repeatCount);
  assert.equal(final.totalDiamondCount, started.diamondCount * started.repeatCount);
  assert.equal(final.msgId, `${started.msgId}-streak-timeout`);

  // The script carries on with the same streak: its late messages, its end included, are progress.
  const ofStreak = () => gifts(rec).filter((g) => g.groupId === started.groupId);
  const before = ofStreak().length;
  for (let i = 0; i < 40 && ofStreak().length === before; i++) {
    const seen = rec.events.length;
    emu.emit('streaky', 10);
    await waitFor(() => rec.events.length >= seen + 10, { what: 'the next messages' });
  }
  assert.ok(ofStreak().length > before, 'the streak went on after its timeout');
  assert.equal(ofStreak().filter((g) => g.repeatEnd).length, 1, 'still one final gift');
  conn.close();
});

test('an upstream that ends finishes its open streaks before the streamEnd', async () => {
  const up = upstreamFor(emu);
  const rec = new Recorder();
  await up.connect('streaky_end', rec.sink);
  emu.emit('streaky_end', 10);
  await waitFor(() => gifts(rec).some((g) => g.giftType === 1 && !g.repeatEnd), { what: 'a streak in progress' });
  emu.endStream('streaky_end');
  await rec.closed;
  const names = rec.events.map((e) => e.event);
  const final = rec.events.findIndex((e) => e.event === 'gift' && e.data.streakTimedOut === true);
  assert.ok(final >= 0, 'the open streak was finished');
  assert.equal(names.indexOf('streamEnd'), names.length - 1);
  assert.ok(final < names.indexOf('streamEnd'));
});
