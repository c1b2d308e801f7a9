/**
 * The practical limit for fan-out: a minimal `ws` server that sends the same pre-encoded
 * event bytes the gateway sent (captured from it) to every client, as text frames like the
 * gateway's, one `send` per client and event, at the cadence the emulator emits them, with
 * nothing else to do.
 */

import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { pace } from '../lib/pacer.js';
import { forEachSeq } from '../lib/seq-bytes.js';
import { serve } from './serve.js';

const ROOM_INFO = JSON.stringify({ event: 'roomInfo', data: { sessionId: 'reference', epoch: 'reference', seq: 0 } });

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT), perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('error', () => undefined);
  ws.send(ROOM_INFO);
});

let stopPacer: (() => void) | undefined;
const sentAtBySeq = new Map<number, number>();

const listening = new Promise<void>((resolve) => wss.once('listening', resolve));

serve({
  async ready() {
    await listening;
    return {};
  },
  /** Sends the frames to every client, one send per frame, `perSecond` frames a second. */
  start(m: { frames: Buffer[]; perSecond: number; tickMs: number }) {
    let next = 0;
    stopPacer = pace(m.perSecond, m.tickMs, (due) => {
      for (let i = 0; i < due && next < m.frames.length; i++) {
        const frame = m.frames[next++];
        const at = performance.timeOrigin + performance.now();
        forEachSeq(frame, (seq) => sentAtBySeq.set(seq, at));
        for (const ws of wss.clients) ws.send(frame, { binary: false });
      }
    });
    return { frames: m.frames.length };
  },
  stop() {
    stopPacer?.();
    return { sentAtBySeq };
  },
});
