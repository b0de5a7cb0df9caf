// A Readable over one file that opens it only when first read. JSZip's
// NodejsStreamInputAdapter binds every input stream up front (pause() + 'data'
// listener) but reads them one at a time, so fs.createReadStream — which opens its
// fd in the constructor — would hold 10,000 fds at once (EMFILE). This one holds at
// most one (small files come read ahead, see read-ahead.ts), and hashes the bytes as they pass so the manifest needs no second read.
import { createHash, type Hash } from 'node:crypto';
import { close, open, read } from 'node:fs';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 256 * 1024;

export interface StreamedFileStats { size: number; sha256: string }

export interface LazyFileStreamOptions {
  /** Called for every chunk read (for progress). */
  onBytes?: (bytes: number) => void;
  /** Called once, after the last byte, with what was actually streamed. */
  onEnd: (stats: StreamedFileStats) => void;
  /** Checked before every read; an abort fails this stream, which fails the zip. */
  signal?: AbortSignal;
  /** For small files: the whole content, read ahead (see read-ahead.ts), instead of open/read here. */
  readAll?: () => Promise<Buffer>;
}

export class LazyFileStream extends Readable {
  private fd: number | null = null;
  private hash: Hash = createHash('sha256');
  private size = 0;
  /** Set at end of file: Readable may call _read again while close() is pending. */
  private ended = false;

  constructor(
    private readonly absPath: string,
    private readonly expectedSize: number,
    private readonly options: LazyFileStreamOptions,
  ) {
    super({ highWaterMark: CHUNK_BYTES });
  }

  override _read(): void {
    if (this.ended) return;
    if (this.options.signal?.aborted) {
      this.destroy(this.options.signal.reason instanceof Error ? this.options.signal.reason : new Error('Export aborted'));
      return;
    }
    if (this.options.readAll) {
      this.ended = true;
      this.options.readAll().then(
        (content) => {
          this.hash.update(content);
          this.size = content.byteLength;
          this.options.onBytes?.(content.byteLength);
          this.options.onEnd({ size: this.size, sha256: this.hash.digest('hex') });
          this.push(content);
          this.push(null);
        },
        (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
      );
    } else if (this.fd === null) {
      open(this.absPath, 'r', (err, fd) => {
        if (err) return this.destroy(err);
        this.fd = fd;
        this.readChunk();
      });
    } else {
      this.readChunk();
    }
  }

  private readChunk(): void {
    // The last read asks for one byte more than expected: a short read then proves end of
    // file without an extra empty read, and a file that grew meanwhile is still read to its end.
    const remaining = this.expectedSize - this.size;
    const length = remaining >= 0 && remaining < CHUNK_BYTES ? remaining + 1 : CHUNK_BYTES;
    const buffer = Buffer.allocUnsafe(length);
    read(this.fd as number, buffer, 0, length, null, (err, bytesRead) => {
      if (err) return this.destroy(err);
      if (bytesRead > 0) {
        const chunk = buffer.subarray(0, bytesRead);
        this.hash.update(chunk);
        this.size += bytesRead;
        this.options.onBytes?.(bytesRead);
        this.push(chunk);
      }
      // A short read of a regular file means end of file: skip the extra empty read.
      if (bytesRead < length) this.finish();
    });
  }

  private finish(): void {
    this.ended = true;
    const fd = this.fd as number;
    this.fd = null;
    close(fd, (err) => {
      if (err) return this.destroy(err);
      this.options.onEnd({ size: this.size, sha256: this.hash.digest('hex') });
      this.push(null);
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (this.fd === null) return callback(err);
    const fd = this.fd;
    this.fd = null;
    close(fd, () => callback(err));
  }
}
