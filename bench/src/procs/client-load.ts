/**
 * The clients of a benchmark, in their own process: opens many `ws` connections, and
 * records when each event arrives, cheaply enough to keep up with thousands of sockets.
 * Driven by the bench over IPC (`commands` below; lib/client-process.ts is the other side).
 *
 * Receipt times are performance.timeOrigin + performance.now(), the clock the emulator
 * stamps `sentAt` with, so latency is one subtraction on one machine clock.
 */

import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { Histogram } from '../lib/histogram.js';
import { forEachSeq } from '../lib/seq-bytes.js';
import { serve } from './serve.js';

/**
 * How a group reads its frames. `seq`: only the seqs, read from the bytes (for fan-out,
 * where parsing every event would cost more than the gateway spends); the group's first
 * client (the probe) parses fully to learn each seq's msgId. `full`: every client parses
 * and records each event's msgId. `idle`: counts events, records nothing.
 */
type Mode = 'seq' | 'full' | 'idle';

interface Client {
  ws: WebSocket;
  url: string;
  sessionId: string;
  lastSeq: number;
  events: number;
  closeCode: number;
  /** Window receipt times (performance.now()) by seq - seq0 - 1; NaN = not received. */
  recv: Float64Array | undefined;
  /** Resolves the pending `resume` wait. */
  onEvents: (() => void) | undefined;
  roomInfo: { replayed: number; recovered: boolean } | undefined;
}

interface Group {
  mode: Mode;
  clients: Client[];
  /** The probe's msgId of each seq in the window. */
  msgIdOfSeq: Map<number, string>;
  /** The probe's frames since it connected (for the reference server). */
  captured: Buffer[] | undefined;
  /** Head seq seen by the probe. */
  head: number;
  seq0: number;
  windowSize: number;
  /** full mode: msgId and receipt time of every event. */
  fullIds: string[];
  fullAt: number[];
}

const groups = new Map<string, Group>();
/** Seqs between the probe's head and the window's start (see `window`). */
const WINDOW_MARGIN = 50;

function clock(): number {
  return performance.timeOrigin + performance.now();
}

interface Envelope {
  event: string;
  seq?: number;
  data: { msgId?: string; sessionId?: string; replayed?: number; recovered?: boolean };
}

function open(group: Group, client: Client, isProbe: boolean, localAddress?: string): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(client.url, { perMessageDeflate: false, skipUTF8Validation: true, localAddress });
    client.ws = ws;
    let opened = false;
    const done = () => {
      if (opened) return;
      opened = true;
      resolve();
    };
    ws.on('error', () => done());
    ws.on('close', (code) => {
      client.closeCode = code;
      done();
    });
    ws.on('message', (data: Buffer) => {
      if (client.roomInfo === undefined) {
        const info = JSON.parse(data.toString()) as Envelope;
        client.sessionId = info.data.sessionId ?? '';
        client.roomInfo = { replayed: info.data.replayed ?? 0, recovered: info.data.recovered ?? false };
        done();
        return;
      }
      const now = performance.now();
      if (group.mode === 'seq') {
        const recv = client.recv;
        forEachSeq(data, (seq) => {
          client.events++;
          client.lastSeq = seq;
          if (recv !== undefined) {
            const k = seq - group.seq0 - 1;
            if (k >= 0 && k < recv.length) recv[k] = now;
          }
        });
        if (isProbe) probeRecord(group, data);
      } else {
        const parsed = JSON.parse(data.toString()) as Envelope | Envelope[];
        for (const e of Array.isArray(parsed) ? parsed : [parsed]) {
          client.events++;
          client.lastSeq = e.seq ?? client.lastSeq;
          if (group.mode === 'full') {
            group.fullIds.push(e.data.msgId ?? '');
            group.fullAt.push(performance.timeOrigin + now);
          }
        }
      }
      client.onEvents?.();
    });
  });
}

function probeRecord(group: Group, data: Buffer): void {
  const parsed = JSON.parse(data.toString()) as Envelope | Envelope[];
  for (const e of Array.isArray(parsed) ? parsed : [parsed]) {
    if (e.seq === undefined) continue;
    group.head = e.seq;
    if (group.windowSize > 0 && e.seq > group.seq0 && e.seq <= group.seq0 + group.windowSize) {
      group.msgIdOfSeq.set(e.seq, e.data.msgId ?? '');
    }
  }
  if (group.captured !== undefined) group.captured.push(Buffer.from(data));
}

async function inParallel<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function newClient(url: string): Client {
  return {
    ws: undefined as unknown as WebSocket,
    url,
    sessionId: '',
    lastSeq: 0,
    events: 0,
    closeCode: 0,
    recv: undefined,
    onEvents: undefined,
    roomInfo: undefined,
  };
}

function closesOf(clients: Client[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of clients) if (c.closeCode !== 0) out[c.closeCode] = (out[c.closeCode] ?? 0) + 1;
  return out;
}

const commands = {
  /**
   * Opens the clients of a group (urls[i] for client i), at most `concurrency` handshakes
   * at once; from the source addresses in turn when given (one address has only the
   * ephemeral port range toward one server port).
   */
  async connect(m: { group: string; mode: Mode; urls: string[]; concurrency: number; capture?: boolean; localAddresses?: string[] }) {
    const group: Group = {
      mode: m.mode,
      clients: m.urls.map(newClient),
      msgIdOfSeq: new Map(),
      captured: m.capture ? [] : undefined,
      head: 0,
      seq0: 0,
      windowSize: 0,
      fullIds: [],
      fullAt: [],
    };
    groups.set(m.group, group);
    const t0 = performance.now();
    const from = m.localAddresses;
    await inParallel(group.clients, m.concurrency, (c, i) => open(group, c, i === 0, from?.[i % from.length]));
    const elapsedMs = performance.now() - t0;
    const opened = group.clients.filter((c) => c.roomInfo !== undefined && c.closeCode === 0).length;
    return { opened, elapsedMs, closes: closesOf(group.clients) };
  },

  /**
   * Starts the latency window for `size` seqs after `seq0`, by default a little after the
   * probe's head: other clients may have read the next events before the probe did.
   */
  window(m: { group: string; size: number; seq0?: number }) {
    const g = groups.get(m.group)!;
    g.seq0 = m.seq0 ?? g.head + WINDOW_MARGIN;
    g.windowSize = m.size;
    for (const c of g.clients) c.recv = new Float64Array(m.size).fill(NaN);
    return { seq0: g.seq0, events: countEvents() };
  },

  /** The probe's msgId of each window seq. */
  probeSeqs(m: { group: string }) {
    return groups.get(m.group)!.msgIdOfSeq;
  },

  /** Events received so far by every client, and the probe's head. */
  mark(m: { group: string }) {
    const g = groups.get(m.group)!;
    let groupEvents = 0;
    for (const c of g.clients) groupEvents += c.events;
    return { head: g.head, events: countEvents(), groupEvents, at: clock() };
  },

  /** Latency of each window seq up to `lastSeq` at each client, from its send time, and who missed events. */
  report(m: { group: string; lastSeq: number; sentAtBySeq: Map<number, number> }) {
    const g = groups.get(m.group)!;
    const hist = new Histogram();
    const n = Math.min(m.lastSeq - g.seq0, g.windowSize);
    const sent = new Float64Array(n);
    for (let k = 0; k < n; k++) sent[k] = m.sentAtBySeq.get(g.seq0 + 1 + k) ?? NaN;
    let missing = 0;
    let behind = 0;
    let unmatched = 0;
    for (const c of g.clients) {
      let miss = 0;
      for (let k = 0; k < n; k++) {
        const at = c.recv![k];
        if (Number.isNaN(at)) miss++;
        else if (Number.isNaN(sent[k])) unmatched++;
        else hist.record(performance.timeOrigin + at - sent[k]);
      }
      missing += miss;
      if (miss > 0) behind++;
    }
    return { window: n, clients: g.clients.length, missing, behind, unmatched, hist, closes: closesOf(g.clients) };
  },

  /** Latency of full-mode receipts since `from` against sentAt by msgId. */
  fullReport(m: { group: string; sentAtById: Map<string, number>; from: number }) {
    const g = groups.get(m.group)!;
    const hist = new Histogram();
    let unmatched = 0;
    for (let i = 0; i < g.fullIds.length; i++) {
      if (g.fullAt[i] < m.from) continue;
      const sent = m.sentAtById.get(g.fullIds[i]);
      if (sent === undefined) unmatched++;
      else hist.record(g.fullAt[i] - sent);
    }
    return { latency: hist.summary(), unmatched, closes: closesOf(g.clients) };
  },

  /** The probe's frames since it connected. */
  captured(m: { group: string }) {
    return groups.get(m.group)!.captured ?? [];
  },

  /** Closes every client of the group and waits for the close handshakes. */
  async close(m: { group: string }) {
    const g = groups.get(m.group)!;
    await Promise.all(
      g.clients.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.ws.readyState === WebSocket.CLOSED) return resolve();
            c.ws.once('close', () => resolve());
            c.ws.close(1000);
          }),
      ),
    );
    return { lastSeqs: g.clients.map((c) => c.lastSeq) };
  },

  /**
   * Reconnects every client of a closed group with its sessionId and lastSeq (all at once)
   * and waits until each has received `expect` events: per-client completion times.
   */
  async resume(m: { group: string; base: string; expect: number; timeoutMs: number }) {
    const g = groups.get(m.group)!;
    const hist = new Histogram();
    const t0 = performance.now();
    let recovered = 0;
    let replayed = 0;
    await Promise.all(
      g.clients.map(async (c) => {
        const q = new URLSearchParams({ sessionId: c.sessionId, lastSeq: String(c.lastSeq) });
        c.url = `${m.base}&${q}`;
        c.events = 0;
        c.roomInfo = undefined;
        c.closeCode = 0;
        await new Promise<void>((resolve) => {
          const deadline = setTimeout(resolve, m.timeoutMs);
          c.onEvents = () => {
            if (c.events < m.expect) return;
            c.onEvents = undefined;
            clearTimeout(deadline);
            resolve();
          };
          void open(g, c, false).then(() => {
            if (c.closeCode !== 0) resolve();
          });
        });
        if (c.events >= m.expect) hist.record(performance.now() - t0);
        // Set again by the message handler since it was cleared above.
        const info = c.roomInfo as Client['roomInfo'];
        if (info?.recovered) recovered++;
        replayed += info?.replayed ?? 0;
      }),
    );
    const done = g.clients.filter((c) => c.events >= m.expect).length;
    return { elapsedMs: performance.now() - t0, done, recovered, replayed, completion: hist.summary(), closes: closesOf(g.clients) };
  },
};

function countEvents(): number {
  let n = 0;
  for (const g of groups.values()) for (const c of g.clients) n += c.events;
  return n;
}

export type ClientLoadCommands = typeof commands;

serve(commands);
