/**
 * The push WebSocket, opened. Reports every binary message and, once, why it closed.
 * TikTok answers an upgrade it does not want with HTTP 200 and handshake-status /
 * handshake-msg headers instead of 101; that becomes HANDSHAKE_REJECTED with both
 * headers in the message.
 */

import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { networkCause, scrubUrls } from './http-client.js';
import { UpstreamError } from './upstream.js';

export interface PushSocketHandlers {
  frame(data: Buffer): void;
  /** The socket closed without close() being called. Called at most once. */
  closed(error: UpstreamError): void;
}

const STEP = 'push socket';

/**
 * Why the upgrade was refused. A handshake-status of 429 is TikTok rate limiting this
 * address (BLOCKED, so the creator moves to another route); other statuses are a
 * rejected signature or cookie, or a room gone.
 */
function rejection(res: IncomingMessage): UpstreamError {
  const status = res.headers['handshake-status'];
  const msg = res.headers['handshake-msg'];
  if (res.statusCode === 200 || status !== undefined) {
    const code = String(status) === '429' ? 'BLOCKED' : 'HANDSHAKE_REJECTED';
    return new UpstreamError(
      code,
      `${STEP}: upgrade refused with HTTP ${res.statusCode}, ` +
        `handshake-status ${String(status ?? 'none')}, handshake-msg ${scrubUrls(String(msg ?? 'none'))}`,
    );
  }
  if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode === 429) {
    return new UpstreamError('BLOCKED', `${STEP}: upgrade answered with HTTP ${res.statusCode}, TikTok is blocking this address`);
  }
  return new UpstreamError('NETWORK', `${STEP}: upgrade answered with HTTP ${res.statusCode}`);
}

export class PushSocket {
  private closedByUs = false;
  private reported = false;

  private constructor(
    private readonly ws: WebSocket,
    private readonly handlers: PushSocketHandlers,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) handlers.frame(data as Buffer);
    });
    ws.on('close', (code, reason) => {
      this.report(new UpstreamError('NETWORK', `${STEP} closed: ${code}${reason.length ? ` ${scrubUrls(reason.toString())}` : ''}`));
    });
    ws.on('error', (err) => {
      this.report(new UpstreamError('NETWORK', `${STEP}: network error (${networkCause(err)})`, { cause: err }));
    });
  }

  private report(error: UpstreamError): void {
    if (this.closedByUs || this.reported) return;
    this.reported = true;
    this.ws.terminate();
    this.handlers.closed(error);
  }

  /** Opens the socket, through agent (a proxy) when given. */
  static open(
    url: string,
    headers: Record<string, string>,
    handlers: PushSocketHandlers,
    timeoutMs: number,
    agent?: HttpAgent,
  ): Promise<PushSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, handshakeTimeout: timeoutMs, perMessageDeflate: false, agent });
      let settled = false;
      const fail = (error: UpstreamError) => {
        if (settled) return;
        settled = true;
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        reject(error);
      };
      ws.once('unexpected-response', (req, res) => {
        const error = rejection(res);
        res.resume();
        req.destroy();
        fail(error);
      });
      ws.once('error', (err) => fail(new UpstreamError('NETWORK', `${STEP}: network error (${networkCause(err)})`, { cause: err })));
      ws.once('close', (code) => fail(new UpstreamError('NETWORK', `${STEP} closed during the handshake: ${code}`)));
      ws.once('open', () => {
        if (settled) return;
        settled = true;
        ws.removeAllListeners();
        resolve(new PushSocket(ws, handlers));
      });
    });
  }

  send(bytes: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  /** Closes without reporting. */
  close(): void {
    this.closedByUs = true;
    this.ws.removeAllListeners('message');
    this.ws.on('error', () => {});
    this.ws.terminate();
  }

  /** Drops the connection and reports error, as if the network had failed. */
  abort(error: UpstreamError): void {
    this.report(error);
  }
}
