// Where a command's output goes: the UI gets the first `uiCapBytes` (a runaway `yes`
// must not flood the renderer), a log file gets everything up to `maxBytes`, and the
// last bytes are kept as the result's tail. Writes to the log are synchronous: chunks
// are ≤ 64 KB and the total is capped, so that is cheaper than juggling backpressure
// and keeps the order exact.
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputSinkOptions {
  uiCapBytes: number;
  maxBytes: number;
  logPath: string | null;
  onOutput?: (chunk: string, stream: OutputStream) => void;
  /** Decoded text the UI was given, for the denial scan. */
  onText?: (text: string) => void;
  onUiCapped?: () => void;
  onMaxReached?: () => void;
  tailBytes?: number;
}

export class OutputSink {
  private readonly opts: OutputSinkOptions;
  private readonly decoders: Record<OutputStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly tailChunks: Buffer[] = [];
  private tailLength = 0;
  private logFd: number | null = null;
  /** Bytes received in total, and bytes the UI was given. */
  total = 0;
  private uiBytes = 0;
  uiCapped = false;
  maxReached = false;
  /** The first bytes of output, for recognising a sandbox that failed to start. */
  head = '';
  /** Why the log stopped being written (a full disk), if it did. */
  logError: string | null = null;

  constructor(opts: OutputSinkOptions) {
    this.opts = opts;
    if (opts.logPath) this.logFd = fs.openSync(opts.logPath, 'w', 0o600);
  }

  write(stream: OutputStream, chunk: Buffer): void {
    if (this.maxReached) return;
    const room = this.opts.maxBytes - this.total;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.total += kept.length;
    if (this.head.length < 1024) this.head += kept.subarray(0, 1024).toString('utf8');
    if (this.logFd !== null && kept.length) this.writeLog(kept);
    this.keepTail(kept);
    this.toUi(stream, kept);
    if (chunk.length > room) {
      this.maxReached = true;
      this.opts.onMaxReached?.();
    }
  }

  /**
   * Runs inside a child's 'data' handler: a throw here (ENOSPC on a full disk) would be
   * uncaught and end the server. The log stops; the output still reaches the UI and the tail.
   */
  private writeLog(chunk: Buffer): void {
    try {
      fs.writeSync(this.logFd as number, chunk);
    } catch (err) {
      this.logError = err instanceof Error ? err.message : String(err);
      try {
        fs.closeSync(this.logFd as number);
      } catch {
        // already unusable
      }
      this.logFd = null;
      const why = /ENOSPC|EDQUOT/.test(this.logError) ? 'the disk is full' : this.logError;
      this.opts.onOutput?.(`\r\n[macs] the output log ${this.opts.logPath} stopped here: ${why}\r\n`, 'stderr');
    }
  }

  private toUi(stream: OutputStream, chunk: Buffer): void {
    if (this.uiCapped) return;
    const room = this.opts.uiCapBytes - this.uiBytes;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.uiBytes += part.length;
    this.emit(this.decoders[stream].write(part), stream);
    if (chunk.length > room) {
      this.uiCapped = true;
      this.flushDecoders();
      const where = this.opts.logPath ? `; the full log is in ${this.opts.logPath}` : '';
      this.opts.onOutput?.(`\r\n[macs] output passed ${formatBytes(this.opts.uiCapBytes)}: not shown any more${where}\r\n`, 'stderr');
      this.opts.onUiCapped?.();
    }
  }

  private emit(text: string, stream: OutputStream): void {
    if (!text) return;
    this.opts.onOutput?.(text, stream);
    this.opts.onText?.(text);
  }

  private flushDecoders(): void {
    this.emit(this.decoders.stdout.end(), 'stdout');
    this.emit(this.decoders.stderr.end(), 'stderr');
  }

  private keepTail(chunk: Buffer): void {
    const limit = this.opts.tailBytes ?? 16 * 1024;
    this.tailChunks.push(chunk);
    this.tailLength += chunk.length;
    while (this.tailChunks.length > 1 && this.tailLength - this.tailChunks[0].length >= limit) {
      this.tailLength -= (this.tailChunks.shift() as Buffer).length;
    }
  }

  /** Flush decoders, close the log; returns the tail as text. */
  finish(): string {
    if (!this.uiCapped) this.flushDecoders();
    if (this.logFd !== null) {
      fs.closeSync(this.logFd);
      this.logFd = null;
    }
    const limit = this.opts.tailBytes ?? 16 * 1024;
    const all = Buffer.concat(this.tailChunks);
    let start = Math.max(0, all.length - limit);
    // Do not start in the middle of a UTF-8 sequence (continuation bytes are 10xxxxxx).
    while (start < all.length && (all[start] & 0xc0) === 0x80) start++;
    return all.subarray(start).toString('utf8');
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
