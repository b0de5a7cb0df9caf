// How file bytes get into JSZip. JSZip stays the zip container (headers, data
// descriptors, central directory), but each entry arrives already deflated, from
// one small worker that reads the file, hashes it and compresses it with Node's
// native zlib.
//
// Why not JSZip's own path: it deflates with pako (pure JS) and CRCs in JS. On the
// 10,000-file / 100 MB bench tree that made an export ~5.9× slower than `zip -r -6`
// (target ≤ 2×), and its per-entry chain of five workers plus a Readable and an
// adapter held ~60 MB of heap for 10,000 entries before the first byte was written
// (this way: ~20 MB).
//
// How: JSZip copies an entry that is a CompressedObject with the same compression
// method as is, asking it for a "compressed worker" (a GenericWorker source). Ours
// (DeflatedEntry) hands out an EntrySource, which streams the deflated bytes and,
// before it ends, sets crc32/compressedSize/uncompressedSize in its streamInfo —
// exactly where ZipFileWorker reads them for the data descriptor and central
// directory (generateNodeStream with streamFiles: true, see export-zip.ts).
// The two internal modules are typed in jszip-internals.d.ts.
import { createHash, type Hash } from 'node:crypto';
import { close, open, read } from 'node:fs';
import zlib from 'node:zlib';
import CompressedObject from 'jszip/lib/compressedObject.js';
import GenericWorker from 'jszip/lib/stream/GenericWorker.js';
import { READ_FLAGS } from '../project-folder/index.js';
import { BlockDeflater } from './block-deflater.js';

/** Zip compression method 8 (deflate), as JSZip's compression table spells it. */
const DEFLATE = { magic: '\x08\x00' };
const CHUNK_BYTES = 256 * 1024;

/** Where an entry's bytes come from: all at once (small files read ahead, the manifest) or streamed from disk. */
export type EntryContent = { whole: () => Promise<Buffer> } | { absPath: string; expectedSize: number };

export interface EntryHooks {
  level: number;
  signal?: AbortSignal;
  /** The entry started reading (so a failed export can dispose() it). */
  onStart?: (source: EntrySource) => void;
  onBytes?: (bytes: number) => void;
  /** After the last byte: what was actually read. */
  onEnd: (result: { size: number; sha256: string }) => void;
}

export class EntrySource extends GenericWorker {
  private started = false;
  private busy = false; // a read is in flight
  private eof = false;
  private disposed = false;
  private fd: number | null = null;
  private hash: Hash | null = null; // created on first use: 10,000 idle hashes are not free
  private crc = 0;
  private size = 0;
  private compressedSize = 0;
  private readonly deflater: BlockDeflater;
  /** Compressed output waiting for JSZip to resume us. */
  private held: Buffer[] = [];

  constructor(
    private readonly content: EntryContent,
    private readonly hooks: EntryHooks,
  ) {
    super('EntrySource');
    this.deflater = new BlockDeflater(hooks.level);
  }

  override resume(): boolean {
    if (!super.resume()) return false;
    this.pump();
    return true;
  }

  /** Close the file if one is open and stop; used when the export fails or is cancelled. */
  dispose(): void {
    this.disposed = true;
    this.closeFd();
  }

  private pump(): void {
    while (this.held.length > 0 && !this.isPaused && !this.isFinished) this.deliver(this.held.shift() as Buffer);
    if (this.isPaused || this.isFinished || this.busy || this.disposed) return;
    if (this.eof) return this.finishEntry();
    if (this.hooks.signal?.aborted) return this.fail(new Error('The export was cancelled.'));
    if (!this.started) {
      this.started = true;
      this.hooks.onStart?.(this);
    }
    this.busy = true;
    if ('whole' in this.content) {
      this.content
        .whole()
        .then((content) => {
          this.busy = false;
          if (this.disposed) return;
          this.consume(content);
          this.endOfInput();
        })
        .catch((err: unknown) => this.fail(err));
    } else if (this.fd === null) {
      // O_NONBLOCK: a file swapped for a FIFO since it was listed must not block a libuv thread.
      open(this.content.absPath, READ_FLAGS, (err, fd) => {
        if (err) return this.fail(err);
        if (this.disposed) return close(fd, () => undefined);
        this.fd = fd;
        this.readChunk(this.content as { absPath: string; expectedSize: number });
      });
    } else {
      this.readChunk(this.content);
    }
  }

  private readChunk(content: { expectedSize: number }): void {
    // The last read asks for one byte more than expected: a short read then proves end of
    // file without an extra empty read, and a file that grew meanwhile is still read to its end.
    const remaining = content.expectedSize - this.size;
    const length = remaining >= 0 && remaining < CHUNK_BYTES ? remaining + 1 : CHUNK_BYTES;
    const buffer = Buffer.allocUnsafe(length);
    read(this.fd as number, buffer, 0, length, null, (err, bytesRead) => {
      if (err) return this.fail(err);
      this.busy = false;
      if (this.disposed) return;
      try {
        if (bytesRead > 0) this.consume(buffer.subarray(0, bytesRead));
        if (bytesRead < length) {
          this.closeFd();
          this.endOfInput();
        } else {
          this.pump();
        }
      } catch (error) {
        this.fail(error);
      }
    });
  }

  private consume(raw: Buffer): void {
    this.crc = zlib.crc32(raw, this.crc);
    (this.hash ??= createHash('sha256')).update(raw);
    this.size += raw.byteLength;
    this.hooks.onBytes?.(raw.byteLength);
    const out = this.deflater.write(raw);
    if (out) this.held.push(out);
  }

  private endOfInput(): void {
    this.held.push(this.deflater.finish());
    this.eof = true;
    this.pump();
  }

  private deliver(data: Buffer): void {
    this.compressedSize += data.byteLength;
    this.push({ data, meta: { percent: 0 } });
  }

  private finishEntry(): void {
    this.streamInfo.crc32 = this.crc >>> 0;
    this.streamInfo.compressedSize = this.compressedSize;
    this.streamInfo.uncompressedSize = this.size;
    this.hooks.onEnd({ size: this.size, sha256: (this.hash ??= createHash('sha256')).digest('hex') });
    this.end();
  }

  private fail(err: unknown): void {
    this.busy = false;
    this.closeFd();
    this.error(err instanceof Error ? err : new Error(String(err)));
  }

  private closeFd(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    close(fd, () => undefined); // read-only descriptor: nothing to lose on a failed close
  }
}

/** An entry JSZip copies "as already compressed"; see the top of this file. */
export class DeflatedEntry extends CompressedObject {
  constructor(
    private readonly content: EntryContent,
    private readonly hooks: EntryHooks,
  ) {
    // Sizes and CRC are unknown until the bytes have been read; EntrySource reports them at
    // the end. Not 0: JSZip would replace an entry of uncompressed size 0 by an empty one.
    super(-1, -1, 0, DEFLATE, null);
  }

  override getCompressedWorker(): GenericWorker {
    return new EntrySource(this.content, this.hooks).withStreamInfo('compression', DEFLATE);
  }
}
