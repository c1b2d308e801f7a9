import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { frameText, headerSize, payloadStart } from '../src/hub/ws-frame.js';

/**
 * The gateway writes frames by hand onto the upgraded socket; a real ws client parses
 * them. A header wrong in any length form makes ws fail the connection (1002) instead of
 * delivering the message.
 */
class FramePeer {
  private socket!: Duplex;
  private client!: WebSocket;
  private readonly received: { text: string; isBinary: boolean }[] = [];
  private waiting: ((err?: Error) => void) | undefined;

  private constructor(private readonly server: Server) {}

  static async open(): Promise<FramePeer> {
    const server = createServer();
    const peer = new FramePeer(server);
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const upgraded = new Promise<void>((resolve) => {
      server.on('upgrade', (req, socket, head) => {
        wss.handleUpgrade(req, socket, head, () => {
          peer.socket = socket;
          resolve();
        });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    peer.client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    peer.client.on('message', (data, isBinary) => {
      peer.received.push({ text: data.toString(), isBinary });
      peer.waiting?.();
    });
    await Promise.all([upgraded, once(peer.client, 'open')]);
    return peer;
  }

  /** Writes raw bytes and resolves with the next `count` messages the client parsed from them. */
  async roundTrip(wire: Buffer, count = 1): Promise<{ text: string; isBinary: boolean }[]> {
    const failed = (code: number) => this.waiting?.(new Error(`client failed the connection: ${code}`));
    this.client.once('close', failed);
    const next = new Promise<void>((resolve, reject) => {
      this.waiting = (err) => (err ? reject(err) : this.received.length >= count && resolve());
    });
    this.socket.write(wire);
    await next;
    this.client.off('close', failed);
    return this.received.splice(0, count);
  }

  async close(): Promise<void> {
    this.client.terminate();
    this.socket.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

/** A JSON text of exactly n UTF-8 bytes, with a multi-byte character to check the byte count. */
function jsonOfBytes(n: number): string {
  const head = '{"s":"é';
  const fill = n - Buffer.byteLength(head) - 2;
  return `${head}${'x'.repeat(fill)}"}`;
}

// A wrong length makes the client wait for bytes that never come: the timeout fails the test.
describe('hand-written WebSocket frames', { timeout: 10_000 }, () => {
  let peer: FramePeer;
  before(async () => {
    peer = await FramePeer.open();
  });
  after(() => peer.close());

  for (const n of [0, 1, 125, 126, 127, 65_535, 65_536, 65_537, 200_000]) {
    it(`a ${n}-byte text reaches a ws client whole, as one text message`, async () => {
      const text = n === 0 ? '' : n < 12 ? 'x'.repeat(n) : jsonOfBytes(n);
      assert.equal(Buffer.byteLength(text), n);
      const wire = frameText(text);
      assert.equal(wire.byteLength, headerSize(n) + n);
      assert.equal(wire.subarray(payloadStart(wire)).toString(), text);
      const [got] = await peer.roundTrip(wire);
      assert.equal(got.isBinary, false);
      assert.equal(got.text, text);
    });
  }

  it('the length form changes at 126 and 65536 payload bytes, as RFC 6455 sets', () => {
    assert.deepEqual([125, 126, 65_535, 65_536].map(headerSize), [2, 4, 4, 10]);
    assert.equal(frameText('x'.repeat(125))[1], 125);
    assert.equal(frameText('x'.repeat(126))[1], 126);
    assert.equal(frameText('x'.repeat(65_535))[1], 126);
    assert.equal(frameText('x'.repeat(65_536))[1], 127);
  });

  it('frames written back to back in one write arrive as separate messages', async () => {
    const texts = ['{"a":1}', jsonOfBytes(70_000), '{"b":2}'];
    const got = await peer.roundTrip(Buffer.concat(texts.map(frameText)), texts.length);
    assert.deepEqual(
      got.map((m) => m.text),
      texts,
    );
  });
});
