import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A plain file name of a compiled module: no directories, so no way out of the directory. */
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
 * The compiled ES modules of one build directory, served by file name. Files are read
 * once and kept: they are the build the gateway runs, and do not change under it.
 */
export class ModuleDirectory {
  private readonly files = new Map<string, Promise<ModuleFile | undefined>>();

  constructor(private readonly dir: string) {}

  get(name: string): Promise<ModuleFile | undefined> {
    if (!MODULE_FILE.test(name)) return Promise.resolve(undefined);
    let file = this.files.get(name);
    if (!file) {
      file = readFile(join(this.dir, name)).then(moduleFile, () => undefined);
      this.files.set(name, file);
    }
    return file;
  }
}
