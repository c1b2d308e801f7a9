/**
 * Parses the subset of proto3 that proto/webcast.proto uses: top-level messages whose
 * fields are scalars, messages, `repeated` or `map<K, V>`. Anything else is an error,
 * so the schema cannot silently drift into syntax this parser ignores.
 */

export const SCALAR_TYPES = ['int32', 'int64', 'uint32', 'uint64', 'bool', 'string', 'bytes'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

export interface FieldDescriptor {
  /** lowerCamelCase, as the generic encoder and decoder name it in objects. */
  name: string;
  /** As written in the .proto file. */
  protoName: string;
  number: number;
  /** A scalar type or a message name. */
  type: string;
  repeated: boolean;
  /** For map fields: the entry's key and value types (entries are key = 1, value = 2). */
  map?: { key: ScalarType; value: string };
}

export interface MessageDescriptor {
  name: string;
  fields: FieldDescriptor[];
  byNumber: Map<number, FieldDescriptor>;
  byName: Map<string, FieldDescriptor>;
}

export class ProtoSyntaxError extends Error {
  constructor(message: string, line: number) {
    super(`webcast.proto line ${line}: ${message}`);
    this.name = 'ProtoSyntaxError';
  }
}

export function isScalarType(type: string): type is ScalarType {
  return (SCALAR_TYPES as readonly string[]).includes(type);
}

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function stripComments(text: string): string {
  // Keep newlines so error line numbers stay right.
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, '');
}

const FIELD = /^(repeated\s+)?([A-Za-z_][\w.]*)\s+([A-Za-z_]\w*)\s*=\s*(\d+)\s*;$/;
const MAP_FIELD = /^map\s*<\s*(\w+)\s*,\s*([A-Za-z_][\w.]*)\s*>\s+([A-Za-z_]\w*)\s*=\s*(\d+)\s*;$/;

export function parseProto(text: string): Map<string, MessageDescriptor> {
  const messages = new Map<string, MessageDescriptor>();
  const lines = stripComments(text).split('\n');
  let current: MessageDescriptor | undefined;

  lines.forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = index + 1;
    if (line === '') return;
    if (!current) {
      if (/^syntax\s*=\s*"proto3"\s*;$/.test(line) || /^package\s+[\w.]+\s*;$/.test(line)) return;
      const m = /^message\s+([A-Za-z_]\w*)\s*\{$/.exec(line);
      if (!m) throw new ProtoSyntaxError(`unexpected "${line}"`, lineNo);
      if (messages.has(m[1])) throw new ProtoSyntaxError(`message ${m[1]} defined twice`, lineNo);
      current = { name: m[1], fields: [], byNumber: new Map(), byName: new Map() };
      return;
    }
    if (line === '}') {
      messages.set(current.name, current);
      current = undefined;
      return;
    }
    let field: FieldDescriptor;
    const mapMatch = MAP_FIELD.exec(line);
    const fieldMatch = mapMatch ? null : FIELD.exec(line);
    if (mapMatch) {
      const key = mapMatch[1];
      if (!isScalarType(key) || key === 'bytes') throw new ProtoSyntaxError(`bad map key type ${key}`, lineNo);
      field = {
        name: camelCase(mapMatch[3]),
        protoName: mapMatch[3],
        number: Number(mapMatch[4]),
        type: 'map',
        repeated: true,
        map: { key, value: mapMatch[2] },
      };
    } else if (fieldMatch) {
      field = {
        name: camelCase(fieldMatch[3]),
        protoName: fieldMatch[3],
        number: Number(fieldMatch[4]),
        type: fieldMatch[2],
        repeated: fieldMatch[1] !== undefined,
      };
    } else {
      throw new ProtoSyntaxError(`unsupported field syntax "${line}"`, lineNo);
    }
    if (current.byNumber.has(field.number)) {
      throw new ProtoSyntaxError(`field number ${field.number} used twice in ${current.name}`, lineNo);
    }
    current.fields.push(field);
    current.byNumber.set(field.number, field);
    current.byName.set(field.name, field);
  });
  if (current) throw new ProtoSyntaxError(`message ${current.name} is not closed`, lines.length);

  for (const message of messages.values()) {
    for (const field of message.fields) {
      const type = field.map ? field.map.value : field.type;
      if (!isScalarType(type) && !messages.has(type)) {
        throw new ProtoSyntaxError(`${message.name}.${field.protoName} has unknown type ${type}`, 0);
      }
    }
  }
  return messages;
}
