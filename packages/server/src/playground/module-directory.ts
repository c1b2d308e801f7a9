import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A compiled module's file name; only names listed in the directory are ever looked up. */
const MODULE_FILE = /^[A-Za-z0-9_-]+\.js$/;

export interface ModuleFile {
  body: Buffer;
  etag: string;
}

/** A file's body with its validator, so browsers revalidate with a 304 instead of a download. */
export function moduleFile(body: Buffer): ModuleFile {
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}

/**
 * The compiled ES modules of one build directory, served by file name. The directory is
 * listed once and only its files are read and kept: they are the build the gateway runs,
 * and do not change under it. A name a client makes up is never stored, so requests for
 * unknown files cannot grow memory.
 */
export class ModuleDirectory {
  private listing: Promise<Map<string, Promise<ModuleFile | undefined> | undefined>> | undefined;

  constructor(private readonly dir: string) {}

  async get(name: string): Promise<ModuleFile | undefined> {
    const files = await this.files();
    if (!files.has(name)) return undefined;
    let file = files.get(name);
    if (!file) {
      file = readFile(join(this.dir, name)).then(moduleFile, () => undefined);
      files.set(name, file);
    }
    return file;
  }

  private files(): Promise<Map<string, Promise<ModuleFile | undefined> | undefined>> {
    this.listing ??= readdir(this.dir).then(
      (names) => new Map(names.filter((n) => MODULE_FILE.test(n)).map((n) => [n, undefined])),
      () => new Map(),
    );
    return this.listing;
  }
}
