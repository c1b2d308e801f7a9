/**
 * Helpers shared by the hand-written message decoders. Decoders switch on the whole
 * key, `(field << 3) | wireType`, so a field that arrives with an unexpected wire type
 * is skipped instead of misread.
 */

import { WireFormatError, type WireReader } from '../wire/reader.js';

export const VARINT = 0;
export const LEN = 2;

export function key(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

/** A nested message must end exactly at its declared length. */
export function expectEnd(r: WireReader, end: number): void {
  if (r.pos !== end) throw new WireFormatError('nested message overruns its length');
}

/** Image: the first URL of url_list (1). */
export function readImageUrl(r: WireReader, end: number): string {
  let url = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN) && url === '') url = r.string();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return url;
}

export interface TextFields {
  key: string;
  pattern: string;
}

/** Text: its key (1) and default pattern (2). */
export function readText(r: WireReader, end: number): TextFields {
  const t: TextFields = { key: '', pattern: '' };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) t.key = r.string();
    else if (tag === key(2, LEN)) t.pattern = r.string();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return t;
}

/** A repeated int64 field, packed (one LEN field) or not (one VARINT per value), as strings. */
export function readInt64List(r: WireReader, tag: number, into: string[]): void {
  if ((tag & 7) === VARINT) {
    into.push(r.int64String());
    return;
  }
  const end = r.lengthEnd();
  while (r.pos < end) into.push(r.int64String());
  expectEnd(r, end);
}
