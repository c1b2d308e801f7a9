/**
 * The emulator standalone, in its own process (the many-creators benchmark): many rooms
 * emitting at a steady rate, so the gateway's upstream traffic comes over real sockets from
 * another process, as TikTok's would. Each room sends a push frame every `frameMs` with
 * its share of events; the rooms take turns over 10 ms ticks, so frames arrive spread
 * over time rather than in waves. With RATE set, every live room also emits that many
 * events a second on its own (the soak, whose creators come and go).
 */

import { startEmulator } from '@tiktool/emulator';
import { pace } from '../lib/pacer.js';
import { serve } from './serve.js';

const TICK_MS = 10;

/** Per room: enough for the gateway's reconnects and the bench's window; more is only GC work. */
const REPLAY_LIMIT = 500;
const RECORD_LIMIT = 2_000;

const emulator = await startEmulator({
  host: '127.0.0.1',
  port: 0,
  rate: Number(process.env.RATE ?? 0),
  seed: Number(process.env.SEED ?? 1),
  replayLimit: REPLAY_LIMIT,
  recordLimit: RECORD_LIMIT,
});
let stop: (() => void) | undefined;

serve({
  url() {
    return { url: emulator.url };
  },

  start(m: { creators: string[]; perSecond: number; frameMs: number }) {
    const turns = m.frameMs / TICK_MS;
    const perFrame = (m.perSecond * m.frameMs) / 1000;
    let tick = 0;
    // A late timer catches up on every room it owes (up to one frame interval): the rate in holds.
    stop = pace(
      1000 / TICK_MS,
      TICK_MS,
      (due) => {
        for (let t = 0; t < due; t++, tick++) {
          for (let i = tick % turns; i < m.creators.length; i += turns) emulator.emit(m.creators[i], perFrame);
        }
      },
      turns,
    );
    return {};
  },

  stop() {
    stop?.();
    return {};
  },

  /** Messages emitted so far, and open push connections, over the creators. */
  stats(m: { creators: string[] }) {
    const rooms = emulator.stats().rooms;
    let emitted = 0;
    let connections = 0;
    for (const u of m.creators) {
      emitted += rooms[u]?.emitted ?? 0;
      connections += rooms[u]?.connections ?? 0;
    }
    return { emitted, connections };
  },

  /** msgId -> sentAt of everything the creators' rooms emitted. */
  sentAt(m: { creators: string[] }) {
    const out = new Map<string, number>();
    for (const u of m.creators) for (const e of emulator.emittedMessages(u)) out.set(e.msgId, e.sentAt);
    return out;
  },
});
