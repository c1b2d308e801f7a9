/** The results as tables: printed after a run and written to bench/RESULTS.md. */

import type { AccountsRun } from './benches/accounts.js';
import type { BulkLivePhase } from './benches/bulk-live.js';
import type { ConnectionsRun } from './benches/connections.js';
import type { DecodeResult } from './benches/decode.js';
import type { FanOutRun } from './benches/fan-out.js';
import type { ManyCreatorsResult } from './benches/many-creators.js';
import type { ResumeResult } from './benches/resume.js';
import type { SoakResult } from './benches/soak.js';
import type { IdleClientsResult } from './benches/idle-clients.js';
import type { Machine } from './lib/machine.js';

export interface Results {
  /** The block's heading: the full run's by default. */
  title?: string;
  machine: Machine;
  command: string;
  startedAt: string;
  durationS: number;
  decode?: DecodeResult;
  fanOut?: FanOutRun[];
  manyCreators?: ManyCreatorsResult;
  connections?: ConnectionsRun[];
  resume?: ResumeResult;
  accounts?: AccountsRun[];
  soak?: SoakResult;
  idleClients?: IdleClientsResult;
  bulkLive?: BulkLivePhase[];
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const n1 = (x: number) => x.toFixed(1);
const n2 = (x: number) => x.toFixed(2);
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 2 : 1) : 'n/a');
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const closes = (c: Record<string, number>) =>
  Object.keys(c).length === 0
    ? 'none'
    : Object.entries(c)
        .map(([code, k]) => `${k}×${code}`)
        .join(' ');

function table(head: string[], rows: (string | number | boolean)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function decodeSection(d: DecodeResult): string {
  const rows = d.cases.map((c) => [
    c.messagesPerFrame,
    n0(c.bytesPerFrame),
    n0(c.oursEventsPerS),
    n0(c.connectorEventsPerS),
    `**${n2(c.oursEventsPerS / c.connectorEventsPerS)}x**`,
    n0(c.connectorSyncEventsPerS),
    `${n2(c.oursEventsPerS / c.connectorSyncEventsPerS)}x`,
    verdict(c.oursEventsPerS / c.connectorEventsPerS >= 2),
  ]);
  const gaps =
    d.contractGaps.length === 0
      ? `Every field of every event type of the mix was present with its type in all ${n0(d.eventsChecked)} decoded events, and filled (non-empty, non-zero or true) in at least one.`
      : `Contract check found gaps:\n\n${d.contractGaps.map((g) => `- ${g}`).join('\n')}`;
  return [
    '## 1. Decode',
    '',
    "Push frames captured from the emulator's push socket (gzip'd `WebcastPushFrame`s with the scripted mix of message types), decoded to contract events by `FrameDecoder.decodeFrame`, versus `tiktok-live-connector@2.5.0` on the same bytes: its `deserializeWebSocketMessage` (which gunzips asynchronously on the thread pool), and, as a stricter reference, its schema decode with a synchronous gunzip. Events (messages) per second on one core, median of 3 interleaved rounds. Target: at least 2x `deserializeWebSocketMessage`.",
    '',
    table(['msgs/frame', 'bytes/frame', 'ours ev/s', 'connector ev/s', 'ratio', 'connector sync ev/s', 'ratio', 'target ≥ 2x'], rows),
    '',
    gaps,
  ].join('\n');
}

export function fanOutSection(runs: FanOutRun[]): string {
  const refOf = (clients: number) => runs.find((r) => r.server === 'reference' && r.clients === clients);
  const rows = runs.map((r) => {
    const ref = refOf(r.clients);
    const ratio = ref && r.server !== 'reference' ? r.cpuUsPerEvent / ref.cpuUsPerEvent : NaN;
    return [
      r.clients,
      r.server,
      `${r.opened}/${r.clients}`,
      n0(r.deliveredPerS),
      n2(r.cpuUsPerEvent),
      Number.isNaN(ratio) ? '1 (reference)' : `**${n2(ratio)}x**`,
      n0(r.cpuPct),
      ms(r.latency.p50),
      ms(r.latency.p99),
      ms(r.latency.max),
      n0(r.rssMiB),
      n0(r.clientCpuPct),
      r.behind,
      closes(r.closes),
    ];
  });
  return [
    '## 2. Fan-out',
    '',
    'One creator at 200 events/s (the emulator sends a frame of 2 events every 10 ms), the gateway CLI in its own process (upstream `webcast` against the emulator over loopback), the clients in two more (`ws`; one process could not read 200,000 frames/s without queueing; seqs read from the bytes). Measured over 10 s after all clients joined. CPU is the server process\'s `process.cpuUsage()` per event delivered to a client. Latency is emulator send time (`sentAt`) to client receipt, both `performance.timeOrigin + performance.now()`, over every (client, event) of the window. The reference is a minimal `ws` server sending the gateway\'s own captured event bytes (text frames, one `send` per client and event), 2 frames every 10 ms, to the same clients; its latency is from its own send. "behind" = clients that missed an event of the window. Targets: CPU/event ≤ 1.2x the reference; p99 < 25 ms at 1,000 clients; no client behind.',
    '',
    table(
      [
        'clients',
        'server',
        'connected',
        'delivered ev/s',
        'CPU µs/ev',
        'vs reference',
        'CPU %',
        'p50 ms',
        'p99 ms',
        'max ms',
        'RSS MiB',
        'clients CPU %',
        'behind',
        'closes',
      ],
      rows,
    ),
  ].join('\n');
}

export function manyCreatorsSection(m: ManyCreatorsResult): string {
  return [
    '## 3. Many creators',
    '',
    `${m.creators} creators at 20 events/s each from the emulator in its own process (niced: the load generator yields to the gateway), over real sockets to the gateway's WebCast client (room lookup, sign call, push socket, gzip'd protobuf frames); each room sends 5 events every 250 ms, the rooms taking turns. ${m.clients} clients (2 per creator, every event JSON-parsed) in a third process. Measured over 15 s. The gateway's event-loop delay and GC pauses (from the bench's probe in its process) show what its latency tail is made of. Targets: one core holds it (gateway CPU ≤ 100 %), p99 < 50 ms, one upstream connection per creator.`,
    '',
    table(
      [
        'creators',
        'clients',
        'upstream conns',
        'events in/s',
        'delivered ev/s',
        'gateway CPU %',
        'RSS MiB',
        'p50 ms',
        'p99 ms',
        'max ms',
        'emulator CPU %',
        'clients CPU %',
        'gateway loop delay p99/max ms',
        'max GC pause ms',
        'closes',
      ],
      [
        [
          m.creators,
          `${m.opened}/${m.clients}`,
          `${m.upstreamConnections} (${verdict(m.upstreamConnections === m.creators)})`,
          n0(m.inEventsPerS),
          n0(m.deliveredPerS),
          `${n0(m.cpuPct)} (${verdict(m.cpuPct <= 100)})`,
          n0(m.rssMiB),
          ms(m.latency.p50),
          `${ms(m.latency.p99)} (${verdict(m.latency.p99 < 50)})`,
          ms(m.latency.max),
          n0(m.emulatorCpuPct),
          n0(m.clientCpuPct),
          `${ms(m.loopP99Ms)} / ${ms(m.loopMaxMs)}`,
          ms(m.gcMaxMs),
          closes(m.closes),
        ],
      ],
    ),
  ].join('\n');
}

export function connectionsSection(runs: ConnectionsRun[]): string {
  return [
    '## 4. Connections',
    '',
    `${n0(runs[0].clients)} idle clients of one creator, each authenticated with its API key (SQLite lookup), admitted under its tier's limits and sent its roomInfo; at most 200 handshakes in flight, from one client process. Per-client memory is the gateway's growth after a full GC, divided by the clients. Keys: the hosted profile, 40 keys of the largest built-in tier (ultra: 250 sockets each), and all sockets on one key. Targets: < 20 KiB per client; > 2,000 connects/s.`,
    '',
    table(
      ['keys', 'connected', 'connects/s', 'gateway CPU µs/connect', 'RSS KiB/client', 'heap KiB/client', 'closes'],
      runs.map((c) => [
        c.keys,
        `${n0(c.opened)}/${n0(c.clients)}`,
        `${n0(c.connectsPerS)} (${verdict(c.connectsPerS > 2000)})`,
        n0(c.cpuUsPerConnect),
        `${n1(c.rssPerClientKiB)} (${verdict(c.rssPerClientKiB < 20)})`,
        `${n1(c.heapPerClientKiB)} (${verdict(c.heapPerClientKiB < 20)})`,
        closes(c.closes),
      ]),
    ),
  ].join('\n');
}

export function resumeSection(r: ResumeResult): string {
  return [
    '## 5. Resume',
    '',
    'A client misses events (its socket closed while the emulator emits them), then resumes with its sessionId and lastSeq: time from opening the socket (handshake, key check, roomInfo included) until the last missed event arrives; median of 3. The storm: 1,000 clients of one creator miss 1,000 events each and resume at the same moment (one client process reads them all). Target: 10,000 events replayed in < 100 ms.',
    '',
    table(
      ['mode', 'missed', 'replayed', 'recovered', 'ms to last event', 'target < 100 ms'],
      r.single.map((s) => [s.batch ? 'batch=1' : 'unbatched', n0(s.missed), n0(s.replayed), s.recovered, ms(s.ms), verdict(s.ms < 100)]),
    ),
    '',
    table(
      ['storm', 'clients', 'missed each', 'complete', 'recovered', 'all done ms', 'p50 ms', 'p99 ms', 'gateway CPU ms', 'closes'],
      r.storm.map((s) => [
        s.batch ? 'batch=1' : 'unbatched',
        n0(s.clients),
        n0(s.missed),
        n0(s.done),
        n0(s.recovered),
        ms(s.elapsedMs),
        ms(s.completion.p50),
        ms(s.completion.p99),
        n0(s.gatewayCpuMs),
        closes(s.closes),
      ]),
    ),
  ].join('\n');
}

export function accountsSection(runs: AccountsRun[]): string {
  const [sqlite, postgres] = runs;
  const ratio = postgres.medianConnectsPerS / sqlite.medianConnectsPerS;
  return [
    '## 6. Accounts: SQLite or Postgres',
    '',
    `${n0(sqlite.clients)} idle clients of one creator on 40 ultra keys (created through the admin API), at most 200 handshakes in flight; the key check reads the node's cache, kept current by the store's notifications. ${sqlite.rounds.length} rounds per store, alternating; median. Target: Postgres within 20 % of SQLite: ${n2(ratio)} × (${verdict(ratio >= 0.8)}).`,
    '',
    table(
      ['store', 'connected (worst round)', 'connects/s per round', 'median connects/s', 'closes'],
      runs.map((a) => [
        a.store,
        `${n0(a.opened)}/${n0(a.clients)}`,
        a.rounds.map(n0).join(', '),
        n0(a.medianConnectsPerS),
        closes(a.closes),
      ]),
    ),
  ].join('\n');
}

export function bulkLiveSection(phases: BulkLivePhase[]): string {
  return [
    '## Bulk live checks',
    '',
    '`POST /v1/live/bulk` with 200 names a call (70 % live, 20 % `offline_`, 10 % `missing_`) to the gateway CLI in its own process (upstream `webcast`), the emulator in the bench process. The first two phases ask names never asked before; the last asks the second\'s again at once, within the 10 s answer TTL. Lookups are the emulator\'s room lookups by name (live page, api-live, sign provider, in that order): a missing name is asked in every source before "not found" is believed, so 3 is one check. Every live check also reads room info once (not counted). Target: at most one check per distinct name.',
    '',
    table(
      [
        'phase',
        'calls',
        'names asked',
        'distinct',
        'ms',
        'names/s',
        'lookups per live/offline name',
        'lookups per missing name',
        'lookups per name asked',
        'unexpected answers',
      ],
      phases.map((p) => [
        p.phase,
        p.calls,
        n0(p.namesAsked),
        n0(p.distinctNames),
        n1(p.ms),
        n0(p.namesPerS),
        n2(p.lookupsPerExisting),
        n2(p.lookupsPerMissing),
        n2(p.lookupsPerNameAsked),
        p.wrong,
      ]),
    ),
  ].join('\n');
}

export function idleClientsSection(r: IdleClientsResult): string {
  return [
    `## ${n0(r.clients)} idle clients on one node`,
    '',
    `${n0(r.clients)} idle clients of one creator on one gateway process (open-file limit raised to ${n0(r.clients + 1000)} in its spawn shell), all on the bench key, from one client process through ${r.sourceAddresses} loopback source addresses (127.0.0.2 and up: one address has only the ephemeral port range toward one gateway port); at most 200 handshakes in flight. Memory per client is the gateway's growth after a full GC, divided by the clients. Then, for ${r.holdS} s (longer than the 30 s keepalive, so the window holds a ping round over every socket), a second creator emits 40 events/s to ${r.activeClients} active clients in a process of their own; latency is emulator send time to client receipt. Loop delay and GC pauses are the gateway's over the hold (the bench's probe). Target: active clients' p99 < 50 ms.`,
    '',
    table(
      [
        'clients',
        'connected',
        'connects/s',
        'gateway CPU µs/connect',
        'RSS KiB/client',
        'heap KiB/client',
        'gateway RSS MiB',
        'hold CPU %',
        'loop delay p99 / max ms',
        'max GC pause ms',
        'active events',
        'p50 ms',
        'p99 ms',
        'max ms',
        'closes',
      ],
      [
        [
          n0(r.clients),
          `${n0(r.opened)}/${n0(r.clients)}`,
          n0(r.connectsPerS),
          n0(r.cpuUsPerConnect),
          n1(r.rssPerClientKiB),
          n1(r.heapPerClientKiB),
          n0(r.rssMiB),
          n0(r.holdCpuPct),
          `${ms(r.loopP99Ms)} / ${ms(r.loopMaxMs)}`,
          ms(r.gcMaxMs),
          n0(r.activeEvents),
          ms(r.latency.p50),
          `${ms(r.latency.p99)} (${verdict(r.latency.p99 < 50)})`,
          ms(r.latency.max),
          closes(r.closes),
        ],
      ],
    ),
  ].join('\n');
}

export function soakSection(r: SoakResult): string {
  const slopeOf = (x: number) => (Number.isFinite(x) ? `**${x >= 0 ? '+' : ''}${n2(x)}**` : 'n/a');
  return [
    `## Soak (${r.minutes} minutes)`,
    '',
    `${r.creators} creators in the standalone emulator (its own process, niced), each live room emitting ${r.rate} events/s; every second each creator's LIVE ends with probability 1/240 and an offline creator goes live with probability 1/80 (\`POST /_emulator/creators/{uniqueId}\`; ${n0(r.switches)} switches in the run, ${n0(r.switchFailures)} unanswered). ${r.clientSlots} client slots in one process: a free slot connects with probability 0.05 per 100 ms tick (5 % of connects to any creator, live or not, the rest to a live one); an open socket leaves with probability 0.001 per tick, or drops (no close handshake) and resumes with its sessionId and lastSeq with probability 0.002; sockets of an ended LIVE are closed by the gateway (4005) and their slots reconnect elsewhere. Single-creator sockets only (roster sockets do not exist yet). Each minute, from the gateway's \`/metrics\`: RSS, V8 heap used, event-loop delay p99 and max over the minute (prom-client's histogram, reset at each scrape), active handles, open fds; from \`/healthz\`: its sockets, creators, sessions; then a full GC (the bench's probe) and the heap after it, and a second scrape, so that the forced GC's pause is not in the next minute's loop delay. The gateway runs with \`TIKTOOL_HISTORY_MAX_BYTES\` = ${r.historyMaxMiB} MiB (\`--history-mib\`): history is \`tiktool_history_bytes\`, its peak \`tiktool_history_peak_bytes\` (the most held at any moment since start, not only at the scrapes), evictions \`tiktool_history_evictions_total\` (none while every creator's history fits). Slopes: least squares over minutes ≥ ${r.warmupMin} (the warm-up), per minute.`,
    '',
    table(
      [
        'minute',
        'RSS MiB',
        'heap MiB',
        'heap after GC MiB',
        'loop p99 / max ms',
        'handles',
        'fds',
        'sockets',
        'creators',
        'sessions',
        'live in emulator',
        'history MiB (peak)',
        'evicted',
        'connects',
        'resumes (recovered)',
        'leaves',
        'events read',
        'closes',
      ],
      r.rows.map((row) => [
        row.minute,
        n1(row.rssMiB),
        n1(row.heapMiB),
        n1(row.heapAfterGcMiB),
        `${ms(row.loopP99Ms)} / ${ms(row.loopMaxMs)}`,
        n0(row.handles),
        n0(row.fds),
        n0(row.sockets),
        n0(row.creators),
        n0(row.sessions),
        n0(row.liveCreators),
        `${n1(row.historyMiB)} (${n1(row.historyPeakMiB)})`,
        n0(row.evictions),
        n0(row.clients.connects),
        `${n0(row.clients.resumes)} (${n0(row.clients.recovered)})`,
        n0(row.clients.leaves),
        n0(row.clients.events),
        closes(row.clients.closes),
      ]),
    ),
    '',
    `History peak over the run: ${n1(Math.max(...r.rows.map((row) => row.historyPeakMiB)))} MiB against a budget of ${r.historyMaxMiB} MiB.`,
    '',
    table(
      ['after warm-up', 'RSS MiB/min', 'heap after GC MiB/min', 'handles/min'],
      [
        [
          `minutes ${r.warmupMin}–${r.minutes}`,
          slopeOf(r.rssSlopeMiBPerMin),
          slopeOf(r.heapAfterGcSlopeMiBPerMin),
          slopeOf(r.handlesSlopePerMin),
        ],
      ],
    ),
  ].join('\n');
}

export function renderResults(r: Results): string {
  const m = r.machine;
  return [
    `# ${r.title ?? 'Benchmark results'}`,
    '',
    `Measured ${r.startedAt} in ${Math.round(r.durationS)} s by \`${r.command}\` on ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}. Every ratio compares figures measured in the same run.`,
    '',
    ...[
      r.decode && decodeSection(r.decode),
      r.fanOut && fanOutSection(r.fanOut),
      r.manyCreators && manyCreatorsSection(r.manyCreators),
      r.connections && connectionsSection(r.connections),
      r.resume && resumeSection(r.resume),
      r.accounts && accountsSection(r.accounts),
      r.idleClients && idleClientsSection(r.idleClients),
      r.soak && soakSection(r.soak),
      r.bulkLive && bulkLiveSection(r.bulkLive),
    ].flatMap((s) => (s ? [s, ''] : [])),
  ].join('\n');
}
