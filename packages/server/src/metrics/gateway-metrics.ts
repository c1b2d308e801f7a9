import type { Socket } from 'node:net';
import { CLOSE_CODES, CREATOR_EVENT_NAMES, CloseCode, type CreatorEventName } from '@tiktool/protocol';
import { UpstreamError, type Upstream } from '@tiktool/webcast';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { HubHooks } from '../hub/hub.js';
import { LiveCheckMetrics } from './live-check-metrics.js';
import { UpstreamMetrics } from './upstream-metrics.js';

/** What the metrics read of a subscribed connection's delivery, at scrape time. */
export interface DeliveryCount {
  readonly eventsSent: number;
}

/** One client connection as the metrics see it, from its upgrade to its close. */
export interface MeteredConnection {
  readonly socket: Socket;
  tier?: string;
  delivery?: DeliveryCount;
}

const RESUME_OUTCOMES = ['recovered', 'not_recovered'] as const;
const FOLLOW_STATES = ['waiting', 'streaming'] as const;
export type FollowState = (typeof FOLLOW_STATES)[number];
const KNOWN_CLOSE_CODES: ReadonlySet<number> = new Set(CLOSE_CODES.map((c) => c.code));

/**
 * The gateway's Prometheus metrics, in a registry of its own.
 *
 * The hot paths only bump plain numbers: events in are counted per type in an object,
 * and deliveries and bytes out are read from each open connection when Prometheus
 * scrapes. prom-client is handed the totals in `collect` (reset, then the total), so no
 * event and no socket send pays for label hashing.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  /** Sign provider calls, sign budget waits and refusals, routes backing off. */
  readonly upstream = new UpstreamMetrics(this.registry);
  /** Live checks by outcome, creators watched and waiting. */
  readonly live = new LiveCheckMetrics(this.registry);
  private readonly open = new Set<MeteredConnection>();
  private readonly eventsInByType = Object.fromEntries(CREATOR_EVENT_NAMES.map((n) => [n, 0])) as Record<CreatorEventName, number>;
  /** Deliveries and bytes of connections already closed. */
  private closedEventsOut = 0;
  private closedBytesOut = 0;
  private creatorCount: () => number = () => 0;

  private readonly socketsOpen: Gauge<'tier'>;
  private readonly upstreamReconnects: Counter;
  private readonly upstreamErrors: Counter<'code'>;
  private readonly closeCodesSent: Counter<'code'>;
  private readonly slowConsumerCloses: Counter;
  private readonly resumes: Counter<'outcome'>;
  private readonly followed: Gauge<'state'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const self = this;
    this.socketsOpen = new Gauge({
      name: 'tiktool_sockets_open',
      help: 'Client sockets streaming events, by tier',
      labelNames: ['tier'],
      registers,
    });
    new Gauge({
      name: 'tiktool_creators_upstream',
      help: 'Creators this node serves, each fed by one upstream (in cluster mode, possibly on another node)',
      registers,
      collect() {
        this.set(self.creatorCount());
      },
    });
    new Counter({
      name: 'tiktool_events_in_total',
      help: 'Creator events appended to the streams, by event type',
      labelNames: ['event'],
      registers,
      collect() {
        this.reset();
        for (const name of CREATOR_EVENT_NAMES) this.inc({ event: name }, self.eventsInByType[name]);
      },
    });
    new Counter({
      name: 'tiktool_events_out_total',
      help: 'Events delivered to client sockets (each event once per socket it was sent to)',
      registers,
      collect() {
        let total = self.closedEventsOut;
        for (const c of self.open) total += c.delivery?.eventsSent ?? 0;
        this.reset();
        this.inc(total);
      },
    });
    new Counter({
      name: 'tiktool_bytes_out_total',
      help: 'Bytes written to client sockets (frames, pings, upgrade responses)',
      registers,
      collect() {
        let total = self.closedBytesOut;
        for (const c of self.open) total += c.socket.bytesWritten;
        this.reset();
        this.inc(total);
      },
    });
    this.upstreamReconnects = new Counter({
      name: 'tiktool_upstream_reconnects_total',
      help: 'Upstream reconnect attempts after a drop',
      registers,
    });
    this.upstreamErrors = new Counter({
      name: 'tiktool_upstream_errors_total',
      help: 'Upstream errors (failed connects and drops), by error code',
      labelNames: ['code'],
      registers,
    });
    this.closeCodesSent = new Counter({
      name: 'tiktool_close_codes_sent_total',
      help: 'Client connections the gateway closed, by close code ("other" for codes outside the protocol)',
      labelNames: ['code'],
      registers,
    });
    this.slowConsumerCloses = new Counter({
      name: 'tiktool_slow_consumer_closes_total',
      help: 'Clients closed with 4008 because their send queue was full',
      registers,
    });
    this.resumes = new Counter({
      name: 'tiktool_resumes_total',
      help: 'Connections that asked to resume a session, by outcome (recovered: no gap)',
      labelNames: ['outcome'],
      registers,
    });
    // Both outcomes exist from the start, so a rate() sees the first resume.
    for (const outcome of RESUME_OUTCOMES) this.resumes.inc({ outcome }, 0);
    this.followed = new Gauge({
      name: 'tiktool_followed_creators',
      help: 'Creators followed by client sockets (a roster counts each), by state: waiting for live, or streaming',
      labelNames: ['state'],
      registers,
    });
    for (const state of FOLLOW_STATES) this.followed.set({ state }, 0);
  }

  /** A socket's creator moved between states (undefined: it joined, or left, the socket). */
  followState(from: FollowState | undefined, to: FollowState | undefined): void {
    if (from === to) return;
    if (from) this.followed.dec({ state: from });
    if (to) this.followed.inc({ state: to });
  }

  /** One creator of a connection resumed its position (a roster resumes each of its creators). */
  creatorResumed(recovered: boolean): void {
    this.resumes.inc({ outcome: recovered ? 'recovered' : 'not_recovered' });
  }

  /** Where the creators gauge reads its value. */
  countCreators(count: () => number): void {
    this.creatorCount = count;
  }

  hubHooks(): HubHooks {
    const counts = this.eventsInByType;
    return {
      onEvent: (_creator, entry) => {
        counts[entry.event]++;
      },
      onUpstreamReconnecting: (_creator, error) => {
        this.upstreamReconnects.inc();
        this.upstreamErrors.inc({ code: error.code });
      },
    };
  }

  /** The upstream, with its failed connects counted by error code. */
  meterUpstream(upstream: Upstream): Upstream {
    return {
      connect: (uniqueId, sink, options) =>
        upstream.connect(uniqueId, sink, options).catch((err: unknown) => {
          if (err instanceof UpstreamError) this.upstreamErrors.inc({ code: err.code });
          throw err;
        }),
      checkLive: (uniqueId, signal) => upstream.checkLive(uniqueId, signal),
      close: () => upstream.close(),
    };
  }

  connectionOpened(socket: Socket): MeteredConnection {
    const connection: MeteredConnection = { socket };
    this.open.add(connection);
    return connection;
  }

  /** The connection streams events now (roomInfo sent); `resume` is set when it asked to resume a session. */
  connectionStreaming(connection: MeteredConnection, tier: string, delivery: DeliveryCount, resume?: { recovered: boolean }): void {
    connection.tier = tier;
    connection.delivery = delivery;
    this.socketsOpen.inc({ tier });
    if (resume) this.resumes.inc({ outcome: resume.recovered ? 'recovered' : 'not_recovered' });
  }

  /** `byServer`: the gateway sent the close (the code is then the one it sent, as echoed). */
  connectionClosed(connection: MeteredConnection, code: number, byServer: boolean): void {
    if (!this.open.delete(connection)) return;
    this.closedEventsOut += connection.delivery?.eventsSent ?? 0;
    this.closedBytesOut += connection.socket.bytesWritten;
    if (connection.tier !== undefined) this.socketsOpen.dec({ tier: connection.tier });
    if (!byServer) return;
    this.closeCodesSent.inc({ code: KNOWN_CLOSE_CODES.has(code) ? String(code) : 'other' });
    if (code === CloseCode.SLOW_CONSUMER) this.slowConsumerCloses.inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
