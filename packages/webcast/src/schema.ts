/**
 * The WebCast schema: proto/webcast.proto loaded with protobufjs. The emulator encodes
 * every message with it, and the client encodes its own frames (im_enter_room, hb, ack)
 * with it. The client's hot path does not decode with it: it uses the hand-written
 * readers in decode/, which the round-trip tests check against this schema.
 *
 * Objects use lowerCamelCase field names and hold only the fields that are set; int64
 * fields decode to decimal strings and encode from a string, number or bigint; map
 * fields are plain objects keyed by the map key as a string; bytes are Buffers.
 */

import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export type ProtoObject = { [field: string]: unknown };

export const PROTO_FILE = new URL('../../proto/webcast.proto', import.meta.url);

/** The package webcast.proto declares. */
const PACKAGE = 'tiktool.webcast';

const TO_OBJECT: protobuf.IConversionOptions = { longs: String };

/** `bytes` as a Buffer, without copying (under Node, protobufjs's output already is one). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class Schema {
  private readonly messages: protobuf.Namespace;

  constructor(root: protobuf.Root) {
    const ns = root.lookup(PACKAGE);
    if (!(ns instanceof protobuf.Namespace)) throw new Error(`the schema has no package ${PACKAGE}`);
    this.messages = ns;
  }

  /** The protobufjs type of a message of webcast.proto. */
  type(name: string): protobuf.Type {
    const t = this.messages.get(name);
    if (!(t instanceof protobuf.Type)) throw new Error(`unknown message type ${name}`);
    return t;
  }

  has(name: string): boolean {
    return this.messages.get(name) instanceof protobuf.Type;
  }

  encode(type: string, value: ProtoObject): Buffer {
    const t = this.type(type);
    return asBuffer(t.encode(t.fromObject(value)).finish());
  }

  decode(type: string, bytes: Uint8Array): ProtoObject {
    const t = this.type(type);
    // From a Buffer, protobufjs reads bytes fields as Buffer views.
    return t.toObject(t.decode(asBuffer(bytes)), TO_OBJECT);
  }
}

let loaded: Schema | undefined;

/** The schema of proto/webcast.proto, loaded once. */
export function webcastSchema(): Schema {
  if (!loaded) {
    const root = new protobuf.Root().loadSync(fileURLToPath(PROTO_FILE), { keepCase: false });
    // Fails here, not at the first encode, when a field names a type the file lacks.
    root.resolveAll();
    loaded = new Schema(root);
  }
  return loaded;
}
