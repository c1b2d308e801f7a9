import type { StreamEntry } from './creator-stream.js';
import { headerSize, payloadStart, writeHeader } from './ws-frame.js';

/**
 * At most this many bytes are handed to a client socket in one write (one larger event
 * still goes, alone): a big burst or replay leaves in several writes, so the slow-consumer
 * bound judges the client by what it has not taken, not by the size of the burst. A
 * `batch=1` frame is never larger either.
 */
export const WRITE_MAX_BYTES = 64 * 1024;

/** Bytes for a client socket: whole WebSocket frames with `events` events up to `lastSeq`. */
export interface Outgoing {
  readonly wire: Buffer;
  readonly lastSeq: number;
  readonly events: number;
}

/** The entries' own frames, back to back, in buffers of at most `maxBytes` (the unbatched form). */
export function joinedFrames(entries: readonly StreamEntry[], maxBytes = WRITE_MAX_BYTES): Outgoing[] {
  const out: Outgoing[] = [];
  forEachRun(
    entries,
    maxBytes,
    (e) => e.wire.byteLength,
    (from, to, size) => {
      const wire = to - from === 1 ? entries[from].wire : Buffer.concat(runOf(entries, from, to), size);
      out.push({ wire, lastSeq: entries[to - 1].seq, events: to - from });
    },
  );
  return out;
}

const OPEN = 0x5b; // [
const COMMA = 0x2c; // ,
const CLOSE = 0x5d; // ]

/**
 * The entries as `batch=1` frames: JSON arrays `[e1,e2,...]` of at most `maxBytes` each
 * (bar a single larger event). The event JSON is the one encoded once at append; only the
 * header, brackets and commas are new.
 */
export function batchFrames(entries: readonly StreamEntry[], maxBytes = WRITE_MAX_BYTES): Outgoing[] {
  const out: Outgoing[] = [];
  // Each event brings its comma (or the opening bracket); the closing bracket is the +1.
  forEachRun(
    entries,
    maxBytes - 11,
    (e) => e.wire.byteLength - payloadStart(e.wire) + 1,
    (from, to, size) => {
      out.push({ wire: arrayFrame(entries, from, to, size + 1), lastSeq: entries[to - 1].seq, events: to - from });
    },
  );
  return out;
}

/** Splits entries into consecutive runs of at most `max` bytes by `sizeOf` (a single larger entry is a run). */
function forEachRun(
  entries: readonly StreamEntry[],
  max: number,
  sizeOf: (e: StreamEntry) => number,
  run: (from: number, to: number, size: number) => void,
): void {
  let from = 0;
  while (from < entries.length) {
    let to = from;
    let size = 0;
    do {
      size += sizeOf(entries[to]);
      to++;
    } while (to < entries.length && size + sizeOf(entries[to]) <= max);
    run(from, to, size);
    from = to;
  }
}

function runOf(entries: readonly StreamEntry[], from: number, to: number): Buffer[] {
  const wires: Buffer[] = [];
  for (let i = from; i < to; i++) wires.push(entries[i].wire);
  return wires;
}

function arrayFrame(entries: readonly StreamEntry[], from: number, to: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(headerSize(size) + size);
  let at = writeHeader(buf, 0, size);
  for (let i = from; i < to; i++) {
    buf[at++] = i === from ? OPEN : COMMA;
    const wire = entries[i].wire;
    at += wire.copy(buf, at, payloadStart(wire));
  }
  buf[at] = CLOSE;
  return buf;
}
