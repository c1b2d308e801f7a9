/**
 * The soak's clients, in their own process: a fixed number of client slots, each of which
 * connects to a creator (mostly a live one), reads its events, and now and then leaves for
 * good or drops and resumes with its sessionId and lastSeq. A socket the gateway closes
 * (the LIVE ended, the creator is offline) frees its slot for the next connect. Driven by
 * the bench over IPC; the bench tells it which creators are live as it switches them.
 */

import { WebSocket } from 'ws';
import { forEachSeq } from '../lib/seq-bytes.js';
import { Rng } from '@tiktool/emulator';
import { serve } from './serve.js';

export interface SoakClientOptions {
  /** ws://host:port/?apiKey=KEY: a creator's URL is this plus &uniqueId=. */
  base: string;
  creators: string[];
  live: string[];
  slots: number;
  tickMs: number;
  /** Per tick, for a free slot: probability it connects. */
  pConnect: number;
  /** Per tick, for an open socket: probability it leaves for good, or drops and resumes. */
  pLeave: number;
  pResume: number;
  /** Share of connects to a creator picked among all, live or not (a 4404 when offline). */
  pAnyCreator: number;
  seed: number;
}

interface Slot {
  ws: WebSocket | undefined;
  uniqueId: string;
  sessionId: string;
  lastSeq: number;
  open: boolean;
}

export interface SoakClientStats {
  connects: number;
  resumes: number;
  recovered: number;
  leaves: number;
  events: number;
  open: number;
  errors: number;
  closes: Record<string, number>;
}

let o: SoakClientOptions;
let rng: Rng;
let slots: Slot[] = [];
const live = new Set<string>();
let timer: NodeJS.Timeout | undefined;
const stats: SoakClientStats = { connects: 0, resumes: 0, recovered: 0, leaves: 0, events: 0, open: 0, errors: 0, closes: {} };

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)];
}

function connect(slot: Slot, resume: boolean): void {
  const q = new URLSearchParams({ uniqueId: slot.uniqueId });
  if (resume) {
    q.set('sessionId', slot.sessionId);
    q.set('lastSeq', String(slot.lastSeq));
    stats.resumes++;
  } else {
    slot.lastSeq = 0;
    stats.connects++;
  }
  const ws = new WebSocket(`${o.base}&${q}`, { perMessageDeflate: false, skipUTF8Validation: true });
  slot.ws = ws;
  ws.on('error', () => stats.errors++);
  ws.on('message', (data: Buffer) => {
    if (!slot.open) {
      const info = JSON.parse(data.toString()) as { data: { sessionId: string; recovered: boolean } };
      slot.sessionId = info.data.sessionId;
      if (resume && info.data.recovered) stats.recovered++;
      slot.open = true;
      stats.open++;
      return;
    }
    forEachSeq(data, (seq) => {
      stats.events++;
      slot.lastSeq = seq;
    });
  });
  ws.on('close', (code) => {
    if (slot.ws !== ws) return;
    if (slot.open) stats.open--;
    slot.open = false;
    slot.ws = undefined;
    stats.closes[code] = (stats.closes[code] ?? 0) + 1;
  });
}

/** The socket goes (its close is not awaited: the slot is free at once). */
function release(slot: Slot, abrupt: boolean): void {
  const ws = slot.ws!;
  if (slot.open) stats.open--;
  slot.open = false;
  slot.ws = undefined;
  if (abrupt) ws.terminate();
  else ws.close(1000);
}

function tick(): void {
  const liveNow = [...live];
  for (const slot of slots) {
    if (slot.ws === undefined) {
      if (rng.next() >= o.pConnect) continue;
      const anyCreator = liveNow.length === 0 || rng.next() < o.pAnyCreator;
      slot.uniqueId = anyCreator ? pick(o.creators) : pick(liveNow);
      connect(slot, false);
    } else if (slot.open) {
      const r = rng.next();
      if (r < o.pLeave) {
        stats.leaves++;
        release(slot, false);
      } else if (r < o.pLeave + o.pResume) {
        // A dropped network: no close handshake, then back with the cursor.
        release(slot, true);
        connect(slot, true);
      }
    }
  }
}

serve({
  start(m: SoakClientOptions) {
    o = m;
    rng = new Rng(m.seed);
    for (const u of m.live) live.add(u);
    slots = Array.from({ length: m.slots }, () => ({ ws: undefined, uniqueId: '', sessionId: '', lastSeq: 0, open: false }));
    timer = setInterval(tick, m.tickMs);
    return {};
  },

  setLive(m: { uniqueId: string; live: boolean }) {
    if (m.live) live.add(m.uniqueId);
    else live.delete(m.uniqueId);
    return {};
  },

  stats() {
    return stats;
  },

  stop() {
    clearInterval(timer);
    for (const slot of slots) if (slot.ws) release(slot, false);
    return {};
  },
});
