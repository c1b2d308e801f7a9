import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnFreePort } from '@tiktool/testkit';

/** One request a receiver got: its headers and raw body, as a receiver verifies them. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: { id: string; type: string; createdAt: string; uniqueId: string; data: Record<string, unknown> };
}

/** How the receiver answers: a status (and headers), or it cuts the connection. */
export type Answer = { status: number; headers?: Record<string, string> } | 'cut';

/** A webhook receiver on loopback: records every request, answers as told (204 unless told). */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answer: (r: Received) => Answer = () => ({ status: 204 });

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    let self: WebhookReceiver | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    const port = await listenOnFreePort(server as unknown as import('node:net').Server);
    self = new WebhookReceiver(server, port);
    return self;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Received requests of this type, or all. */
  of(type?: string): Received[] {
    return this.received.filter((r) => type === undefined || r.body.type === type);
  }

  /** Ids answered with a 2xx, each once, in the order first delivered: what a receiver deduplicating by id keeps. */
  acceptedIds(): string[] {
    return [...new Set(this.accepted.map((r) => r.body.id))];
  }

  private readonly accepted: Received[] = [];

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const r: Received = { path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) as Received['body'] };
    this.received.push(r);
    const answer = this.answer(r);
    if (answer === 'cut') return void req.socket.destroy();
    if (answer.status >= 200 && answer.status < 300) this.accepted.push(r);
    res.writeHead(answer.status, answer.headers).end();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The test's own verifier: some v1= of the header is the HMAC of "t.body" with the secret, and t is within 300 s. */
export function verifies(r: Received, secret: string, now = Date.now()): boolean {
  const header = String(r.headers['x-tiktool-signature'] ?? '');
  const parts = header.split(',').map((p) => p.split('=') as [string, string]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${r.raw}`).digest();
  return parts.some(([k, v]) => k === 'v1' && v.length === expected.length * 2 && timingSafeEqual(Buffer.from(v, 'hex'), expected));
}
