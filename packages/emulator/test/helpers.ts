import type { UpstreamEvent } from '@tiktool/protocol';
import { createWebcastUpstream, type UpstreamClosed, type UpstreamError, type UpstreamSink, type WebcastOptions } from '@tiktool/webcast';
import type { Emulator } from '../src/index.js';

/** Client timings short enough for tests. */
export const FAST: WebcastOptions = {
  heartbeatIntervalMs: 200,
  requestTimeoutMs: 3000,
  reconnectBaseMs: 20,
  reconnectMaxMs: 100,
  signRetryBaseMs: 10,
  signRetryMaxMs: 40,
};

/** A sink that records everything it is told. */
export class Recorder {
  readonly events: UpstreamEvent[] = [];
  readonly reconnects: { error: UpstreamError; attempt: number }[] = [];
  readonly closed: Promise<UpstreamClosed>;
  readonly sink: UpstreamSink;
  callsAfterClose = 0;
  private isClosed = false;

  constructor() {
    let resolve!: (c: UpstreamClosed) => void;
    this.closed = new Promise((r) => (resolve = r));
    this.sink = {
      event: (e) => {
        if (this.isClosed) this.callsAfterClose++;
        this.events.push(e);
      },
      reconnecting: (error, attempt) => {
        if (this.isClosed) this.callsAfterClose++;
        this.reconnects.push({ error, attempt });
      },
      closed: (c) => {
        if (this.isClosed) this.callsAfterClose++;
        this.isClosed = true;
        resolve(c);
      },
    };
  }

  msgIds(): string[] {
    return this.events.map((e) => e.data.msgId);
  }
}

export function upstreamFor(emu: Emulator, extra: WebcastOptions = {}) {
  return createWebcastUpstream({ ...emu.upstreamOptions(), ...FAST, ...extra });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
