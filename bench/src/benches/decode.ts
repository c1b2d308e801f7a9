/**
 * Benchmark 1: push frames from the emulator decoded to contract events by our
 * FrameDecoder, versus tiktok-live-connector's decode of the same bytes.
 */

import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '@tiktool/emulator';
import { FrameDecoder } from '@tiktool/webcast';
import { deserializeMessage, deserializeWebSocketMessage } from 'tiktok-live-connector';
import { WebSocket } from 'ws';
import { ContractCheck } from '../lib/contract-check.js';

export interface DecodeCase {
  messagesPerFrame: number;
  frames: number;
  bytesPerFrame: number;
  oursEventsPerS: number;
  /** deserializeWebSocketMessage, as the library runs it (async gunzip on the thread pool). */
  connectorEventsPerS: number;
  /** The library's schema decode with a synchronous gunzip: its decode cost without the thread hop. */
  connectorSyncEventsPerS: number;
  oursEvents: number;
  connectorMessages: number;
}

export interface DecodeResult {
  cases: DecodeCase[];
  contractGaps: string[];
  eventsChecked: number;
}

const ROUND_MS = 1_500;
const ROUNDS = 3;

/** Push frames of the emulator's scripted creator, as its push socket sends them. */
async function captureFrames(uniqueId: string, frames: number, perFrame: number): Promise<Buffer[]> {
  const emulator = await startEmulator({ rate: 0, seed: 7 });
  try {
    const roomId = emulator.roomId(uniqueId)!;
    const ws = new WebSocket(`${emulator.url.replace('http', 'ws')}/webcast/im/push/v2/?room_id=${roomId}`);
    const out: Buffer[] = [];
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const done = new Promise<void>((resolve) => {
      ws.on('message', (data: Buffer) => {
        out.push(data);
        if (out.length === frames) resolve();
      });
    });
    for (let i = 0; i < frames; i++) emulator.emit(uniqueId, perFrame);
    await done;
    ws.terminate();
    return out;
  } finally {
    await emulator.close();
  }
}

/** Runs fn over every frame, repeatedly, for at least ROUND_MS; events decoded per second. */
async function rate(frames: Buffer[], fn: (f: Buffer) => number | Promise<number>): Promise<number> {
  let events = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (const f of frames) events += await fn(f);
    elapsed = performance.now() - t0;
  } while (elapsed < ROUND_MS);
  return (events / elapsed) * 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function runCase(perFrame: number, frameCount: number, check: ContractCheck): Promise<DecodeCase> {
  const frames = await captureFrames(`decode_${perFrame}`, frameCount, perFrame);
  const decoder = new FrameDecoder();
  let oursEvents = 0;
  for (const f of frames) {
    for (const e of decoder.decodeFrame(f)?.events ?? []) {
      check.check(e);
      oursEvents++;
    }
  }
  let connectorMessages = 0;
  for (const f of frames) {
    const decoded = await deserializeWebSocketMessage(f);
    connectorMessages += decoded.protoMessageFetchResult?.messages.filter((m) => m.decodedData !== undefined).length ?? 0;
  }

  const ours = (f: Buffer) => decoder.decodeFrame(f)!.events.length;
  const connector = async (f: Buffer) => {
    const decoded = await deserializeWebSocketMessage(f);
    return decoded.protoMessageFetchResult!.messages.length;
  };
  const connectorSync = (f: Buffer) => {
    const frame = deserializeMessage('WebcastPushFrame', f);
    return deserializeMessage('ProtoMessageFetchResult', gunzipSync(frame.payload)).messages.length;
  };
  const o: number[] = [];
  const c: number[] = [];
  const cs: number[] = [];
  // Interleaved rounds, so drift of a shared machine hits both sides alike.
  for (let i = 0; i < ROUNDS; i++) {
    o.push(await rate(frames, ours));
    c.push(await rate(frames, connector));
    cs.push(await rate(frames, connectorSync));
  }
  return {
    messagesPerFrame: perFrame,
    frames: frames.length,
    bytesPerFrame: Math.round(frames.reduce((n, f) => n + f.length, 0) / frames.length),
    oursEventsPerS: median(o),
    connectorEventsPerS: median(c),
    connectorSyncEventsPerS: median(cs),
    oursEvents,
    connectorMessages,
  };
}

export async function runDecode(): Promise<DecodeResult> {
  const check = new ContractCheck();
  const cases = [await runCase(1, 3_000, check), await runCase(10, 600, check)];
  return { cases, contractGaps: check.gaps(), eventsChecked: check.events };
}
