import { after, before } from 'node:test';
import { Writable } from 'node:stream';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { createWebcastUpstream, type WebcastUpstream } from '@tiktool/webcast';
import { WebSocket } from 'ws';
import { createLogger, loadConfig, startGateway, type Gateway, type GatewayConfig } from '../src/index.js';

export const TEST_KEY = 'tt_test_key_for_the_gateway_suite_0001';

/** Every log line the gateways of this test process wrote, to assert no secret leaks. */
export const capturedLogs: string[] = [];

/** A gateway on a free loopback port with the in-process emulator and an in-memory database. */
export async function startTestGateway(overrides: Partial<GatewayConfig> = {}): Promise<Gateway> {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      capturedLogs.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dbPath: ':memory:',
      upstream: 'emulator',
      emulatorRate: 50,
      bootstrapKey: TEST_KEY,
      bootstrapTier: 'ultra',
      logLevel: 'info',
      ...overrides,
    },
  );
  return startGateway(config, { logger: createLogger(config.logLevel, sink) });
}

/** A gateway and the emulator it reads, which the test holds to drive events and faults (and closes after the gateway). */
export interface EmulatedGateway {
  gateway: Gateway;
  emulator: Emulator;
}

/** A test gateway in webcast mode against its own emulator on loopback; `emulatorRate` is the emulator's rate. */
export async function startEmulatedGateway(overrides: Partial<GatewayConfig> = {}): Promise<EmulatedGateway> {
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, rate: overrides.emulatorRate ?? 50 });
  const gateway = await startTestGateway({ ...overrides, upstream: 'webcast', webcast: emulator.upstreamOptions() });
  return { gateway, emulator };
}

export interface Envelope {
  event: string;
  data: Record<string, unknown>;
  seq?: number;
}

/** A raw WebSocket client that records every message and how the socket closed. */
export class RawClient {
  readonly messages: Envelope[] = [];
  /** Frames that came as binary: the contract sends text, so browsers can JSON.parse them. */
  binaryFrames = 0;
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(url: string, options?: ConstructorParameters<typeof WebSocket>[2], protocols?: string[]) {
    this.ws = new WebSocket(url, protocols, options);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) this.binaryFrames++;
      const parsed = JSON.parse(data.toString()) as Envelope | Envelope[];
      for (const e of Array.isArray(parsed) ? parsed : [parsed]) this.messages.push(e);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  events(name?: string): Envelope[] {
    return this.messages.filter((m) => m.event !== 'roomInfo' && (name === undefined || m.event === name));
  }

  get roomInfo(): Envelope | undefined {
    return this.messages.find((m) => m.event === 'roomInfo');
  }

  /** Resolves when the predicate holds over the received messages; rejects after the timeout. */
  async until(predicate: (c: RawClient) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`timed out; received ${this.messages.length} messages`);
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), new Promise((r) => setTimeout(r, 50))]);
    }
  }

  close(): void {
    this.ws.close(1000);
  }
}

export function connectUrl(gateway: Gateway, params: Record<string, string | number>): string {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return `${gateway.wsUrl}/?${q}`;
}

/** An emulator and a WebCast upstream pointed at it, for the tests of the describe block that calls this. */
export interface EmulatedUpstream {
  readonly emulator: Emulator;
  readonly upstream: WebcastUpstream;
  /** Room lookups the emulator answered for this name since it started. */
  lookupsOf(uniqueId: string): number;
}

/** Starts the emulator and its upstream before the block's tests and closes both after them. */
export function useEmulatedUpstream(): EmulatedUpstream {
  let held: { emulator: Emulator; upstream: WebcastUpstream } | undefined;
  const get = () => {
    if (!held) throw new Error('the emulated upstream starts in the before hook');
    return held;
  };
  before(async () => {
    const emulator = await startEmulator({ rate: 5 });
    held = { emulator, upstream: createWebcastUpstream(emulator.upstreamOptions()) };
  });
  after(async () => {
    await held?.upstream.close();
    await held?.emulator.close();
  });
  return {
    get emulator() {
      return get().emulator;
    },
    get upstream() {
      return get().upstream;
    },
    lookupsOf: (uniqueId) => get().emulator.stats().lookups[uniqueId] ?? 0,
  };
}
