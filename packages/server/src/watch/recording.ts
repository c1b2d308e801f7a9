import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** An NDJSON file of envelopes exactly as received, one per line, for later analysis. */
export class Recording {
  private constructor(private readonly stream: WriteStream) {}

  /** Creates (or truncates) the file; rejects when it cannot be written. */
  static async open(path: string): Promise<Recording> {
    const stream = createWriteStream(path, { flags: 'w' });
    await once(stream, 'open');
    return new Recording(stream);
  }

  write(line: string): void {
    this.stream.write(line);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
