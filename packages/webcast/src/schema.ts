/**
 * The WebCast schema, loaded from proto/webcast.proto, with a generic encoder and
 * decoder driven by it. The emulator encodes every message with this, and the client
 * encodes its own frames (im_enter_room, hb, ack) with it. The client's hot path does
 * not: it decodes with the hand-written readers in decode/, which the round-trip tests
 * check against this schema.
 *
 * Objects use lowerCamelCase field names; int64 fields decode to decimal strings and
 * encode from a string, number or bigint; map fields are plain objects keyed by the
 * map key as a string; bytes are Uint8Array.
 */

import { readFileSync } from 'node:fs';
import { parseProto, isScalarType, type FieldDescriptor, type MessageDescriptor, type ScalarType } from './proto-parser.js';
import { WireReader, WireType } from './wire/reader.js';
import { WireWriter } from './wire/writer.js';

export type ProtoObject = { [field: string]: unknown };

export const PROTO_FILE = new URL('../../proto/webcast.proto', import.meta.url);

function wireTypeOf(type: string): number {
  switch (type) {
    case 'string':
    case 'bytes':
      return WireType.LEN;
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
    case 'bool':
      return WireType.VARINT;
    default:
      return WireType.LEN;
  }
}

function isDefault(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === 0 ||
    value === '' ||
    value === false ||
    value === '0' ||
    value === 0n ||
    (value instanceof Uint8Array && value.length === 0)
  );
}

export class Schema {
  constructor(readonly messages: ReadonlyMap<string, MessageDescriptor>) {}

  message(name: string): MessageDescriptor {
    const m = this.messages.get(name);
    if (!m) throw new Error(`unknown message type ${name}`);
    return m;
  }

  has(name: string): boolean {
    return this.messages.has(name);
  }

  encode(type: string, value: ProtoObject): Buffer {
    const w = new WireWriter();
    this.writeMessage(w, this.message(type), value);
    return w.finish();
  }

  decode(type: string, bytes: Uint8Array): ProtoObject {
    const r = new WireReader(bytes);
    return this.readMessage(r, this.message(type), r.length);
  }

  private writeMessage(w: WireWriter, desc: MessageDescriptor, value: ProtoObject): void {
    for (const field of desc.fields) {
      const v = value[field.name];
      if (v === undefined || v === null) continue;
      if (field.map) this.writeMap(w, field, v);
      else if (field.repeated) {
        if (!Array.isArray(v)) throw new TypeError(`${desc.name}.${field.name} must be an array`);
        for (const item of v) this.writeValue(w, field.number, field.type, item);
      } else if (isScalarType(field.type)) {
        if (!isDefault(v)) this.writeValue(w, field.number, field.type, v);
      } else {
        this.writeValue(w, field.number, field.type, v);
      }
    }
  }

  private writeMap(w: WireWriter, field: FieldDescriptor, value: unknown): void {
    const map = field.map!;
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as ProtoObject);
    for (const [k, v] of entries) {
      w.tag(field.number, WireType.LEN).fork();
      this.writeValue(w, 1, map.key, map.key === 'string' ? String(k) : k);
      this.writeValue(w, 2, map.value, v);
      w.ldelim();
    }
  }

  private writeValue(w: WireWriter, number: number, type: string, v: unknown): void {
    if (!isScalarType(type)) {
      w.tag(number, WireType.LEN).fork();
      this.writeMessage(w, this.message(type), v as ProtoObject);
      w.ldelim();
      return;
    }
    w.tag(number, wireTypeOf(type));
    writeScalar(w, type, v);
  }

  private readMessage(r: WireReader, desc: MessageDescriptor, end: number): ProtoObject {
    const out: ProtoObject = {};
    while (r.pos < end) {
      const tag = r.tag();
      const field = desc.byNumber.get(tag >>> 3);
      const wireType = tag & 7;
      if (!field) {
        r.skip(wireType);
        continue;
      }
      if (field.map) {
        const entryEnd = r.lengthEnd();
        let key: unknown = field.map.key === 'string' ? '' : '0';
        let val: unknown;
        while (r.pos < entryEnd) {
          const t = r.tag();
          if (t >>> 3 === 1) key = readScalar(r, field.map.key);
          else if (t >>> 3 === 2) val = this.readValue(r, field.map.value, t & 7);
          else r.skip(t & 7);
        }
        const obj = (out[field.name] ??= {}) as ProtoObject;
        obj[String(key)] = val ?? (isScalarType(field.map.value) ? undefined : {});
      } else if (field.repeated) {
        const list = (out[field.name] ??= []) as unknown[];
        if (wireType === WireType.LEN && isScalarType(field.type) && wireTypeOf(field.type) === WireType.VARINT) {
          const packedEnd = r.lengthEnd();
          while (r.pos < packedEnd) list.push(readScalar(r, field.type));
        } else {
          list.push(this.readValue(r, field.type, wireType));
        }
      } else {
        out[field.name] = this.readValue(r, field.type, wireType);
      }
      if (r.pos > end) throw new Error(`${desc.name} overruns its length`);
    }
    return out;
  }

  private readValue(r: WireReader, type: string, wireType: number): unknown {
    if (!isScalarType(type)) {
      if (wireType !== WireType.LEN) throw new Error(`${type} expected length-delimited, got wire type ${wireType}`);
      const end = r.lengthEnd();
      const value = this.readMessage(r, this.message(type), end);
      r.pos = end;
      return value;
    }
    if (wireTypeOf(type) !== wireType) throw new Error(`${type} field has wire type ${wireType}`);
    return readScalar(r, type);
  }
}

function writeScalar(w: WireWriter, type: ScalarType, v: unknown): void {
  switch (type) {
    case 'string':
      w.string(String(v));
      return;
    case 'bytes':
      w.bytes(v as Uint8Array);
      return;
    case 'bool':
      w.bool(Boolean(v));
      return;
    case 'int32':
      w.int32(Number(v));
      return;
    case 'uint32':
      w.uint32(Number(v));
      return;
    case 'int64':
    case 'uint64':
      w.int64(v as number | string | bigint);
      return;
  }
}

function readScalar(r: WireReader, type: ScalarType): unknown {
  switch (type) {
    case 'string':
      return r.string();
    case 'bytes':
      return r.bytes();
    case 'bool':
      return r.bool();
    case 'int32':
      return r.int32();
    case 'uint32':
      return r.uint32();
    case 'int64':
      return r.int64String();
    case 'uint64':
      return r.uint64String();
  }
}

let loaded: Schema | undefined;

/** The schema of proto/webcast.proto, parsed once. */
export function webcastSchema(): Schema {
  loaded ??= new Schema(parseProto(readFileSync(PROTO_FILE, 'utf8')));
  return loaded;
}
